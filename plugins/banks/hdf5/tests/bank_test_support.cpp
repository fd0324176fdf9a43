#include "bank_test_support.hpp"

#include <catch2/catch.hpp>

#include <random>

namespace bank_test {

const void* factory()
{
    static const void* loaded = slt::banks::test::load_bank_factory(SLT_HDF5_PLUGIN_PATH);
    return loaded;
}

const slt_bank_factory* table()
{
    auto f = BankProxy::factory(factory());
    REQUIRE(f.ok());
    return *f;
}

Points Points::make(const Shape& shape, int64_t count, int32_t images, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    Points p;
    p.count = count;
    for (int64_t i = 0; i < count; ++i) {
        p.image_index.push_back(static_cast<int32_t>(rng() % static_cast<uint32_t>(images)));
        p.predicted_class.push_back(static_cast<int32_t>(rng() % static_cast<uint32_t>(shape.classes)));
        p.x.push_back(unit(rng) * 100000.0f);
        p.y.push_back(unit(rng) * 80000.0f);
        for (int32_t c = 0; c < shape.classes; ++c) p.mean_probs.push_back(unit(rng));
        for (int32_t m = 0; m < shape.metrics; ++m) p.scores.push_back(unit(rng) * 3.0f - 1.0f);
        for (int32_t d = 0; d < shape.dim; ++d) p.embeddings.push_back(unit(rng) * 20.0f - 10.0f);
        for (int32_t b = 0; b < shape.crop_width * shape.crop_height * 3; ++b)
            p.crops.push_back(static_cast<uint8_t>(rng() & 0xff));
    }
    return p;
}

slt_bank_points Points::view()
{
    slt_bank_points v{};
    v.struct_size = sizeof v;
    v.count = count;
    v.image_index = image_index.data();
    v.x = x.data();
    v.y = y.data();
    v.predicted_class = predicted_class.data();
    v.mean_probs = mean_probs.data();
    v.scores = scores.empty() ? nullptr : scores.data();
    v.embeddings = embeddings.empty() ? nullptr : embeddings.data();
    v.crops = crops.empty() ? nullptr : crops.data();
    return v;
}

void Points::append(const Points& o)
{
    count += o.count;
    image_index.insert(image_index.end(), o.image_index.begin(), o.image_index.end());
    predicted_class.insert(predicted_class.end(), o.predicted_class.begin(), o.predicted_class.end());
    x.insert(x.end(), o.x.begin(), o.x.end());
    y.insert(y.end(), o.y.begin(), o.y.end());
    mean_probs.insert(mean_probs.end(), o.mean_probs.begin(), o.mean_probs.end());
    scores.insert(scores.end(), o.scores.begin(), o.scores.end());
    embeddings.insert(embeddings.end(), o.embeddings.begin(), o.embeddings.end());
    crops.insert(crops.end(), o.crops.begin(), o.crops.end());
}

MetadataHolder::MetadataHolder(const Shape& shape)
{
    const char* palette[] = {"#ff0000", "#00ff00", "#0000ff", "#ffff00", "#00ffff", "#ff00ff"};
    for (int32_t c = 0; c < shape.classes; ++c) {
        ids.push_back(c * 2 + 1);
        names.push_back("class " + std::to_string(c) + " é");
        colours.push_back(palette[c % 6]);
    }
    for (int32_t m = 0; m < shape.metrics; ++m) metrics.push_back("metric_" + std::to_string(m));
    for (auto& s : names) name_ptrs.push_back(s.c_str());
    for (auto& s : colours) colour_ptrs.push_back(s.c_str());
    for (auto& s : metrics) metric_ptrs.push_back(s.c_str());
    meta.struct_size = sizeof meta;
    meta.model_id = "org.slt.model.unet/unet-w16";
    meta.checkpoint_hash = "0123456789abcdef";
    meta.mc_samples = 20;
    meta.num_classes = shape.classes;
    meta.class_ids = ids.data();
    meta.class_names = name_ptrs.data();
    meta.class_colours = colour_ptrs.data();
    meta.num_metrics = shape.metrics;
    meta.metric_names = metric_ptrs.data();
    meta.embedding_dim = shape.dim;
    meta.crop_width = shape.crop_width;
    meta.crop_height = shape.crop_height;
}

void write_bank(const fs::path& path, const Shape& shape, const std::vector<std::string>& images, Points& points,
                int64_t batch)
{
    MetadataHolder holder(shape);
    auto bank = BankProxy::open(factory(), nullptr, path.string(), SLT_BANK_CREATE, &holder.meta);
    INFO(bank.message());
    REQUIRE(bank.ok());
    REQUIRE(bank->append_images(images).ok());
    for (int64_t first = 0; first < points.count; first += batch) {
        const int64_t n = std::min(batch, points.count - first);
        slt_bank_points v = points.view();
        v.count = n;
        v.image_index += first;
        v.x += first;
        v.y += first;
        v.predicted_class += first;
        v.mean_probs += first * shape.classes;
        if (v.scores) v.scores += first * shape.metrics;
        if (v.embeddings) v.embeddings += first * shape.dim;
        if (v.crops) v.crops += first * shape.crop_width * shape.crop_height * 3;
        const auto status = bank->append_points(v);
        INFO(status.message);
        REQUIRE(status.ok());
    }
    const auto closed = bank->close();
    INFO(closed.message);
    REQUIRE(closed.ok());
}

BankProxy open_bank(const fs::path& path, slt_bank_mode mode)
{
    auto bank = BankProxy::open(factory(), nullptr, path.string(), mode);
    INFO(bank.message());
    REQUIRE(bank.ok());
    return std::move(*bank);
}

Points read_all(BankProxy& bank, const Shape& shape)
{
    auto meta = bank.metadata();
    REQUIRE(meta.ok());
    Points p;
    p.count = meta->num_points;
    const size_t n = static_cast<size_t>(p.count);
    p.image_index.resize(n);
    p.predicted_class.resize(n);
    p.x.resize(n);
    p.y.resize(n);
    p.mean_probs.resize(n * static_cast<size_t>(shape.classes));
    p.scores.resize(n * static_cast<size_t>(shape.metrics));
    p.embeddings.resize(n * static_cast<size_t>(shape.dim));
    slt_bank_columns columns{};
    columns.count = p.count;
    columns.image_index = p.image_index.data();
    columns.x = p.x.data();
    columns.y = p.y.data();
    columns.predicted_class = p.predicted_class.data();
    columns.mean_probs = p.mean_probs.data();
    columns.scores = p.scores.data();
    columns.embeddings = p.embeddings.data();
    const auto status = bank.read_points(0, columns);
    INFO(status.message);
    REQUIRE(status.ok());
    return p;
}

} // namespace bank_test
