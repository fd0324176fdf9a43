#include "train_command.hpp"

#include "bank_cli_support.hpp"
#include "train_run.hpp"

#include <QFile>

#include <limits>
#include <optional>

namespace slt::cli {
namespace {

using core::training_data::TrainConfig;

struct TrainOptions {
    QCommandLineOption config{QStringLiteral("config"), QStringLiteral("The training configuration (TOML, docs/training.md)."), QStringLiteral("file")};
    QCommandLineOption data{QStringLiteral("data"), QStringLiteral("Training data: a tiles CSV, SLT JSON, GeoJSON, side-by-side list or a folder; repeatable (replaces data.train)."), QStringLiteral("path")};
    QCommandLineOption validation{QStringLiteral("validation"), QStringLiteral("Validation data instead of a split of the training data; repeatable."), QStringLiteral("path")};
    QCommandLineOption out{QStringLiteral("out"), QStringLiteral("Output folder: best.pt, last.pt, logs and train_config.toml."), QStringLiteral("dir")};
    QCommandLineOption epochs{QStringLiteral("epochs"), QStringLiteral("Number of epochs (default 20)."), QStringLiteral("N")};
    QCommandLineOption seed{QStringLiteral("seed"), QStringLiteral("Seed of every random choice (default 42)."), QStringLiteral("S")};
    QCommandLineOption resume{QStringLiteral("resume"), QStringLiteral("Continue the run in --out from its last.pt.")};
    QCommandLineOption fineTune{QStringLiteral("fine-tune"), QStringLiteral("Start from the weights of this checkpoint (SPEC M7)."), QStringLiteral("ckpt")};
    QCommandLineOption model{QStringLiteral("model"), QStringLiteral("Model plugin id (default org.slt.model.unet-concrete)."), QStringLiteral("id")};
    QCommandLineOption modelConfig{QStringLiteral("model-config"), QStringLiteral("The model's own configuration (TOML; replaces [model_config])."), QStringLiteral("file")};
    QCommandLineOption classes{QStringLiteral("classes"), QStringLiteral("Class schema (TOML) the labels refer to (default: the SLT schema)."), QStringLiteral("file")};
    QCommandLineOption batchSize{QStringLiteral("batch-size"), QStringLiteral("Images per batch (default 16)."), QStringLiteral("N")};
    QCommandLineOption threads{QStringLiteral("threads"), QStringLiteral("Compute threads of the model (default 0: the model's choice)."), QStringLiteral("N")};
    QCommandLineOption valSplit{QStringLiteral("val-split"), QStringLiteral("Share of the training data held out for validation, stratified by class (default 0.2)."), QStringLiteral("fraction")};
    QCommandLineOption rehearsal{QStringLiteral("rehearsal"), QStringLiteral("Old data replayed while fine-tuning (SPEC M7); repeatable."), QStringLiteral("path")};
    QCommandLineOption classWeighting{QStringLiteral("class-weighting"), QStringLiteral("Loss weights from label counts: none, inverse or sqrt-inverse (default none)."), QStringLiteral("mode")};
    QCommandLineOption format{QStringLiteral("format"), QStringLiteral("Data format: auto, tiles-csv, slt-json, geojson, folder or side-by-side (default auto)."), QStringLiteral("name")};
    QCommandLineOption progress{QStringLiteral("progress"), QStringLiteral("Draw the progress bar even when stderr is not a terminal.")};
    QCommandLineOption dryRun{QStringLiteral("dry-run"), QStringLiteral("Check the data, the output folder and the model, print what would be trained, and stop.")};

