#include "bank_build_command.hpp"

#include "bank_cli_support.hpp"

#include <slt/core/bank_build/bank_builder.hpp>
#include <slt/core/training_data/raster_image_access.hpp>

#include <QElapsedTimer>
#include <QFile>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <limits>

namespace slt::cli {
namespace {

std::atomic<bool> cancelRequested{false};

extern "C" void requestCancel(int)
{
    cancelRequested.store(true);
}

// SIGINT and SIGTERM (Ctrl-C, a cluster's job cancel) stop the build after the current batch.
class CancelOnSignals {
public:
    CancelOnSignals()
    {
        cancelRequested.store(false);
        previousInt_ = std::signal(SIGINT, requestCancel);
        previousTerm_ = std::signal(SIGTERM, requestCancel);
    }
    ~CancelOnSignals()
    {
        std::signal(SIGINT, previousInt_);
        std::signal(SIGTERM, previousTerm_);
    }

private:
    void (*previousInt_)(int);
    void (*previousTerm_)(int);
};

std::optional<core::PointStrategy> strategyNamed(const QString& name)
{
    if (name == QLatin1String("centre") || name == QLatin1String("center")) return core::PointStrategy::Centre;
    if (name == QLatin1String("grid")) return core::PointStrategy::Grid;
    if (name == QLatin1String("localmax")) return core::PointStrategy::LocalMax;
    if (name == QLatin1String("contrast")) return core::PointStrategy::ContrastPeaks;
    return std::nullopt;
}

struct Options {
    QCommandLineOption model{QStringLiteral("model"), QStringLiteral("The model checkpoint (required)."), QStringLiteral("CKPT")};
    QCommandLineOption modelPlugin{QStringLiteral("model-plugin"),
                                   QStringLiteral("The model plugin id (default %1).").arg(QLatin1String(core::kDefaultModelPlugin)), QStringLiteral("ID")};
    QCommandLineOption modelConfig{QStringLiteral("model-config"),
                                   QStringLiteral("The model's creation config (TOML; default: the plugin's defaults). It must match the "
                                                  "checkpoint's architecture; for unet-concrete pass the checkpoint's sidecar CKPT.toml."),
                                   QStringLiteral("FILE")};
    QCommandLineOption images{QStringLiteral("images"), QStringLiteral("A CSV of images (first column: path relative to the CSV) or a folder of PNG/TIFF/JPEG tiles."), QStringLiteral("CSV|DIR")};
    QCommandLineOption slides{QStringLiteral("slides"), QStringLiteral("A folder of whole-slide images (OpenSlide), tiled at level 0 in model-input-size tiles."), QStringLiteral("DIR")};
    QCommandLineOption out{QStringLiteral("out"), QStringLiteral("The bank to write (required)."), QStringLiteral("BANK")};
    QCommandLineOption mc{QStringLiteral("mc"), QStringLiteral("Monte-Carlo passes T (default: the model's)."), QStringLiteral("T")};
    QCommandLineOption metrics{QStringLiteral("metrics"), QStringLiteral("Score columns, comma-separated (default bald,entropy,msp); the first drives localmax and contrast."), QStringLiteral("list")};
    QCommandLineOption points{QStringLiteral("points"), QStringLiteral("Candidate points: centre (default), grid, localmax or contrast."), QStringLiteral("strategy")};
    QCommandLineOption gridStep{QStringLiteral("grid-step"), QStringLiteral("grid: cell size in pixels (default 32)."), QStringLiteral("N")};
    QCommandLineOption window{QStringLiteral("window"), QStringLiteral("localmax: window side in pixels, also the suppression distance (default 15)."), QStringLiteral("W")};
    QCommandLineOption margin{QStringLiteral("edge-margin"), QStringLiteral("grid, localmax, contrast: no point closer to the tile border (default 0)."), QStringLiteral("M")};
    QCommandLineOption smoothing{QStringLiteral("smoothing"), QStringLiteral("localmax, contrast: Gaussian sigma in pixels before the search (default 0: none)."), QStringLiteral("sigma")};
    QCommandLineOption maxPoints{QStringLiteral("max-points-per-tile"), QStringLiteral("localmax, contrast: keep the K highest (default 0: all)."), QStringLiteral("K")};
    QCommandLineOption contrast{QStringLiteral("contrast"), QStringLiteral("contrast: the least dynamic h of a peak, in score units (default 0.05)."), QStringLiteral("H")};
    QCommandLineOption minDistance{QStringLiteral("min-distance"), QStringLiteral("contrast: no two points within D pixels of each other (Euclidean; default 32)."), QStringLiteral("D")};
    QCommandLineOption shard{QStringLiteral("shard"), QStringLiteral("Process work items i, i+n, ... (default 0/1)."), QStringLiteral("i/n")};
    QCommandLineOption resume{QStringLiteral("resume"), QStringLiteral("Continue an interrupted build from <out>.partial (a finished <out> with the same arguments is left as it is).")};
    QCommandLineOption backend{QStringLiteral("backend"), QStringLiteral("Bank backend: hdf5 (default) or sqlite."), QStringLiteral("name"), QStringLiteral("hdf5")};
    QCommandLineOption batch{QStringLiteral("batch"), QStringLiteral("Images (or slide tiles) per predict call and per work item (default 8)."), QStringLiteral("B")};
    QCommandLineOption seed{QStringLiteral("seed"), QStringLiteral("Seed of the MC passes (default 1)."), QStringLiteral("S")};
    QCommandLineOption crop{QStringLiteral("crop-size"), QStringLiteral("Display crop size in pixels (default 64; 0: no crops)."), QStringLiteral("P")};
    QCommandLineOption progress{QStringLiteral("progress"), QStringLiteral("Show progress on stderr even when it is not a terminal.")};
    QCommandLineOption stopAfter{QStringLiteral("stop-after-items"), QStringLiteral("Testing: stop as if cancelled after K work items."), QStringLiteral("K")};

