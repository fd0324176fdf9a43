#include "baseline_command.hpp"

#include "bank_cli_support.hpp"

#include <slt/core/baseline/baseline_output.hpp>
#include <slt/core/baseline/colour_histogram.hpp>
#include <slt/core/class_schema.hpp>
#include <slt/core/training_data/raster_image_access.hpp>
#include <slt/core/training_data/train_config.hpp>

#include <QDir>
#include <QFileInfo>

#include <map>

namespace slt::cli {
namespace {

namespace td = core::training_data;
namespace bl = core::baseline;

// Slide samples without --window: tiles of this size around each point (as `train` cuts them for a model that
// takes any size), unless the configuration's data.slide_tile_size says otherwise.
constexpr int64_t kDefaultSlideTile = 256;
constexpr int64_t kMaxWindow = 1 << 16;

struct BaselineOptions {
    QCommandLineOption data{QStringLiteral("data"), QStringLiteral("Training data (as for 'slt-cli train'); repeatable (replaces data.train of --config)."), QStringLiteral("path")};
    QCommandLineOption test{QStringLiteral("test"), QStringLiteral("Test data, same formats; repeatable (default: data.validation of --config)."), QStringLiteral("path")};
    QCommandLineOption out{QStringLiteral("out"), QStringLiteral("Output folder for predictions.csv and metrics.json (created when missing)."), QStringLiteral("dir")};
    QCommandLineOption config{QStringLiteral("config"), QStringLiteral("A 'slt-cli train' configuration: its classes, data reader settings and data paths are used."), QStringLiteral("file")};
    QCommandLineOption classes{QStringLiteral("classes"), QStringLiteral("Class schema (TOML) the labels refer to (default: the SLT schema)."), QStringLiteral("file")};
    QCommandLineOption bins{QStringLiteral("bins"), QStringLiteral("Histogram bins per colour channel, 2..64 (default 8: 512 joint bins)."), QStringLiteral("N")};
    QCommandLineOption window{QStringLiteral("window"), QStringLiteral("Pixels of the square around each labelled point the histogram is taken from (default 0: the whole sample)."), QStringLiteral("pixels")};
    QCommandLineOption format{QStringLiteral("format"), QStringLiteral("Data format: auto, tiles-csv, slt-json, geojson, folder or side-by-side (default auto)."), QStringLiteral("name")};

