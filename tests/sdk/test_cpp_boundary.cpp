// The C++ helpers' trampolines: whatever a plugin class throws (std::runtime_error, slt::sdk::Error,
// an int) comes out of the C call as a status and a message, and never propagates. One throwing class
// per kind, every trampoline exercised; plus the host-side proxies' checks.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <slt/sdk/cpp/bank.hpp>
#include <slt/sdk/cpp/exporter.hpp>
#include <slt/sdk/cpp/host/bank_proxy.hpp>
#include <slt/sdk/cpp/host/exporter_proxy.hpp>
#include <slt/sdk/cpp/host/metric_proxy.hpp>
#include <slt/sdk/cpp/host/model_proxy.hpp>
#include <slt/sdk/cpp/host/sampler_proxy.hpp>
#include <slt/sdk/cpp/metric.hpp>
#include <slt/sdk/cpp/model.hpp>
#include <slt/sdk/cpp/sampler.hpp>

#include <stdexcept>
#include <string>

namespace {

enum class Throw { Nothing, Runtime, SdkError, Int };
Throw g_throw = Throw::Nothing;

void maybe_throw()
{
    switch (g_throw) {
    case Throw::Nothing: return;
    case Throw::Runtime: throw std::runtime_error("runtime boom");
    case Throw::SdkError: throw slt::sdk::Error(SLT_ERR_IO, "disk gone");
    case Throw::Int: throw 42;
    }
}

// Calls `call(err)` once per kind of exception and checks status and message each time.
template <class Call>
void expect_guarded(Call call)
{
    struct Case {
        Throw what;
        slt_status status;
        const char* message;
    };
    const Case cases[] = {{Throw::Runtime, SLT_ERR_INTERNAL, "runtime boom"},
                          {Throw::SdkError, SLT_ERR_IO, "disk gone"},
                          {Throw::Int, SLT_ERR_INTERNAL, "unknown exception"}};
    for (const Case& c : cases) {
        char buffer[256] = "untouched";
        slt_error err{buffer, sizeof buffer};
        g_throw = c.what;
        slt_status status = SLT_OK;
        REQUIRE_NOTHROW(status = call(&err));
        g_throw = Throw::Nothing;
        CHECK(status == c.status);
        CHECK(std::string(buffer) == c.message);
    }
}

// ---- one throwing class per kind -------------------------------------------------------------

class ThrowingSampler : public slt::sdk::Sampler {
public:
    static constexpr uint32_t needs = SLT_SAMPLER_NEEDS_SCORES;
    explicit ThrowingSampler(const slt::sdk::Host&) { maybe_throw(); }
    std::vector<int64_t> select(const slt::sdk::SamplerInput& in, int64_t k, const slt::sdk::Job&) override
    {
        maybe_throw();
        return k > 0 && in.num_points > 0 ? std::vector<int64_t>{0, 0} : std::vector<int64_t>{};
    }
};

// A family of two metrics: "throwing" (p of class 0 in the first sample, T >= 2) and "lower" (its
// negation, lower = more uncertain, T >= 1).
class ThrowingMetric : public slt::sdk::Metric {
public:
    static constexpr slt::sdk::MetricInfo metrics[] = {{"throwing", "Throwing", nullptr, 2, true},
                                                       {"lower", "Lower", "Minus the first probability", 1, false}};
    static slt::sdk::ValueRange value_range(int32_t metric, int64_t, int64_t)
    {
        maybe_throw();
        return metric == 0 ? slt::sdk::ValueRange{0, 1} : slt::sdk::ValueRange{-1, 0};
    }
    ThrowingMetric(const slt::sdk::Host&, const std::vector<int32_t>& selected) : selected_(selected) { maybe_throw(); }
    void score_point(const slt::sdk::Probabilities& p, int64_t n, slt::sdk::Span<float> row) override
    {
        maybe_throw();
        for (size_t j = 0; j < selected_.size(); ++j) row[j] = selected_[j] == 0 ? p(0, n, 0) : -p(0, n, 0);
    }

private:
    std::vector<int32_t> selected_;
};

class ThrowingBank : public slt::sdk::Bank {
public:
    static constexpr uint32_t capabilities = SLT_BANK_CAN_WRITE;
    static constexpr const char* format_name = "Throwing bank";
    static constexpr const char* default_extension = "tb";
    static constexpr const char* file_filter = "Throwing bank (*.tb)";
    static float probe(const std::string&)
    {
        maybe_throw();
        return 0.5f;
    }
    ThrowingBank(const slt::sdk::Host&, const std::string&, slt_bank_mode, const slt::sdk::BankMetadata*)
    {
        maybe_throw();
    }
    slt::sdk::BankMetadata metadata() override
    {
        maybe_throw();
        slt::sdk::BankMetadata m;
        m.classes = {{1, "Tumour", "#ff0000"}};
        m.image_names = {"slide-a"};
        return m;
    }
    void read_points(int64_t, slt_bank_columns&, const slt::sdk::Job&) override { maybe_throw(); }
    slt::sdk::Crop read_crop(int64_t, slt_crop_format) override
    {
        maybe_throw();
        return {1, 1, "rgb", {1, 2, 3}};
    }
    std::optional<std::string> attribute(const std::string&) override
    {
        maybe_throw();
        return std::string("value");
    }
    void append_images(const std::vector<std::string>&) override { maybe_throw(); }
    void append_points(const slt_bank_points&) override { maybe_throw(); }
    void set_attribute(const std::string&, const std::string&) override { maybe_throw(); }
    void flush() override { maybe_throw(); }
};

class ThrowingExporter : public slt::sdk::Exporter {
public:
    static constexpr uint32_t capabilities = SLT_EXPORTER_CAN_EXPORT | SLT_EXPORTER_CAN_IMPORT;
    static constexpr const char* format_name = "Throwing";
    static constexpr const char* default_extension = "thr";
    static constexpr const char* file_filter = "Throwing (*.thr)";
    explicit ThrowingExporter(const slt::sdk::Host&) { maybe_throw(); }
    void begin(const std::string&, const slt::sdk::ExportHeader&) override { maybe_throw(); }
    void write(const slt_export_points&) override { maybe_throw(); }
    void finish() override { maybe_throw(); }
    void import_labels(const std::string&, slt::sdk::ImportSink& sink, const slt::sdk::Job&) override
    {
        maybe_throw();
        sink.point("slide-a", 1, 2, "Tumour", 1);
    }
};

class ThrowingModel : public slt::sdk::Model {
public:
    ThrowingModel(const slt::sdk::Host&, const std::string&) { maybe_throw(); }
    slt::sdk::ModelInfo describe() override
    {
        maybe_throw();
        return {};
    }
    void load_checkpoint(const std::string&) override { maybe_throw(); }
    void save_checkpoint(const std::string&) override { maybe_throw(); }
    void train(slt::sdk::TrainData&, slt::sdk::TrainData*, const slt_train_options&, const slt::sdk::EpochObserver&,
               const slt::sdk::Job&) override
    {
        maybe_throw();
    }
    slt::sdk::PredictShape predict_shape(int64_t b, int64_t h, int64_t w, int32_t t) override
    {
        maybe_throw();
        return {{t, b, 2, h, w}, {}};
    }
    void predict(const slt_array&, int32_t, uint64_t, slt_array&, slt_array*, const slt::sdk::Job&) override { maybe_throw(); }
};

template <class T, class Table>
const Table* table_of()
{
    return static_cast<const Table*>(slt::sdk::KindTraits<T>::table());
}

slt_array vector_f32(float* data, int64_t n)
{
    slt_array a{};
    a.data = data;
    a.dtype = SLT_DTYPE_F32;
    a.ndim = 1;
    a.shape[0] = n;
    a.strides[0] = 1;
    return a;
}

} // namespace