    Options() { stopAfter.setFlags(QCommandLineOption::HiddenFromHelp); }
    QList<QCommandLineOption> all() const
    {
        return {model, modelPlugin, modelConfig, images, slides, out, mc, metrics, points, gridStep, window, margin, smoothing,
                maxPoints, contrast, minDistance, shard, resume, backend, batch, seed, crop, progress, stopAfter};
    }
};

// Point options that only some strategies read: given with another strategy they would be silently ignored, so
// they are refused; returns an exit code (usage error) or -1.
int refuseUnusedPointOptions(CommandLevel& level, const Options& opt, core::PointStrategy strategy)
{
    using S = core::PointStrategy;
    struct Use {
        const QCommandLineOption* option;
        std::vector<S> strategies;
        const char* names;
    };
    const Use uses[] = {
        {&opt.gridStep, {S::Grid}, "grid"},
        {&opt.window, {S::LocalMax}, "localmax"},
        {&opt.margin, {S::Grid, S::LocalMax, S::ContrastPeaks}, "grid, localmax or contrast"},
        {&opt.smoothing, {S::LocalMax, S::ContrastPeaks}, "localmax or contrast"},
        {&opt.maxPoints, {S::LocalMax, S::ContrastPeaks}, "localmax or contrast"},
        {&opt.contrast, {S::ContrastPeaks}, "contrast"},
        {&opt.minDistance, {S::ContrastPeaks}, "contrast"},
    };
    for (const Use& use : uses)
        if (level.parser().isSet(*use.option) &&
            std::find(use.strategies.begin(), use.strategies.end(), strategy) == use.strategies.end())
            return level.usageError(QStringLiteral("--%1 needs --points %2 (it means nothing to the strategy used)")
                                        .arg(use.option->names().constFirst(), QLatin1String(use.names)));
    return -1;
}

// --contrast and --min-distance of the contrast strategy; returns an exit code (usage error) or -1.
int readContrastOptions(CommandLevel& level, const Options& opt, core::PointOptions& points)
{
    QCommandLineParser& p = level.parser();
    if (points.strategy != core::PointStrategy::ContrastPeaks)
        return -1;
    if (p.isSet(opt.contrast)) {
        bool ok = false;
        points.contrast = p.value(opt.contrast).toFloat(&ok);
        if (!ok || !std::isfinite(points.contrast) || points.contrast <= 0)
            return level.usageError(QStringLiteral("--contrast must be a number > 0, got '%1'").arg(p.value(opt.contrast)));
    }
    const auto minDistance = integerOption(level, opt.minDistance, 32, 1, 1 << 16);
    if (!minDistance)
        return ExitUsage;
    points.minDistance = static_cast<int32_t>(*minDistance);
    return -1;
}

// Reads every option into `o`; returns an exit code (usage error) or -1.
int readOptions(CommandLevel& level, const Options& opt, core::BankBuildOptions& o)
{
    QCommandLineParser& p = level.parser();
    if (!p.isSet(opt.model) || !p.isSet(opt.out))
        return level.usageError(QStringLiteral("--model and --out are required"));
    if (p.isSet(opt.images) == p.isSet(opt.slides))
        return level.usageError(QStringLiteral("give exactly one of --images and --slides"));
    o.checkpoint = p.value(opt.model);
    o.output = p.value(opt.out);
    if (p.isSet(opt.modelPlugin))
        o.modelPluginId = p.value(opt.modelPlugin);
    if (p.isSet(opt.modelConfig)) {
        QFile config(p.value(opt.modelConfig));
        if (!config.open(QIODevice::ReadOnly)) {
            printErr(QStringLiteral("slt-cli bank build: cannot read the model config '%1': %2\n")
                         .arg(config.fileName(), config.errorString()));
            return ExitFailure;
        }
        o.modelConfigToml = config.readAll().toStdString();
    }
    o.inputKind = p.isSet(opt.slides) ? core::BuildInputKind::Slides : core::BuildInputKind::Images;
    o.inputPath = p.value(p.isSet(opt.slides) ? opt.slides : opt.images);
    o.resume = p.isSet(opt.resume);
    if (p.isSet(opt.metrics))
        for (const QString& name : p.value(opt.metrics).split(QLatin1Char(','), Qt::SkipEmptyParts))
            o.metrics.push_back(name.trimmed().toStdString());
    if (p.isSet(opt.points)) {
        const auto strategy = strategyNamed(p.value(opt.points));
        if (!strategy)
            return level.usageError(QStringLiteral("--points must be centre, grid, localmax or contrast, got '%1'").arg(p.value(opt.points)));
        o.points.strategy = *strategy;
    }
    if (const int code = refuseUnusedPointOptions(level, opt, o.points.strategy); code >= 0)
        return code;
    if (const int code = readContrastOptions(level, opt, o.points); code >= 0)
        return code;
    if (p.isSet(opt.shard)) {
        auto shard = core::parseShard(p.value(opt.shard));
        if (!shard)
            return level.usageError(shard.error());
        o.shard = *shard;
    }
    if (p.isSet(opt.smoothing)) {
        bool ok = false;
        o.points.smoothingSigma = p.value(opt.smoothing).toFloat(&ok);
        if (!ok || o.points.smoothingSigma < 0 || o.points.smoothingSigma > 100)
            return level.usageError(QStringLiteral("--smoothing must be a number in 0..100"));
    }
    const auto mc = integerOption(level, opt.mc, 0, 1, 10000);
    const auto step = integerOption(level, opt.gridStep, 32, 1, 1 << 16);
    const auto window = integerOption(level, opt.window, 15, 1, 1 << 12);
    const auto margin = integerOption(level, opt.margin, 0, 0, 1 << 16);
    const auto maxPoints = integerOption(level, opt.maxPoints, 0, 0, 1 << 24);
    const auto batch = integerOption(level, opt.batch, 8, 1, 4096);
    const auto seed = integerOption(level, opt.seed, 1, 0, std::numeric_limits<qint64>::max());
    const auto crop = integerOption(level, opt.crop, 64, 0, 1024);
    const auto stop = integerOption(level, opt.stopAfter, 0, 0, std::numeric_limits<qint64>::max());
    if (!mc || !step || !window || !margin || !maxPoints || !batch || !seed || !crop || !stop)
        return ExitUsage;
    o.mcSamples = static_cast<int32_t>(*mc);
    o.points.gridStep = static_cast<int32_t>(*step);
    o.points.window = static_cast<int32_t>(*window);
    o.points.edgeMargin = static_cast<int32_t>(*margin);
    o.points.maxPointsPerTile = static_cast<int32_t>(*maxPoints);
    o.batch = static_cast<int32_t>(*batch);
    o.seed = static_cast<uint64_t>(*seed);
    o.cropSize = static_cast<int32_t>(*crop);
    o.stopAfterItems = *stop;
    return -1;
}

void showProgress(const core::BuildProgress& p, QElapsedTimer& timer, bool& shown)
{
    if (shown && p.itemsDone < p.itemsTotal && timer.elapsed() < 200)
        return;
    timer.restart();
    shown = true;
    printErr(QStringLiteral("\rbank build: %1 / %2 work items, %3 images, %4 points").arg(p.itemsDone).arg(p.itemsTotal).arg(p.images).arg(p.points));
}

} // namespace

int bankBuildCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("bank build"), QString(),
                       QStringLiteral("Build a bank: T Monte-Carlo passes of a model plugin over images or whole slides, "
                                      "candidate points (centre, grid, local maxima or contrast peaks of the first metric), metric scores, "
                                      "embeddings and crops. Shardable (--shard i/n, merge with 'bank merge') and resumable "
                                      "(--resume after Ctrl-C or a job cancel). See docs/bank-build.md."));
    const Options opt;
    level.parser().addOptions(opt.all());
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(0, 0))
        return ExitUsage;
    core::BankBuildOptions options;
    if (int code = readOptions(level, opt, options); code >= 0)
        return code;
    if (!options.resume)
        if (const QString problem = outputProblem(options.output, {}, false); !problem.isEmpty())
            return fail(QStringLiteral("build"), problem);

    BankPlugins plugins(context);
    auto backend = plugins.writableBackend(level.parser().value(opt.backend));
    if (!backend)
        return fail(QStringLiteral("build"), backend.error());
    core::training_data::RasterImageAccess images;
    const bool progressShown = level.parser().isSet(opt.progress) || isatty(STDERR_FILENO);
    QElapsedTimer progressTimer;
    progressTimer.start();
    bool lineOpen = false;
    core::BankBuildServices services;
    services.plugins = &plugins.manager();
    services.backend = *backend;
    services.metricPlugins = plugins.metrics();
    services.images = &images;
    services.cancelled = &cancelRequested;
    services.note = [&lineOpen](const QString& text) {
        printErr((lineOpen ? QStringLiteral("\n") : QString()) + QStringLiteral("slt-cli bank build: %1\n").arg(text));
        lineOpen = false;
    };
    if (progressShown)
        services.progress = [&](const core::BuildProgress& p) { showProgress(p, progressTimer, lineOpen); };
    CancelOnSignals signals;
    auto summary = core::buildBank(options, services);
    if (lineOpen)
        printErr(QStringLiteral("\n"));
    if (!summary)
        return fail(QStringLiteral("build"), summary.error());
    if (summary->alreadyComplete) {
        printErr(QStringLiteral("slt-cli bank build: '%1' is already complete\n").arg(options.output));
        return ExitSuccess;
    }
    const double rate = summary->seconds > 0 ? static_cast<double>(summary->pointsThisRun) / summary->seconds : 0.0;
    printErr(QStringLiteral("slt-cli bank build: '%1': %2 images, %3 points (%4 this run in %5 s, %6 points/s)\n")
                 .arg(options.output).arg(summary->images).arg(summary->points).arg(summary->pointsThisRun)
                 .arg(summary->seconds, 0, 'f', 2).arg(rate, 0, 'f', 1));
    return ExitSuccess;
}

} // namespace slt::cli
