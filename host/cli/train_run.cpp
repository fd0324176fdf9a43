#include "train_run.hpp"

#include "bank_cli_support.hpp"
#include "train_progress.hpp"

#include <slt/core/class_schema.hpp>
#include <slt/core/plugin_manager.hpp>
#include <slt/core/training_data/distributed_env.hpp>
#include <slt/core/training_data/raster_image_access.hpp>
#include <slt/core/training_data/train_dataset.hpp>
#include <slt/sdk/cpp/host/model_proxy.hpp>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryFile>

#include <unistd.h>

namespace slt::cli {
namespace {

namespace td = core::training_data;
using td::TrainConfig;

int fail(const QString& message)
{
    printErr(QStringLiteral("slt-cli train: %1\n").arg(message));
    return ExitFailure;
}

void printNotes(const QStringList& notes)
{
    for (const QString& note : notes)
        printErr(QStringLiteral("slt-cli train: note: %1\n").arg(note));
}

QString lastCheckpoint(const QString& out)
{
    return QDir(out).filePath(QStringLiteral("last.pt"));
}

// The nearest folder of `path` that exists (the path itself when it does).
QFileInfo nearestExisting(const QString& path)
{
    QFileInfo info(QDir::cleanPath(QFileInfo(path).absoluteFilePath()));
    while (!info.exists() && !info.isRoot() && info.absoluteFilePath() != info.absolutePath())
        info = QFileInfo(info.absolutePath());
    return info;
}

// The output folder can be written (it is created only when training starts), and holds no other run unless
// resuming.
core::Status checkOutput(const TrainConfig& config)
{
    const QString& out = config.out;
    const QFileInfo existing = nearestExisting(out);
    if (!existing.isDir())
        return core::Status::failure(QStringLiteral("the output '%1' cannot be a folder: '%2' is a file").arg(out, existing.filePath()));
    if (access(QFile::encodeName(existing.absoluteFilePath()).constData(), W_OK | X_OK) != 0)
        return core::Status::failure(QStringLiteral("cannot write into the output folder '%1': '%2' is not writable")
                                         .arg(out, existing.absoluteFilePath()));
    const bool hasRun = QFileInfo::exists(lastCheckpoint(out)) || QFileInfo::exists(QDir(out).filePath(QStringLiteral("best.pt")));
    if (config.resume && !QFileInfo::exists(lastCheckpoint(out)))
        return core::Status::failure(QStringLiteral("nothing to resume: '%1' does not exist").arg(lastCheckpoint(out)));
    if (!config.resume && hasRun)
        return core::Status::failure(
            QStringLiteral("'%1' holds a previous run (best.pt or last.pt); continue it with --resume or choose another --out").arg(out));
    if (!config.fineTune.isEmpty() && !QFileInfo(config.fineTune).isFile())
        return core::Status::failure(QStringLiteral("the checkpoint to fine-tune from, '%1', does not exist").arg(config.fineTune));
    return {};
}

core::Status createOutput(const QString& out)
{
    if (!QDir().mkpath(out))
        return core::Status::failure(QStringLiteral("cannot create the output folder '%1'").arg(out));
    QTemporaryFile probe(QDir(out).filePath(QStringLiteral(".slt-write-test-XXXXXX")));
    if (!probe.open())
        return core::Status::failure(QStringLiteral("cannot write into the output folder '%1': %2").arg(out, probe.errorString()));
    return {};
}

// Every data set of the configuration, read and checked before any model exists.
struct AllData {
    td::CheckedData train, validation, rehearsal;
};

core::Result<AllData> readAllData(const TrainConfig& config, const td::SchemaLabels& labels, td::ImageAccess& access)
{
    AllData all;
    const std::pair<const QStringList*, td::CheckedData*> sets[] = {
        {&config.trainData, &all.train}, {&config.validationData, &all.validation}, {&config.rehearsalData, &all.rehearsal}};
    for (const auto& [paths, target] : sets) {
        auto checked = td::readCheckedData(*paths, labels, config.data, access);
        if (!checked)
            return core::Result<AllData>::failure(checked.error());
        *target = std::move(*checked);
        printNotes(target->data.notes);
    }
    if (all.train.data.pointCount() == 0)
        return core::Result<AllData>::failure(QStringLiteral("the training data holds no labelled point"));
    return all;
}

// The discovered plugins and the model's factory, or why there is none.
struct ModelPlugin {
    std::unique_ptr<core::PluginManager> manager;
    const void* factory = nullptr;
    const slt_host* host = nullptr;
};

core::Result<ModelPlugin> findModelPlugin(const Context& context, const QString& id)
{
    ModelPlugin plugin;
    plugin.manager = std::make_unique<core::PluginManager>(frontEndPluginOptions(context));
    plugin.manager->discover();
    const core::PluginRecord* record = plugin.manager->find(id);
    if (!record)
        return core::Result<ModelPlugin>::failure(
            QStringLiteral("the model plugin '%1' is not installed (searched: %2); choose another with --model or --plugin-path")
                .arg(id, plugin.manager->searchPath().join(QStringLiteral(", "))));
    if (record->state != core::PluginState::Active)
        return core::Result<ModelPlugin>::failure(QStringLiteral("the model plugin '%1' is %2: %3")
                                                      .arg(id, QLatin1String(core::stateName(record->state)), record->message));
    plugin.factory = plugin.manager->factory(id, SLT_MODEL_FACTORY_ID);
    plugin.host = plugin.manager->host(id);
    if (!plugin.factory)
        return core::Result<ModelPlugin>::failure(
            QStringLiteral("the plugin '%1' is not a model plugin (it offers no %2 factory)").arg(id, QLatin1String(SLT_MODEL_FACTORY_ID)));
    return plugin;
}

// The model's description as host values.
struct ModelShape {
    QString architecture;
    uint32_t capabilities = 0;
    std::vector<int32_t> classIds;
    QStringList classNames;
    int64_t tileWidth = 256;
    int64_t tileHeight = 256;
};

int64_t roundUp(int64_t value, int64_t multiple)
{
    return multiple > 1 ? (value + multiple - 1) / multiple * multiple : value;
}

core::Result<ModelShape> describeModel(sdk::host::ModelProxy& model, const TrainConfig& config)
{
    auto info = model.describe();
    if (!info)
        return core::Result<ModelShape>::failure(QString::fromStdString(info.message()));
    ModelShape shape;
    shape.architecture = QString::fromUtf8(info->architecture ? info->architecture : "");
    shape.capabilities = info->capabilities;
    for (int32_t c = 0; c < info->num_classes; ++c) {
        shape.classIds.push_back(info->class_ids ? info->class_ids[c] : c);
        shape.classNames << QString::fromUtf8(info->class_names && info->class_names[c] ? info->class_names[c] : "");
    }
    const int64_t multiple = std::max<int32_t>(info->size_multiple, 1);
    const int64_t fallback = config.slideTileSize > 0 ? config.slideTileSize : 256;
    shape.tileWidth = roundUp(config.slideTileSize > 0 || info->input_width <= 0 ? fallback : info->input_width, multiple);
    shape.tileHeight = roundUp(config.slideTileSize > 0 || info->input_height <= 0 ? fallback : info->input_height, multiple);
    return shape;
}

// Training and validation samples (split when no validation data was given) and the rehearsal samples.
struct SampleSets {
    std::vector<td::TrainingSample> train, validation, rehearsal;
    bool split = false;
    bool stratified = false;
};

core::Result<SampleSets> buildSampleSets(const AllData& data, const td::ChannelMap& channels, const ModelShape& shape,
                                         const TrainConfig& config)
{
    const td::SampleOptions options{shape.tileWidth, shape.tileHeight};
    QStringList notes;
    auto train = td::buildSamples(data.train.data, data.train.sizes, channels, options, &notes);
    auto validation = td::buildSamples(data.validation.data, data.validation.sizes, channels, options, &notes);
    auto rehearsal = td::buildSamples(data.rehearsal.data, data.rehearsal.sizes, channels, options, &notes);
    for (const auto* result : {&train, &validation, &rehearsal})
        if (!*result)
            return core::Result<SampleSets>::failure(result->error());
    printNotes(notes);
    SampleSets sets;
    sets.rehearsal = std::move(*rehearsal);
    if (!config.validationData.isEmpty() || config.valSplit <= 0) {
        sets.train = std::move(*train);
        sets.validation = std::move(*validation);
        return sets;
    }
    const td::SampleSplit split = td::splitSamples(*train, config.valSplit, config.seed);
    for (size_t i : split.train)
        sets.train.push_back((*train)[i]);
    for (size_t i : split.validation)
        sets.validation.push_back((*train)[i]);
    sets.split = true;
    sets.stratified = split.stratified;
    return sets;
}

int64_t pointCount(const std::vector<td::TrainingSample>& samples)
{
    int64_t count = 0;
    for (const td::TrainingSample& sample : samples)
        count += static_cast<int64_t>(sample.points.size());
    return count;
}

void printPlan(const TrainConfig& config, const ModelShape& shape, const SampleSets& sets,
               const td::DistributedSetup& distributed, const std::vector<float>& weights)
{
    QString text = QStringLiteral("slt-cli train: model %1 (%2)\n").arg(config.model, shape.architecture);
    text += QStringLiteral("  training   %1 sample(s), %2 point(s)\n").arg(sets.train.size()).arg(pointCount(sets.train));
    text += QStringLiteral("  validation %1 sample(s), %2 point(s)%3\n")
                .arg(sets.validation.size())
                .arg(pointCount(sets.validation))
                .arg(sets.split ? QStringLiteral(" (%1%2 held out, seed %3)")
                                      .arg(config.valSplit * 100)
                                      .arg(sets.stratified ? QStringLiteral("% per class") : QStringLiteral("%"))
                                      .arg(config.seed)
                                : QString());
    if (!sets.rehearsal.empty())
        text += QStringLiteral("  rehearsal  %1 old sample(s), after %2 warm-up epoch(s)\n")
                    .arg(sets.rehearsal.size())
                    .arg(config.rehearsal.warmupEpochs);
    if (!weights.empty()) {
        QStringList parts;
        for (size_t c = 0; c < weights.size(); ++c)
            parts << QStringLiteral("%1=%2").arg(shape.classNames.value(static_cast<int>(c))).arg(weights[c], 0, 'g', 3);
        text += QStringLiteral("  class weights %1\n").arg(parts.join(QStringLiteral(" ")));
    }
    if (distributed.worldSize > 1)
        text += QStringLiteral("  data-parallel rank %1 of %2 via %3 (%4)\n")
                    .arg(distributed.rank)
                    .arg(distributed.worldSize)
                    .arg(distributed.init, distributed.source);
    text += QStringLiteral("  %1 epoch(s), batch %2, seed %3, output %4\n").arg(config.epochs).arg(config.batchSize).arg(config.seed).arg(config.out);
    printErr(text);
}

core::Status writeUsedConfig(const TrainConfig& config)
{
    const QString path = QDir(config.out).filePath(QStringLiteral("train_config.toml"));
    if (config.resume && QFileInfo::exists(path))
        return {}; // the run's own file stays as it was written at its start
    TrainConfig used = config;
    used.resume = false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(used.toToml().toUtf8()) < 0 || !file.commit())
        return core::Status::failure(QStringLiteral("cannot write '%1': %2").arg(path, file.errorString()));
    return {};
}

// Runs the model's train() with the progress display; returns the exit code.
int trainModel(sdk::host::ModelProxy& model, const TrainConfig& config, const ModelShape& shape, SampleSets& sets,
               const td::DistributedSetup& distributed, const std::vector<float>& weights, td::ImageAccess& access,
               bool showBar)
{
    td::DatasetOptions trainOptions;
    trainOptions.seed = config.seed;
    trainOptions.cacheBytes = config.cacheMegabytes << 20;
    if (!sets.rehearsal.empty())
        trainOptions.rehearsal = config.rehearsal;
    td::DatasetOptions validationOptions;
    validationOptions.cacheBytes = trainOptions.cacheBytes;
    td::TrainDataset train(std::move(sets.train), std::move(sets.rehearsal), access, trainOptions);
    td::TrainDataset validation(std::move(sets.validation), {}, access, validationOptions);

    const std::string out = config.out.toStdString();
    const std::string init = config.fineTune.toStdString();
    const std::string rendezvous = distributed.init.toStdString();
    slt_train_options options{};
    options.epochs = config.epochs;
    options.batch_size = config.batchSize;
    options.seed = config.seed;
    options.output_dir = out.c_str();
    options.resume = config.resume ? 1 : 0;
    options.init_checkpoint = init.empty() ? nullptr : init.c_str();
    options.class_weights = weights.empty() ? nullptr : weights.data();
    options.num_threads = config.threads;
    options.rank = distributed.rank;
    options.world_size = distributed.worldSize;
    options.dist_init = rendezvous.empty() ? nullptr : rendezvous.c_str();

    InterruptGuard interrupts;
    TrainProgress progress(shape.classNames, showBar);
    const slt_train_dataset* validationView = validation.size() > 0 ? validation.raw() : nullptr;
    const sdk::host::Status status = model.train(*train.raw(), validationView, options, progress.observer(), progress.job());
    if (status.code == SLT_ERR_CANCELLED || (!status.ok() && InterruptGuard::interrupted()))
        return fail(QStringLiteral("training stopped by Ctrl-C; %1 holds the run so far. Continue it with:\n"
                                   "  slt-cli train --config %2 --resume")
                        .arg(lastCheckpoint(config.out), QDir(config.out).filePath(QStringLiteral("train_config.toml"))));
    if (!status.ok())
        return fail(QStringLiteral("training failed: %1").arg(QString::fromStdString(status.message)));
    if (const QString table = progress.bestEpochClassTable(); !table.isEmpty())
        printOut(QStringLiteral("\nPer class, epoch %1:\n%2").arg(progress.bestEpoch() + 1).arg(table));
    printErr(QStringLiteral("slt-cli train: done; best.pt, last.pt and the logs are in %1\n").arg(config.out));
    return ExitSuccess;
}

} // namespace