TEST_CASE("sampler trampolines turn exceptions into statuses")
{
    const auto* f = table_of<ThrowingSampler, slt_sampler_factory>();
    REQUIRE(f->struct_size == sizeof(slt_sampler_factory));
    REQUIRE(f->needs == SLT_SAMPLER_NEEDS_SCORES);
    expect_guarded([&](slt_error* err) {
        slt_sampler* s = nullptr;
        return f->create(nullptr, &s, err);
    });
    slt_sampler* sampler = nullptr;
    REQUIRE(f->create(nullptr, &sampler, nullptr) == SLT_OK);
    float scores[3] = {0.1f, 0.2f, 0.3f};
    slt_array score_view = vector_f32(scores, 3);
    slt_sampler_input in{};
    in.struct_size = sizeof in;
    in.num_points = 3;
    in.scores = &score_view;
    int64_t out[2] = {-1, -1};
    int64_t count = -1;
    expect_guarded([&](slt_error* err) { return f->select(sampler, &in, 2, out, &count, nullptr, err); });

    SECTION("a sampler answering with a duplicate gets SLT_ERR_INTERNAL, and nothing is written")
    {
        char buffer[256] = "";
        slt_error err{buffer, sizeof buffer};
        REQUIRE(f->select(sampler, &in, 2, out, &count, nullptr, &err) == SLT_ERR_INTERNAL);
        CHECK(count == 0);
        CHECK(std::string(buffer).find("duplicate") != std::string::npos);
    }
    SECTION("missing scores are an invalid argument")
    {
        in.scores = nullptr;
        char buffer[256] = "";
        slt_error err{buffer, sizeof buffer};
        REQUIRE(f->select(sampler, &in, 2, out, &count, nullptr, &err) == SLT_ERR_INVALID_ARGUMENT);
        CHECK(std::string(buffer).find("scores") != std::string::npos);
    }
    f->destroy(sampler);
}

