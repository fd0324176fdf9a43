// `slt-cli bank build` (SPEC B2, B4): runs a model plugin's Monte-Carlo prediction over tiles or whole
// slides, picks candidate points, scores them with metric plugins and writes a bank through BankWriter.
//
// Work items: with --images, blocks of `batch` consecutive images (one predict() call per block, or per run
// of equally sized images in it); with --slides, one slide each (its tiles predicted `batch` at a time).
// Shard i/n takes items i, i + n, ...; the MC seed of a predict() call is derived from (seed, index of its
// first image or slide, first tile), so any sharding with the same batch gives the same values.
//
// Resume: the bank is written to "<out>.partial" until it is complete, then renamed to <out>. A cancelled
// or failed build (after at least one item) leaves "<out>.partial" as a finished bank holding the items done
// plus text attributes build/state = "interrupted" and build/progress = "item=K tile=T"; a later run with
// resume = true and the same arguments (build/args) copies it and continues from there.
#pragma once

#include "slt/core/bank/bank_backend.hpp"
#include "slt/core/bank/metric_plugins.hpp"
#include "slt/core/bank_build/build_inputs.hpp"
#include "slt/core/bank_build/candidate_points.hpp"
#include "slt/core/result.hpp"

#include <QString>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace slt::core {

class PluginManager;
namespace training_data {
class ImageAccess;
}

inline constexpr const char* kDefaultModelPlugin = "org.slt.model.unet-concrete";

enum class BuildInputKind { Images, Slides };

struct BankBuildOptions {
    QString modelPluginId = QLatin1String(kDefaultModelPlugin);
    QString checkpoint;
    // The model's creation config (TOML text in the plugin's schema; empty = its defaults). It must describe the
    // checkpoint's architecture: a unet-concrete checkpoint's sidecar (CKPT.toml) is such a config.
    std::string modelConfigToml;
    BuildInputKind inputKind = BuildInputKind::Images;
    QString inputPath;                // the CSV or folder of images, or the folder of slides
    QString output;
    int32_t mcSamples = 0;            // 0: the model's default
    std::vector<std::string> metrics; // score columns, in order; the first one drives localmax
    PointOptions points;
    Shard shard;
    bool resume = false;
    int32_t batch = 8;
    uint64_t seed = 1;
    int32_t cropSize = 64;            // 0: no crops
    int64_t stopAfterItems = 0;       // tests: stop as if cancelled after this many items of this run; 0 = never
};

struct BuildProgress {
    int64_t itemsDone = 0, itemsTotal = 0; // work items of this shard (including those resumed)
    int64_t images = 0, points = 0;        // in the bank so far
};

struct BankBuildServices {
    const PluginManager* plugins = nullptr;
    BankBackend backend;                                // writes the bank
    std::vector<MetricPlugin> metricPlugins;
    training_data::ImageAccess* images = nullptr;       // decodes tiles and reads slides (RasterImageAccess)
    std::function<void(const BuildProgress&)> progress; // may be empty
    std::function<void(const QString&)> note;           // one-line notices (resuming, ...); may be empty
    const std::atomic<bool>* cancelled = nullptr;       // set from a signal handler to stop cleanly
};

struct BankBuildSummary {
    bool complete = false;        // false: stopped early, `partialPath` is resumable
    bool alreadyComplete = false; // resume found <out> finished with the same arguments
    int64_t images = 0, points = 0, itemsDone = 0, itemsTotal = 0;
    double seconds = 0;           // this run only
    int64_t pointsThisRun = 0;
    QString partialPath;
};

QString partialBankPath(const QString& output); // "<out>.partial"

// The seed given to predict() for a run of images starting at input index `firstImage` (--images), or for
// the tiles of slide `slide` from tile `firstTile` on: mcSeed(mcSeed(seed, slide), firstTile).
uint64_t mcSeed(uint64_t seed, uint64_t index);

// Failures before any item is written leave nothing behind; later ones leave a resumable partial bank and
// say so in the message.
Result<BankBuildSummary> buildBank(const BankBuildOptions& options, const BankBuildServices& services);

} // namespace slt::core