    QList<QCommandLineOption> all() const { return {data, test, out, config, classes, bins, window, format}; }
};

// What the command line asks for, once parsed.
struct BaselineSettings {
    td::TrainConfig config; // classes, data reader options, training paths
    QStringList testData;
    QString out;
    bl::FeatureOptions features;
};

int fail(const QString& message)
{
    printErr(QStringLiteral("slt-cli baseline: %1\n").arg(message));
    return ExitFailure;
}

void printNotes(const QStringList& notes)
{
    for (const QString& note : notes)
        printErr(QStringLiteral("slt-cli baseline: note: %1\n").arg(note));
}

// Applies the flags over the configuration; false after a usage error (printed).
bool applyFlags(CommandLevel& level, const BaselineOptions& o, BaselineSettings& settings)
{
    const QCommandLineParser& p = level.parser();
    const auto bins = integerOption(level, o.bins, bl::kDefaultBinsPerChannel, bl::kMinBinsPerChannel, bl::kMaxBinsPerChannel);
    const auto window = bins ? integerOption(level, o.window, 0, 0, kMaxWindow) : std::nullopt;
    if (!bins || !window)
        return false;
    settings.features.binsPerChannel = static_cast<int>(*bins);
    settings.features.window = *window;
    if (p.isSet(o.format)) {
        auto format = td::dataFormatFromName(p.value(o.format));
        if (!format)
            return level.usageError(format.error()), false;
        settings.config.data.format = *format;
    }
    if (p.isSet(o.data))
        settings.config.trainData = absolutePaths(p.values(o.data));
    settings.testData = p.isSet(o.test) ? absolutePaths(p.values(o.test)) : settings.config.validationData;
    if (p.isSet(o.classes))
        settings.config.classes = absolutePath(p.value(o.classes));
    if (p.isSet(o.out))
        settings.out = absolutePath(p.value(o.out));
    return true;
}

// Reads, checks and cuts one data set into samples.
core::Result<std::vector<td::TrainingSample>> readSamples(const QStringList& paths, const td::SchemaLabels& labels,
                                                          const td::ChannelMap& channels, const BaselineSettings& settings,
                                                          td::ImageAccess& access)
{
    using SamplesResult = core::Result<std::vector<td::TrainingSample>>;
    auto checked = td::readCheckedData(paths, labels, settings.config.data, access);
    if (!checked)
        return SamplesResult::failure(checked.error());
    const int64_t slideTile = settings.features.window > 0       ? settings.features.window
                              : settings.config.slideTileSize > 0 ? settings.config.slideTileSize
                                                                  : kDefaultSlideTile;
    QStringList notes = checked->data.notes;
    auto samples = td::buildSamples(checked->data, checked->sizes, channels, td::SampleOptions{slideTile, slideTile}, &notes);
    printNotes(notes);
    return samples;
}

// The schema's tissue classes as channels 0..C-1, with their ids and names.
struct Classes {
    core::ClassSchema schema;
    std::vector<int32_t> ids;
    std::vector<QString> names;
};

core::Result<Classes> loadClasses(const td::TrainConfig& config)
{
    auto schema = config.classSchema();
    if (!schema)
        return core::Result<Classes>::failure(schema.error());
    Classes classes{*schema, {}, {}};
    for (const core::ClassInfo& info : schema->tissueClasses()) {
        classes.ids.push_back(info.id);
        classes.names.push_back(info.name);
    }
    if (classes.ids.empty())
        return core::Result<Classes>::failure(QStringLiteral("the class schema '%1' has no tissue class").arg(config.classes));
    return classes;
}

// Notes on test classes the classifier never predicts because training had none of them.
QStringList unseenClassNotes(const bl::NearestCentroid& classifier, const std::vector<bl::ColourPrediction>& predictions,
                             const Classes& classes)
{
    std::map<int32_t, int64_t> unseen;
    for (const bl::ColourPrediction& p : predictions)
        if (classifier.trainingCount(p.source.channel) == 0)
            ++unseen[p.source.channel];
    QStringList notes;
    for (const auto& [channel, count] : unseen)
        notes << QStringLiteral("class %1 (%2) has %3 test sample(s) but none in the training data: it is never predicted")
                     .arg(classes.ids[static_cast<size_t>(channel)])
                     .arg(classes.names[static_cast<size_t>(channel)])
                     .arg(count);
    return notes;
}

core::Result<core::eval::ClassificationSummary> summarise(const std::vector<bl::ColourPrediction>& predictions, int32_t classCount)
{
    std::vector<int32_t> truth, predicted;
    for (const bl::ColourPrediction& p : predictions) {
        truth.push_back(p.source.channel);
        predicted.push_back(p.predicted);
    }
    return core::eval::summariseClassification(truth, predicted, classCount);
}

void printSummary(const bl::BaselineReport& report)
{
    const core::eval::ClassificationSummary& c = report.classification;
    const QString kappa = c.kappa ? QString::number(*c.kappa, 'f', 4) : QStringLiteral("undefined");
    const QString coverage = report.options.window > 0 ? QStringLiteral("%1-pixel windows around the points").arg(report.options.window)
                                                        : QStringLiteral("whole samples");
    printOut(QStringLiteral("colour baseline: %1 bins per channel, %2; %3 training, %4 test feature(s)\n"
                            "accuracy %5  kappa %6  macro F1 %7\n")
                 .arg(report.options.binsPerChannel)
                 .arg(coverage)
                 .arg(report.trainFeatures)
                 .arg(report.predictions.size())
                 .arg(c.accuracy, 0, 'f', 4)
                 .arg(kappa)
                 .arg(c.macroF1, 0, 'f', 4));
}

int64_t trainingFeatureCount(const bl::NearestCentroid& classifier)
{
    int64_t count = 0;
    for (int32_t channel : classifier.classes())
        count += classifier.trainingCount(channel);
    return count;
}

int writeReport(const BaselineSettings& settings, const bl::NearestCentroid& classifier,
                std::vector<bl::ColourPrediction> predictions, const Classes& classes)
{
    auto summary = summarise(predictions, static_cast<int32_t>(classes.ids.size()));
    if (!summary)
        return fail(summary.error());
    bl::BaselineReport report;
    report.options = settings.features;
    report.trainData = settings.config.trainData;
    report.testData = settings.testData;
    report.trainFeatures = trainingFeatureCount(classifier);
    report.notes = unseenClassNotes(classifier, predictions, classes);
    report.predictions = std::move(predictions);
    report.classification = std::move(*summary);
    report.classIds = classes.ids;
    report.classNames = classes.names;
    printNotes(report.notes);
    if (!QDir().mkpath(settings.out))
        return fail(QStringLiteral("cannot create the output folder '%1'").arg(settings.out));
    auto written = bl::writeBaselineFiles(report, settings.out);
    if (!written)
        return fail(written.error());
    printSummary(report);
    printErr(QStringLiteral("slt-cli baseline: wrote %1 into %2\n").arg(written->join(QStringLiteral(", ")), settings.out));
    return ExitSuccess;
}

// Everything is computed before the output folder is created, so a failure leaves nothing behind.
int runBaseline(const BaselineSettings& settings)
{
    const QFileInfo out(settings.out);
    if (out.exists() && !out.isDir())
        return fail(QStringLiteral("the output '%1' exists and is not a folder").arg(settings.out));
    auto classes = loadClasses(settings.config);
    if (!classes)
        return fail(classes.error());
    const td::SchemaLabels labels(classes->schema);
    auto channels = td::ChannelMap::create(classes->schema, classes->ids);
    if (!channels)
        return fail(channels.error());
    td::RasterImageAccess access;
    auto train = readSamples(settings.config.trainData, labels, *channels, settings, access);
    if (!train)
        return fail(QStringLiteral("training data: %1").arg(train.error()));
    auto test = readSamples(settings.testData, labels, *channels, settings, access);
    if (!test)
        return fail(QStringLiteral("test data: %1").arg(test.error()));
    if (train->empty())
        return fail(QStringLiteral("the training data holds no labelled point"));
    if (test->empty())
        return fail(QStringLiteral("the test data holds no labelled point"));
    auto classifier = bl::fitColourCentroids(*train, access, settings.features);
    if (!classifier)
        return fail(QStringLiteral("training data: %1").arg(classifier.error()));
    auto predictions = bl::predictColour(*classifier, *test, access, settings.features);
    if (!predictions)
        return fail(QStringLiteral("test data: %1").arg(predictions.error()));
    return writeReport(settings, *classifier, std::move(*predictions), *classes);
}

} // namespace

int runBaselineCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("baseline"), QString(),
                       QStringLiteral("A colour-histogram nearest-centroid classifier fitted on --data and evaluated on --test: "
                                      "what a model must beat to have learned more than stain colour. Data are read as by "
                                      "'slt-cli train' (--config takes the same TOML). Writes predictions.csv and metrics.json "
                                      "(the key names of 'slt-cli evaluate') into --out (docs/evaluation.md)."));
    const BaselineOptions o;
    level.parser().addOptions(o.all());
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(0, 0))
        return ExitUsage;
    BaselineSettings settings;
    if (level.parser().isSet(o.config)) {
        auto config = td::TrainConfig::fromTomlFile(level.parser().value(o.config));
        if (!config)
            return fail(config.error());
        settings.config = std::move(*config);
    }
    if (!applyFlags(level, o, settings))
        return ExitUsage;
    if (settings.config.trainData.isEmpty())
        return level.usageError(QStringLiteral("no training data: give --data or data.train in --config"));
    if (settings.testData.isEmpty())
        return level.usageError(QStringLiteral("no test data: give --test or data.validation in --config"));
    if (settings.out.isEmpty())
        return level.usageError(QStringLiteral("no output folder: give --out"));
    return runBaseline(settings);
}

} // namespace slt::cli