TEST_CASE("metric trampolines turn exceptions into statuses")
{
    const auto* f = table_of<ThrowingMetric, slt_metric_factory>();
    REQUIRE(f->struct_size == sizeof(slt_metric_factory));
    REQUIRE(f->num_metrics == 2);
    const slt_metric_info* first = f->get_metric(0);
    REQUIRE(first != nullptr);
    CHECK(first->struct_size == sizeof(slt_metric_info));
    CHECK(std::string(first->name) == "throwing");
    CHECK(first->description == nullptr);
    CHECK(first->min_mc_samples == 2);
    CHECK(first->higher_is_more_uncertain == 1);
    CHECK(f->get_metric(1)->higher_is_more_uncertain == 0);
    CHECK(f->get_metric(2) == nullptr);
    CHECK(f->get_metric(-1) == nullptr);
    double lo = 0, hi = 0;
    expect_guarded([&](slt_error* err) { return f->value_range(0, 3, 2, &lo, &hi, err); });
    REQUIRE(f->value_range(1, 3, 2, &lo, &hi, nullptr) == SLT_OK);
    CHECK((lo == -1 && hi == 0));
    const int32_t both[] = {1, 0};
    expect_guarded([&](slt_error* err) {
        slt_metric* m = nullptr;
        return f->create(nullptr, both, 2, &m, err);
    });
    slt_metric* metric = nullptr;
    REQUIRE(f->create(nullptr, both, 2, &metric, nullptr) == SLT_OK);
    float probs[2 * 3 * 2] = {0.5f, 0.5f, 0.2f, 0.8f, 0.9f, 0.1f, 0.5f, 0.5f, 0.2f, 0.8f, 0.9f, 0.1f};
    slt_array p{probs, SLT_DTYPE_F32, 3, {2, 3, 2}, {6, 2, 1}};
    float scores[3 * 2] = {0, 0, 0, 0, 0, 0};
    slt_array out{scores, SLT_DTYPE_F32, 2, {3, 2}, {2, 1}};
    expect_guarded([&](slt_error* err) { return f->compute(metric, &p, &out, nullptr, err); });
    REQUIRE(f->compute(metric, &p, &out, nullptr, nullptr) == SLT_OK);
    // columns in the order given to create(): "lower" then "throwing"
    CHECK(scores[4] == -0.9f);
    CHECK(scores[5] == 0.9f);

    char buffer[256] = "";
    slt_error err{buffer, sizeof buffer};
    SECTION("too few MC samples for the selection are refused before compute")
    {
        p.shape[0] = 1;
        REQUIRE(f->compute(metric, &p, &out, nullptr, &err) == SLT_ERR_INVALID_ARGUMENT);
        CHECK(std::string(buffer) == "lower, throwing needs at least 2 MC samples, got 1");
    }
    SECTION("an output without one column per selected metric is refused")
    {
        slt_array narrow{scores, SLT_DTYPE_F32, 2, {3, 1}, {1, 1}};
        REQUIRE(f->compute(metric, &p, &narrow, nullptr, &err) == SLT_ERR_INVALID_ARGUMENT);
        CHECK(std::string(buffer) == "out_scores: expected a contiguous [N, 2] array");
    }
    SECTION("T = 1 is enough when only the metric needing one sample is selected")
    {
        const int32_t lower_only[] = {1};
        slt_metric* lower = nullptr;
        REQUIRE(f->create(nullptr, lower_only, 1, &lower, nullptr) == SLT_OK);
        p.shape[0] = 1;
        slt_array column{scores, SLT_DTYPE_F32, 2, {3, 1}, {1, 1}};
        CHECK(f->compute(lower, &p, &column, nullptr, &err) == SLT_OK);
        CHECK(scores[1] == -0.2f);
        f->destroy(lower);
    }
    SECTION("a bad selection is refused at create")
    {
        slt_metric* none = nullptr;
        const int32_t twice[] = {0, 0};
        REQUIRE(f->create(nullptr, twice, 2, &none, &err) == SLT_ERR_INVALID_ARGUMENT);
        CHECK(std::string(buffer) == "metric 'throwing' selected twice");
        const int32_t outside[] = {2};
        REQUIRE(f->create(nullptr, outside, 1, &none, &err) == SLT_ERR_INVALID_ARGUMENT);
        CHECK(std::string(buffer) == "metric index 2 out of range [0, 2)");
        REQUIRE(f->create(nullptr, both, 0, &none, &err) == SLT_ERR_INVALID_ARGUMENT);
        CHECK(std::string(buffer) == "select at least one metric");
        CHECK(none == nullptr);
    }
    SECTION("value_range refuses an unknown metric index")
    {
        REQUIRE(f->value_range(5, 3, 2, &lo, &hi, &err) == SLT_ERR_INVALID_ARGUMENT);
        CHECK(std::string(buffer) == "metric index out of range");
    }
    f->destroy(metric);
}