int runTraining(const TrainRunOptions& options, const Context& context)
{
    const TrainConfig& config = options.config;
    auto distributed = td::distributedSetupFrom(QProcessEnvironment::systemEnvironment());
    if (!distributed)
        return fail(distributed.error());
    auto schema = config.classSchema();
    if (!schema)
        return fail(schema.error());
    const td::SchemaLabels labels(*schema);
    td::RasterImageAccess access;
    auto data = readAllData(config, labels, access);
    if (!data)
        return fail(data.error());
    if (core::Status output = checkOutput(config); !output)
        return fail(output.error());

    auto plugin = findModelPlugin(context, config.model);
    if (!plugin)
        return fail(plugin.error());
    auto model = sdk::host::ModelProxy::create(plugin->factory, plugin->host, config.modelConfigToml.toStdString());
    if (!model)
        return fail(QStringLiteral("the model '%1' refused its configuration: %2").arg(config.model, QString::fromStdString(model.message())));
    auto shape = describeModel(*model, config);
    if (!shape)
        return fail(shape.error());
    if (!(shape->capabilities & SLT_MODEL_CAN_TRAIN))
        return fail(QStringLiteral("the model '%1' cannot be trained (it is an inference-only model)").arg(config.model));
    if (distributed->worldSize > 1 && !(shape->capabilities & SLT_MODEL_DISTRIBUTED))
        return fail(QStringLiteral("%1 asks for %2 processes, but the model '%3' does not train data-parallel")
                        .arg(distributed->source).arg(distributed->worldSize).arg(config.model));
    auto channels = td::ChannelMap::create(*schema, shape->classIds);
    if (!channels)
        return fail(channels.error());
    auto sets = buildSampleSets(*data, *channels, *shape, config);
    if (!sets)
        return fail(sets.error());
    if (sets->train.empty())
        return fail(QStringLiteral("no training sample is left after holding out the validation split"));

    std::vector<td::TrainingSample> counted = sets->train;
    counted.insert(counted.end(), sets->rehearsal.begin(), sets->rehearsal.end());
    const std::vector<float> weights =
        td::classWeights(td::countPointsPerChannel(counted, channels->channelCount()), config.classWeighting);
    printPlan(config, *shape, *sets, *distributed, weights);
    if (options.dryRun) {
        printErr(QStringLiteral("slt-cli train: dry run; nothing trained\n"));
        return ExitSuccess;
    }
    if (core::Status created = createOutput(config.out); !created)
        return fail(created.error());
    if (distributed->rank == 0)
        if (core::Status written = writeUsedConfig(config); !written)
            return fail(written.error());
    const bool showBar = options.forceProgress || isatty(STDERR_FILENO);
    return trainModel(*model, config, *shape, *sets, *distributed, weights, access, showBar);
}

} // namespace slt::cli
