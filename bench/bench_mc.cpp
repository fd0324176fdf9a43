#include "bench_mc.hpp"

#include "bench_report.hpp"
#include "bench_support.hpp"

#include "slt/sdk/cpp/host/model_proxy.hpp"

#include <QElapsedTimer>

#include <cstdio>
#include <string>
#include <vector>

namespace slt::bench {
namespace {

const char* const kModelPlugin = "org.slt.model.unet-concrete";

struct McOptions {
    int64_t passes = 20;
    int64_t batch64 = 8;   // images per predict() call at 64×64
    int64_t batch256 = 2;  // at 256×256 (the original preset runs ~0.1 image/s there on two cores)
    int64_t threads = 0;   // 0: the plugin's choice (hardware concurrency)
    int64_t runs = 1;
    bool small = false;
};

struct Variant {
    const char* placement;   // dropout_placement
    const char* strategy;    // mc_strategy
    const char* decoder;     // decoder: "symmetric" (the original's) or "light"
};

std::string configFor(const McOptions& o, const Variant& v)
{
    std::string config = o.small ? "preset = \"small\"\n" : "preset = \"original\"\n";
    config += "dropout_placement = \"" + std::string(v.placement) + "\"\nmc_strategy = \"" + v.strategy + "\"\n";
    config += "decoder = \"" + std::string(v.decoder) + "\"\n";
    config += "threads = " + std::to_string(o.threads) + "\nmax_batch = 8\n";
    return config;
}

// Median images/s of `runs` predict() calls of `batch` side×side images with T passes (after a one-pass
// warm-up call). Negative on failure, with the message printed.
double imagesPerSecond(const core::PluginManager& plugins, const McOptions& o, const Variant& v, int64_t side,
                       int64_t batch)
{
    auto model = sdk::host::ModelProxy::create(plugins.factory(kModelPlugin, SLT_MODEL_FACTORY_ID),
                                               plugins.host(kModelPlugin), configFor(o, v));
    if (!model) {
        std::fprintf(stderr, "slt-bench mc: %s\n", model.message().c_str());
        return -1;
    }
    auto info = model->describe();
    const int64_t classes = info ? info->num_classes : 0;
    std::vector<uint8_t> pixels(static_cast<size_t>(batch * side * side * 3));
    uint32_t state = 12345;
    for (uint8_t& p : pixels) p = static_cast<uint8_t>((state = state * 1664525u + 1013904223u) >> 24);
    std::vector<float> probs(static_cast<size_t>(o.passes * batch * classes * side * side));
    slt_array images{pixels.data(), SLT_DTYPE_U8, 4, {batch, side, side, 3}, {side * side * 3, side * 3, 3, 1}};
    const int64_t plane = side * side;
    slt_array out{probs.data(), SLT_DTYPE_F32, 5, {o.passes, batch, classes, side, side},
                  {batch * classes * plane, classes * plane, plane, side, 1}};
    // The warm-up call creates the convolution primitives for these shapes; one pass is enough.
    slt_array warmOut = out;
    warmOut.shape[0] = 1;
    std::vector<double> rates;
    for (int64_t run = -1; run < o.runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        const auto status = run < 0 ? model->predict(images, 1, 7, warmOut)
                                    : model->predict(images, static_cast<int32_t>(o.passes), 7, out);
        const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
        if (!status) {
            std::fprintf(stderr, "slt-bench mc: %s\n", status.message.c_str());
            return -1;
        }
        if (run >= 0) rates.push_back(static_cast<double>(batch) / seconds);
    }
    return median(rates);
}

QJsonObject context(const McOptions& o, int64_t side, int64_t batch)
{
    return QJsonObject{{"preset", o.small ? "small" : "original"}, {"passes", qint64(o.passes)},
                       {"side", qint64(side)}, {"batch", qint64(batch)}, {"threads", qint64(o.threads)},
                       {"runs", qint64(o.runs)}};
}

} // namespace

int runMc(const QStringList& args)
{
    auto parsed = parseIntOptions("mc", args,
                                  {{"--passes", 20}, {"--batch", 8}, {"--batch-256", 2}, {"--threads", 0}, {"--runs", 1},
                                   {"--small", 0}});
    if (!parsed) return 2;
    McOptions o;
    o.passes = std::max<int64_t>(1, (*parsed)["--passes"]);
    o.batch64 = std::max<int64_t>(1, (*parsed)["--batch"]);
    o.batch256 = std::max<int64_t>(1, (*parsed)["--batch-256"]);
    o.threads = (*parsed)["--threads"];
    o.runs = std::max<int64_t>(1, (*parsed)["--runs"]);
    o.small = (*parsed)["--small"] != 0;

    BundledPlugins plugins;
    if (!plugins.manager->factory(kModelPlugin, SLT_MODEL_FACTORY_ID)) {
        std::fprintf(stderr, "slt-bench mc: plugin %s is not active (build the 'unet-concrete' target)\n", kModelPlugin);
        return 1;
    }
    // Each MC strategy is compared with T full passes of the same network (same masks, same numbers).
    const Variant decoderLoop{"decoder", "auto", "symmetric"};
    const Variant decoderFull{"decoder", "full-passes", "symmetric"};
    const Variant lightLoop{"decoder", "auto", "light"};
    const Variant lightFull{"decoder", "full-passes", "light"};
    const Variant every{"every", "auto", "symmetric"};
    for (const auto& [side, batch] : {std::pair<int64_t, int64_t>{64, o.batch64}, {256, o.batch256}}) {
        const double full = imagesPerSecond(*plugins.manager, o, decoderFull, side, batch);
        const double loop = imagesPerSecond(*plugins.manager, o, decoderLoop, side, batch);
        const double everyRate = imagesPerSecond(*plugins.manager, o, every, side, batch);
        const double lightFullRate = imagesPerSecond(*plugins.manager, o, lightFull, side, batch);
        const double lightLoopRate = imagesPerSecond(*plugins.manager, o, lightLoop, side, batch);
        if (full < 0 || loop < 0 || everyRate < 0 || lightFullRate < 0 || lightLoopRate < 0) return 1;
        const QString size = QString::number(side);
        print({"mc", "decoder_full_passes_" + size, full, "images/s", std::nullopt, context(o, side, batch)});
        print({"mc", "decoder_loop_" + size, loop, "images/s", full, context(o, side, batch)});
        print({"mc", "every_block_" + size, everyRate, "images/s", full, context(o, side, batch)});
        print({"mc", "light_decoder_full_passes_" + size, lightFullRate, "images/s", std::nullopt, context(o, side, batch)});
        print({"mc", "light_decoder_loop_" + size, lightLoopRate, "images/s", lightFullRate, context(o, side, batch)});
    }
    return 0;
}

} // namespace slt::bench