TEST_CASE("bank trampolines turn exceptions into statuses")
{
    const auto* f = table_of<ThrowingBank, slt_bank_factory>();
    g_throw = Throw::Runtime;
    CHECK(f->probe("x") == 0.0f); // probe never fails, it answers 0
    g_throw = Throw::Nothing;
    CHECK(f->probe("x") == 0.5f);
    expect_guarded([&](slt_error* err) {
        slt_bank* b = nullptr;
        return f->open(nullptr, "x", SLT_BANK_READ, nullptr, &b, err);
    });
    slt_bank* bank = nullptr;
    REQUIRE(f->open(nullptr, "x", SLT_BANK_READ, nullptr, &bank, nullptr) == SLT_OK);
    expect_guarded([&](slt_error* err) {
        slt_bank_metadata m{};
        m.struct_size = sizeof m;
        return f->get_metadata(bank, &m, err);
    });
    expect_guarded([&](slt_error* err) {
        slt_bank_columns c{};
        c.struct_size = sizeof c;
        return f->read_points(bank, 0, &c, nullptr, err);
    });
    expect_guarded([&](slt_error* err) {
        slt_crop_info info{};
        return f->read_crop(bank, 0, SLT_CROP_RGB, nullptr, 0, &info, err);
    });
    const char* names[] = {"a"};
    expect_guarded([&](slt_error* err) { return f->append_images(bank, names, 1, err); });
    expect_guarded([&](slt_error* err) {
        slt_bank_points pts{};
        pts.struct_size = sizeof pts;
        return f->append_points(bank, &pts, err);
    });
    char value[8];
    size_t required = 0;
    expect_guarded([&](slt_error* err) { return f->get_attribute(bank, "k", value, sizeof value, &required, err); });
    expect_guarded([&](slt_error* err) { return f->set_attribute(bank, "k", "v", err); });
    expect_guarded([&](slt_error* err) { return f->flush(bank, err); });
    g_throw = Throw::SdkError;
    CHECK(f->image_name(bank, 0) == nullptr); // cannot report, answers NULL
    g_throw = Throw::Nothing;
    CHECK(std::string(f->image_name(bank, 0)) == "slide-a");
    // close reports the flush failure and frees the bank anyway
    char buffer[64] = "";
    slt_error err{buffer, sizeof buffer};
    g_throw = Throw::SdkError;
    CHECK(f->close(bank, &err) == SLT_ERR_IO);
    g_throw = Throw::Nothing;
    CHECK(std::string(buffer) == "disk gone");
}