    QList<QCommandLineOption> all() const
    {
        return {config, data, validation, out, epochs, seed, resume, fineTune, model, modelConfig, classes, batchSize,
                threads, valSplit, rehearsal, classWeighting, format, progress, dryRun};
    }
};

std::optional<double> fraction(CommandLevel& level, const QCommandLineOption& option)
{
    bool ok = false;
    const QString text = level.parser().value(option);
    const double value = text.toDouble(&ok);
    if (!ok || !(value >= 0 && value < 1)) {
        level.usageError(QStringLiteral("--%1 must be a number in [0, 1), got '%2'").arg(option.names().constFirst(), text));
        return std::nullopt;
    }
    return value;
}

// Applies the numeric flags; false after a usage error.
bool applyNumbers(CommandLevel& level, const TrainOptions& o, TrainConfig& config)
{
    const QCommandLineParser& p = level.parser();
    constexpr qint64 maxInt = std::numeric_limits<int32_t>::max();
    if (p.isSet(o.epochs)) {
        const auto value = integerOption(level, o.epochs, 0, 1, maxInt);
        if (!value) return false;
        config.epochs = static_cast<int32_t>(*value);
    }
    if (p.isSet(o.batchSize)) {
        const auto value = integerOption(level, o.batchSize, 0, 1, maxInt);
        if (!value) return false;
        config.batchSize = static_cast<int32_t>(*value);
    }
    if (p.isSet(o.threads)) {
        const auto value = integerOption(level, o.threads, 0, 0, 4096);
        if (!value) return false;
        config.threads = static_cast<int32_t>(*value);
    }
    if (p.isSet(o.seed)) {
        const auto value = integerOption(level, o.seed, 0, 0, std::numeric_limits<qint64>::max());
        if (!value) return false;
        config.seed = static_cast<uint64_t>(*value);
    }
    if (p.isSet(o.valSplit)) {
        const auto value = fraction(level, o.valSplit);
        if (!value) return false;
        config.valSplit = *value;
    }
    return true;
}

// Applies the named choices and paths; false after a usage error.
bool applyChoices(CommandLevel& level, const TrainOptions& o, TrainConfig& config)
{
    const QCommandLineParser& p = level.parser();
    if (p.isSet(o.format)) {
        auto format = core::training_data::dataFormatFromName(p.value(o.format));
        if (!format) return level.usageError(format.error()), false;
        config.data.format = *format;
    }
    if (p.isSet(o.classWeighting)) {
        auto weighting = core::training_data::classWeightingFromName(p.value(o.classWeighting));
        if (!weighting) return level.usageError(weighting.error()), false;
        config.classWeighting = *weighting;
    }
    if (p.isSet(o.data)) config.trainData = absolutePaths(p.values(o.data));
    if (p.isSet(o.validation)) config.validationData = absolutePaths(p.values(o.validation));
    if (p.isSet(o.rehearsal)) config.rehearsalData = absolutePaths(p.values(o.rehearsal));
    if (p.isSet(o.out)) config.out = absolutePath(p.value(o.out));
    if (p.isSet(o.model)) config.model = p.value(o.model).trimmed();
    if (p.isSet(o.classes)) config.classes = absolutePath(p.value(o.classes));
    if (p.isSet(o.fineTune)) config.fineTune = absolutePath(p.value(o.fineTune));
    if (p.isSet(o.resume)) config.resume = true;
    return true;
}

// The model configuration file given by --model-config, read as text; false (message printed) when unreadable.
bool applyModelConfig(const QCommandLineParser& p, const TrainOptions& o, TrainConfig& config)
{
    if (!p.isSet(o.modelConfig))
        return true;
    QFile file(p.value(o.modelConfig));
    if (!file.open(QIODevice::ReadOnly)) {
        printErr(QStringLiteral("slt-cli train: cannot read the model configuration '%1': %2\n")
                     .arg(p.value(o.modelConfig), file.errorString()));
        return false;
    }
    config.modelConfigToml = QString::fromUtf8(file.readAll());
    return true;
}

} // namespace

int runTrainCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("train"), QString(),
                       QStringLiteral("Train a model plugin on point labels (tiles, side-by-side PNGs or whole-slide images). "
                                      "Settings come from --config and are overridden by the flags; --out receives best.pt, "
                                      "last.pt, the logs and train_config.toml (the configuration used). Ctrl-C stops with a "
                                      "resumable last.pt. Data-parallel runs take RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT or "
                                      "SLURM's variables (docs/training.md)."));
    const TrainOptions o;
    level.parser().addOptions(o.all());
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(0, 0))
        return ExitUsage;
    const QCommandLineParser& p = level.parser();
    TrainRunOptions run;
    if (p.isSet(o.config)) {
        auto config = TrainConfig::fromTomlFile(p.value(o.config));
        if (!config) {
            printErr(QStringLiteral("slt-cli train: %1\n").arg(config.error()));
            return ExitFailure;
        }
        run.config = std::move(*config);
    }
    if (!applyNumbers(level, o, run.config) || !applyChoices(level, o, run.config))
        return ExitUsage;
    if (!applyModelConfig(p, o, run.config))
        return ExitFailure;
    if (run.config.trainData.isEmpty())
        return level.usageError(QStringLiteral("no training data: give --data or data.train in --config"));
    if (run.config.out.isEmpty())
        return level.usageError(QStringLiteral("no output folder: give --out or out in --config"));
    if (p.isSet(o.resume) && p.isSet(o.fineTune))
        return level.usageError(QStringLiteral("--resume continues a run; --fine-tune starts a new one: give one of them"));
    if (run.config.resume)
        run.config.fineTune.clear(); // the run's last.pt already holds what it was fine-tuned from
    if (const core::Status valid = run.config.validate(); !valid)
        return level.usageError(valid.error());
    run.forceProgress = p.isSet(o.progress);
    run.dryRun = p.isSet(o.dryRun);
    return runTraining(run, context);
}

} // namespace slt::cli
