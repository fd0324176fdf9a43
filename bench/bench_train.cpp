#include "bench_train.hpp"

#include "bench_report.hpp"
#include "bench_support.hpp"

#include "slt/sdk/cpp/host/model_proxy.hpp"

#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>
#include <string>
#include <vector>

namespace slt::bench {
namespace {

const char* const kModelPlugin = "org.slt.model.unet-concrete";

struct TrainBenchOptions {
    int64_t side = 64;
    int64_t batch = 8;
    int64_t images = 32; // per epoch
    int64_t threads = 0; // 0: the plugin's choice (hardware concurrency)
    int64_t runs = 3;
};

// Noise tiles with 8 random points each over 9 classes, served through slt_train_dataset.
class NoiseTiles {
public:
    NoiseTiles(int64_t count, int64_t side) : side_(side)
    {
        uint32_t state = 2024;
        auto next = [&] { return state = state * 1664525u + 1013904223u; };
        for (int64_t i = 0; i < count; ++i) {
            Tile t;
            t.rgb.resize(static_cast<size_t>(side * side * 3));
            for (uint8_t& p : t.rgb) p = static_cast<uint8_t>(next() >> 24);
            for (int k = 0; k < 8; ++k) {
                t.x.push_back(static_cast<float>(next() % static_cast<uint32_t>(side)));
                t.y.push_back(static_cast<float>(next() % static_cast<uint32_t>(side)));
                t.classes.push_back(static_cast<int32_t>(next() % 9));
            }
            tiles_.push_back(std::move(t));
        }
        c_.struct_size = sizeof c_;
        c_.user = this;
        c_.size = [](const slt_train_dataset* d) { return static_cast<int64_t>(self(d)->tiles_.size()); };
        c_.get = &get;
        c_.release = [](const slt_train_dataset*, slt_train_sample*) {};
    }
    const slt_train_dataset& c() const { return c_; }

private:
    struct Tile {
        std::vector<uint8_t> rgb;
        std::vector<float> x, y;
        std::vector<int32_t> classes;
    };
    static NoiseTiles* self(const slt_train_dataset* d) { return static_cast<NoiseTiles*>(d->user); }
    static slt_status get(const slt_train_dataset* d, int64_t index, slt_train_sample* out, slt_error*)
    {
        NoiseTiles* n = self(d);
        Tile& t = n->tiles_[static_cast<size_t>(index)];
        out->image = slt_array{t.rgb.data(), SLT_DTYPE_U8, 3, {n->side_, n->side_, 3}, {n->side_ * 3, 3, 1}};
        out->num_points = static_cast<int64_t>(t.x.size());
        out->point_x = t.x.data();
        out->point_y = t.y.data();
        out->point_class = t.classes.data();
        out->weight = 1.0f;
        return SLT_OK;
    }

    int64_t side_;
    std::vector<Tile> tiles_;
    slt_train_dataset c_{};
};

// Seconds of one train() call of one epoch (it includes writing best.pt and last.pt); negative on failure.
double timeOneEpoch(sdk::host::ModelProxy& model, const NoiseTiles& data, const TrainBenchOptions& o)
{
    QTemporaryDir out;
    const std::string dir = out.path().toStdString();
    slt_train_options options{};
    options.struct_size = sizeof options;
    options.epochs = 1;
    options.batch_size = static_cast<int32_t>(o.batch);
    options.seed = 1;
    options.output_dir = dir.c_str();
    options.num_threads = static_cast<int32_t>(o.threads);
    options.world_size = 1;
    QElapsedTimer timer;
    timer.start();
    const auto status = model.train(data.c(), nullptr, options);
    if (!status) {
        std::fprintf(stderr, "slt-bench train: %s\n", status.message.c_str());
        return -1;
    }
    return static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

// Median training images/s of `runs` epochs after one warm-up epoch; negative on failure.
double imagesPerSecond(const core::PluginManager& plugins, const char* preset, const TrainBenchOptions& o)
{
    const std::string config = "preset = \"" + std::string(preset) + "\"\nthreads = " + std::to_string(o.threads) + "\n";
    auto model = sdk::host::ModelProxy::create(plugins.factory(kModelPlugin, SLT_MODEL_FACTORY_ID),
                                               plugins.host(kModelPlugin), config);
    if (!model) {
        std::fprintf(stderr, "slt-bench train: %s\n", model.message().c_str());
        return -1;
    }
    const NoiseTiles data(o.images, o.side);
    std::vector<double> rates;
    for (int64_t run = -1; run < o.runs; ++run) {
        const double seconds = timeOneEpoch(*model, data, o);
        if (seconds < 0) return -1;
        if (run >= 0) rates.push_back(static_cast<double>(o.images) / seconds);
    }
    return median(rates);
}

} // namespace

int runTrain(const QStringList& args)
{
    auto parsed = parseIntOptions("train", args,
                                  {{"--side", 64}, {"--batch", 8}, {"--images", 32}, {"--threads", 0}, {"--runs", 3}});
    if (!parsed) return 2;
    TrainBenchOptions o;
    o.side = std::max<int64_t>(16, (*parsed)["--side"]);
    o.batch = std::max<int64_t>(1, (*parsed)["--batch"]);
    o.images = std::max<int64_t>(1, (*parsed)["--images"]);
    o.threads = (*parsed)["--threads"];
    o.runs = std::max<int64_t>(1, (*parsed)["--runs"]);

    BundledPlugins plugins;
    if (!plugins.manager->factory(kModelPlugin, SLT_MODEL_FACTORY_ID)) {
        std::fprintf(stderr, "slt-bench train: plugin %s is not active (build the 'unet-concrete' target)\n", kModelPlugin);
        return 1;
    }
    for (const char* preset : {"small", "original"}) {
        const double rate = imagesPerSecond(*plugins.manager, preset, o);
        if (rate < 0) return 1;
        print({"train", QString("%1_%2").arg(preset).arg(o.side), rate, "images/s", std::nullopt,
               QJsonObject{{"preset", preset}, {"side", qint64(o.side)}, {"batch", qint64(o.batch)},
                           {"images_per_epoch", qint64(o.images)}, {"threads", qint64(o.threads)},
                           {"runs", qint64(o.runs)}, {"includes", "one best.pt + last.pt write per epoch"}}});
    }
    return 0;
}

} // namespace slt::bench