TEST_CASE("exporter trampolines turn exceptions into statuses")
{
    const auto* f = table_of<ThrowingExporter, slt_exporter_factory>();
    expect_guarded([&](slt_error* err) {
        slt_exporter* e = nullptr;
        return f->create(nullptr, &e, err);
    });
    slt_exporter* exporter = nullptr;
    REQUIRE(f->create(nullptr, &exporter, nullptr) == SLT_OK);
    slt_export_header header{};
    header.struct_size = sizeof header;
    expect_guarded([&](slt_error* err) { return f->begin(exporter, "out.thr", &header, err); });
    slt_export_points points{};
    points.struct_size = sizeof points;
    expect_guarded([&](slt_error* err) { return f->write(exporter, &points, err); });
    expect_guarded([&](slt_error* err) { return f->finish(exporter, err); });
    slt_import_sink sink{};
    sink.struct_size = sizeof sink;
    sink.point = [](const slt_import_sink*, const slt_import_point* p, slt_error* e) {
        return slt_error_set(e, SLT_ERR_NOT_FOUND, "no class '%s'", p->class_name);
    };
    expect_guarded([&](slt_error* err) { return f->import_labels(exporter, "in.thr", &sink, nullptr, err); });

    SECTION("a host callback's failure comes back with its own status and message")
    {
        char buffer[128] = "";
        slt_error err{buffer, sizeof buffer};
        REQUIRE(f->import_labels(exporter, "in.thr", &sink, nullptr, &err) == SLT_ERR_NOT_FOUND);
        CHECK(std::string(buffer) == "no class 'Tumour'");
    }
    f->destroy(exporter);
}

TEST_CASE("model trampolines turn exceptions into statuses")
{
    const auto* f = table_of<ThrowingModel, slt_model_factory>();
    expect_guarded([&](slt_error* err) {
        slt_model* m = nullptr;
        return f->create(nullptr, "", &m, err);
    });
    slt_model* model = nullptr;
    REQUIRE(f->create(nullptr, nullptr, &model, nullptr) == SLT_OK);
    expect_guarded([&](slt_error* err) {
        slt_model_info info{};
        info.struct_size = sizeof info;
        return f->describe(model, &info, err);
    });
    expect_guarded([&](slt_error* err) { return f->load_checkpoint(model, "c.pt", err); });
    expect_guarded([&](slt_error* err) { return f->save_checkpoint(model, "c.pt", err); });
    slt_train_dataset ds{};
    ds.struct_size = sizeof ds;
    ds.size = [](const slt_train_dataset*) -> int64_t { return 0; };
    ds.get = [](const slt_train_dataset*, int64_t, slt_train_sample*, slt_error*) -> slt_status { return SLT_OK; };
    ds.release = [](const slt_train_dataset*, slt_train_sample*) {};
    slt_train_options options{};
    options.struct_size = sizeof options;
    expect_guarded([&](slt_error* err) { return f->train(model, &ds, nullptr, &options, nullptr, nullptr, err); });
    expect_guarded([&](slt_error* err) {
        slt_predict_shape shape{};
        shape.struct_size = sizeof shape;
        return f->predict_shape(model, 1, 4, 4, 2, &shape, err);
    });
    uint8_t pixels[1 * 4 * 4 * 3] = {};
    slt_array images{pixels, SLT_DTYPE_U8, 4, {1, 4, 4, 3}, {48, 12, 3, 1}};
    float probs[2 * 1 * 2 * 4 * 4] = {};
    slt_array out{probs, SLT_DTYPE_F32, 5, {2, 1, 2, 4, 4}, {32, 32, 16, 4, 1}};
    expect_guarded([&](slt_error* err) { return f->predict(model, &images, 2, 7, &out, nullptr, nullptr, err); });

    SECTION("an output array of the wrong shape is refused before predict")
    {
        out.shape[2] = 3;
        char buffer[128] = "";
        slt_error err{buffer, sizeof buffer};
        REQUIRE(f->predict(model, &images, 2, 7, &out, nullptr, nullptr, &err) == SLT_ERR_INVALID_ARGUMENT);
        CHECK(std::string(buffer) == "out_probs: shape differs from predict_shape()");
    }
    f->destroy(model);
}

TEST_CASE("host proxies check struct_size and report statuses as values")
{
    using namespace slt::sdk::host;
    SECTION("a table older than revision 1 is refused")
    {
        slt_sampler_factory old = *table_of<ThrowingSampler, slt_sampler_factory>();
        old.struct_size = 8;
        auto proxy = SamplerProxy::create(&old, nullptr);
        REQUIRE_FALSE(proxy.ok());
        CHECK(proxy.status().code == SLT_ERR_INVALID_ARGUMENT);
        CHECK(proxy.message().find("struct_size") != std::string::npos);
    }
    SECTION("a missing factory is not found")
    {
        auto proxy = MetricSet::create(nullptr, nullptr, {"throwing"});
        CHECK(proxy.status().code == SLT_ERR_NOT_FOUND);
    }
    SECTION("a throwing create becomes a failed result with the plugin's message")
    {
        g_throw = Throw::SdkError;
        auto proxy = ExporterProxy::create(table_of<ThrowingExporter, slt_exporter_factory>(), nullptr);
        g_throw = Throw::Nothing;
        REQUIRE_FALSE(proxy.ok());
        CHECK(proxy.status().code == SLT_ERR_IO);
        CHECK(proxy.message() == "create: disk gone");
    }
    SECTION("the sampler proxy rejects an answer that breaks the contract")
    {
        auto proxy = SamplerProxy::create(table_of<ThrowingSampler, slt_sampler_factory>(), nullptr);
        REQUIRE(proxy.ok());
        float scores[3] = {0.1f, 0.2f, 0.3f};
        slt_array view = vector_f32(scores, 3);
        slt_sampler_input in{};
        in.struct_size = sizeof in;
        in.num_points = 3;
        in.scores = &view;
        auto picked = proxy->select(in, 2);
        REQUIRE_FALSE(picked.ok());
        CHECK(picked.status().code == SLT_ERR_INTERNAL);
    }
    SECTION("bank, model proxies return values")
    {
        auto bank = BankProxy::open(table_of<ThrowingBank, slt_bank_factory>(), nullptr, "x", SLT_BANK_READ);
        REQUIRE(bank.ok());
        auto meta = bank->metadata();
        REQUIRE(meta.ok());
        CHECK(meta->num_classes == 1);
        CHECK(std::string(meta->class_names[0]) == "Tumour");
        CHECK(bank->image_name(0) == "slide-a");
        auto crop = bank->read_crop(0, SLT_CROP_RGB);
        REQUIRE(crop.ok());
        CHECK(crop->bytes == std::vector<uint8_t>{1, 2, 3});
        auto attribute = bank->attribute("calibration/bald");
        REQUIRE(attribute.ok());
        CHECK(*attribute == "value");
        CHECK(bank->close().ok());

        auto model = ModelProxy::create(table_of<ThrowingModel, slt_model_factory>(), nullptr);
        REQUIRE(model.ok());
        auto shape = model->predict_shape(2, 8, 8, 20);
        REQUIRE(shape.ok());
        CHECK(shape->ndim_probs == 5);
        CHECK(shape->probs[0] == 20);
    }
}

TEST_CASE("the metric set proxy lists metrics, picks them by name and computes into any buffer")
{
    using namespace slt::sdk::host;
    const void* factory = table_of<ThrowingMetric, slt_metric_factory>();
    auto all = MetricSet::list(factory);
    REQUIRE(all.ok());
    REQUIRE(all->size() == 2);
    CHECK((*all)[0].name == "throwing");
    CHECK((*all)[0].display_name == "Throwing");
    CHECK((*all)[0].description.empty());
    CHECK((*all)[1].description == "Minus the first probability");
    CHECK_FALSE((*all)[1].higher_is_more_uncertain);

    auto set = MetricSet::create(factory, nullptr, {"lower", "throwing"});
    REQUIRE(set.ok());
    CHECK(set->columns() == 2);
    CHECK(set->min_mc_samples() == 2);
    auto range = set->value_range(0, 3, 2);
    REQUIRE(range.ok());
    CHECK((range->first == -1 && range->second == 0));
    CHECK(set->value_range(2, 3, 2).status().code == SLT_ERR_INVALID_ARGUMENT);

    float probs[2 * 3 * 2] = {0.5f, 0.5f, 0.2f, 0.8f, 0.9f, 0.1f, 0.5f, 0.5f, 0.2f, 0.8f, 0.9f, 0.1f};
    slt_array p{probs, SLT_DTYPE_F32, 3, {2, 3, 2}, {6, 2, 1}};
    SECTION("into a new vector, row-major [N, columns]")
    {
        auto scores = set->compute(p);
        REQUIRE(scores.ok());
        CHECK(*scores == std::vector<float>{-0.5f, 0.5f, -0.2f, 0.2f, -0.9f, 0.9f});
    }
    SECTION("into a caller buffer, refusing one that is too small and leaving it untouched")
    {
        float buffer[6] = {7, 7, 7, 7, 7, 7};
        auto small = set->compute(p, buffer, 5);
        CHECK(small.code == SLT_ERR_BUFFER_TOO_SMALL);
        CHECK(buffer[0] == 7);
        REQUIRE(set->compute(p, buffer, 6).ok());
        CHECK(buffer[5] == 0.9f);
    }
    SECTION("bad arrays and too few samples are refused before the plugin is called")
    {
        p.shape[0] = 1;
        auto few = set->compute(p);
        CHECK(few.status().code == SLT_ERR_INVALID_ARGUMENT);
        CHECK(few.message() == "compute: the selected metrics need at least 2 MC samples, got 1");
        p.shape[0] = 2;
        p.dtype = SLT_DTYPE_F16;
        CHECK(set->compute(p).status().code == SLT_ERR_INVALID_ARGUMENT);
        p.dtype = SLT_DTYPE_F32;
        float scores[3] = {};
        slt_array wrong{scores, SLT_DTYPE_F32, 1, {3}, {1}};
        CHECK(set->compute(p, wrong).code == SLT_ERR_INVALID_ARGUMENT);
    }
    SECTION("unknown or repeated names, and an empty selection, are refused")
    {
        auto unknown = MetricSet::create(factory, nullptr, {"bald"});
        CHECK(unknown.status().code == SLT_ERR_NOT_FOUND);
        CHECK(unknown.message() == "create: the plugin has no metric 'bald'");
        CHECK(MetricSet::create(factory, nullptr, {"lower", "lower"}).status().code == SLT_ERR_INVALID_ARGUMENT);
        CHECK(MetricSet::create(factory, nullptr, {}).status().code == SLT_ERR_INVALID_ARGUMENT);
    }
    SECTION("a table breaking the contract is refused by list()")
    {
        slt_metric_factory broken = *table_of<ThrowingMetric, slt_metric_factory>();
        broken.num_metrics = 3; // get_metric(2) answers NULL
        auto listed = MetricSet::list(&broken);
        CHECK(listed.status().code == SLT_ERR_INVALID_ARGUMENT);
        CHECK(listed.message() == "metric 2: get_metric returned NULL");
        broken.num_metrics = 0;
        CHECK(MetricSet::list(&broken).message() == "metric factory declares no metric");
    }
}
