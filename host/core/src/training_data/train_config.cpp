#include "slt/core/training_data/train_config.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <toml++/toml.h>

#include <set>
#include <sstream>

namespace slt::core::training_data {
namespace {

QString where(const QString& origin, const toml::source_region& source)
{
    return QStringLiteral("%1:%2:%3").arg(origin).arg(source.begin.line).arg(source.begin.column);
}

// Typed reads of one table with messages naming the file, line and column.
class TableReader {
public:
    TableReader(const toml::table& table, QString origin, QString baseDir, QString prefix)
        : table_(table), origin_(std::move(origin)), baseDir_(std::move(baseDir)), prefix_(std::move(prefix))
    {
    }

    Status unknownKeys(const std::set<std::string>& known) const
    {
        for (const auto& [key, node] : table_)
            if (!known.count(std::string(key.str())))
                return Status::failure(QStringLiteral("%1: unknown key '%2%3'")
                                           .arg(where(origin_, key.source()), prefix_, QString::fromStdString(std::string(key.str()))));
        return {};
    }

    template <class T>
    Status read(const char* key, T& out, const char* expected) const
    {
        const toml::node* node = table_.get(key);
        if (!node)
            return {};
        const auto value = node->value<T>();
        if (!value)
            return wrongType(*node, key, expected);
        out = *value;
        return {};
    }

    Status readText(const char* key, QString& out) const
    {
        std::string value;
        if (Status status = read(key, value, "a string"); !status)
            return status;
        if (table_.get(key))
            out = QString::fromStdString(value);
        return {};
    }

    Status readPath(const char* key, QString& out) const
    {
        QString text;
        if (Status status = readText(key, text); !status)
            return status;
        if (table_.get(key))
            out = resolve(text);
        return {};
    }

    // A path or an array of paths.
    Status readPaths(const char* key, QStringList& out) const
    {
        const toml::node* node = table_.get(key);
        if (!node)
            return {};
        out.clear();
        if (const auto single = node->value<std::string>()) {
            out << resolve(QString::fromStdString(*single));
            return {};
        }
        const toml::array* list = node->as_array();
        if (!list)
            return wrongType(*node, key, "a path or an array of paths");
        for (const toml::node& item : *list) {
            const auto text = item.value<std::string>();
            if (!text)
                return wrongType(item, key, "a path or an array of paths");
            out << resolve(QString::fromStdString(*text));
        }
        return {};
    }

    const toml::table* subTable(const char* key) const { return table_.get_as<toml::table>(key); }
    const toml::node* node(const char* key) const { return table_.get(key); }
    const QString& origin() const { return origin_; }

private:
    Status wrongType(const toml::node& node, const char* key, const char* expected) const
    {
        return Status::failure(QStringLiteral("%1: '%2%3' must be %4")
                                   .arg(where(origin_, node.source()), prefix_, QLatin1String(key), QLatin1String(expected)));
    }
    QString resolve(const QString& path) const
    {
        return path.isEmpty() ? path : QDir::cleanPath(QDir(baseDir_).absoluteFilePath(path));
    }

    const toml::table& table_;
    QString origin_;
    QString baseDir_;
    QString prefix_;
};

// Runs reads in order and keeps the first failure.
class FirstError {
public:
    FirstError& operator<<(Status status)
    {
        if (first_.ok() && !status.ok())
            first_ = std::move(status);
        return *this;
    }
    const Status& status() const { return first_; }

private:
    Status first_;
};

template <class Enum>
Status readEnum(const TableReader& reader, const char* key, Enum& out, Result<Enum> (*parse)(const QString&))
{
    QString name;
    if (Status status = reader.readText(key, name); !status || !reader.node(key))
        return status;
    auto value = parse(name);
    if (!value)
        return Status::failure(QStringLiteral("%1: %2").arg(where(reader.origin(), reader.node(key)->source()), value.error()));
    out = *value;
    return {};
}

Status readTopLevel(const TableReader& top, TrainConfig& config)
{
    int64_t epochs = config.epochs, batch = config.batchSize, seed = static_cast<int64_t>(config.seed),
            threads = config.threads;
    FirstError errors;
    errors << top.unknownKeys({"model", "model_config", "model_config_file", "classes", "out", "epochs", "batch_size",
                               "seed", "threads", "resume", "fine_tune", "class_weighting", "data", "rehearsal"})
           << top.readText("model", config.model) << top.readPath("classes", config.classes)
           << top.readPath("out", config.out) << top.read("epochs", epochs, "an integer")
           << top.read("batch_size", batch, "an integer") << top.read("seed", seed, "an integer")
           << top.read("threads", threads, "an integer") << top.read("resume", config.resume, "true or false")
           << top.readPath("fine_tune", config.fineTune)
           << readEnum(top, "class_weighting", config.classWeighting, &classWeightingFromName);
    config.epochs = static_cast<int32_t>(epochs);
    config.batchSize = static_cast<int32_t>(batch);
    config.seed = static_cast<uint64_t>(seed);
    config.threads = static_cast<int32_t>(threads);
    return errors.status();
}

Status readData(const TableReader& data, TrainConfig& config)
{
    FirstError errors;
    errors << data.unknownKeys({"train", "validation", "val_split", "format", "image_column", "label_column",
                                "x_column", "y_column", "images_dir", "side_by_side_stride", "slide_tile_size", "cache_mb"})
           << data.readPaths("train", config.trainData) << data.readPaths("validation", config.validationData)
           << data.read("val_split", config.valSplit, "a number") << readEnum(data, "format", config.data.format, &dataFormatFromName)
           << data.readText("image_column", config.data.reader.imageColumn)
           << data.readText("label_column", config.data.reader.labelColumn)
           << data.readText("x_column", config.data.reader.xColumn) << data.readText("y_column", config.data.reader.yColumn)
           << data.readText("images_dir", config.data.reader.imagesDir);
    int64_t stride = config.data.sideBySideStride;
    errors << data.read("side_by_side_stride", stride, "an integer")
           << data.read("slide_tile_size", config.slideTileSize, "an integer")
           << data.read("cache_mb", config.cacheMegabytes, "an integer");
    config.data.sideBySideStride = static_cast<int>(stride);
    if (const toml::node* split = data.node("val_split"); split && split->is_integer())
        config.valSplit = static_cast<double>(split->value<int64_t>().value_or(0));
    return errors.status();
}

Status readRehearsal(const TableReader& rehearsal, TrainConfig& config)
{
    int64_t warmup = config.rehearsal.warmupEpochs;
    double weight = config.rehearsal.oldWeight;
    FirstError errors;
    errors << rehearsal.unknownKeys({"data", "warmup_epochs", "half_life", "decay", "floor", "weight"})
           << rehearsal.readPaths("data", config.rehearsalData) << rehearsal.read("warmup_epochs", warmup, "an integer")
           << rehearsal.read("half_life", config.rehearsal.halfLife, "a number")
           << readEnum(rehearsal, "decay", config.rehearsal.decay, &rehearsalDecayFromName)
           << rehearsal.read("floor", config.rehearsal.floor, "a number") << rehearsal.read("weight", weight, "a number");
    config.rehearsal.warmupEpochs = static_cast<int>(warmup);
    config.rehearsal.oldWeight = static_cast<float>(weight);
    return errors.status();
}

Status readModelConfig(const TableReader& top, TrainConfig& config)
{
    QString file;
    if (Status status = top.readPath("model_config_file", file); !status)
        return status;
    const toml::node* inline_ = top.node("model_config");
    if (inline_ && !inline_->is_table())
        return Status::failure(QStringLiteral("%1: 'model_config' must be a table ([model_config])")
                                   .arg(where(top.origin(), inline_->source())));
    if (inline_ && !file.isEmpty())
        return Status::failure(QStringLiteral("%1: give either [model_config] or model_config_file, not both")
                                   .arg(where(top.origin(), inline_->source())));
    if (inline_) {
        std::ostringstream text;
        text << *inline_->as_table();
        config.modelConfigToml = QString::fromStdString(text.str());
    }
    if (!file.isEmpty()) {
        QFile model(file);
        if (!model.open(QIODevice::ReadOnly))
            return Status::failure(QStringLiteral("%1: cannot read the model configuration '%2': %3")
                                       .arg(top.origin(), file, model.errorString()));
        config.modelConfigToml = QString::fromUtf8(model.readAll());
    }
    return {};
}

toml::array pathArray(const QStringList& paths)
{
    toml::array array;
    for (const QString& path : paths)
        array.push_back(path.toStdString());
    return array;
}

const char* enumName(const QStringList& names, int index, std::string& storage)
{
    storage = names.value(index).toStdString();
    return storage.c_str();
}

} // namespace

Result<TrainConfig> TrainConfig::fromToml(const QString& text, const QString& origin, const QString& baseDir)
{
    toml::table root;
    try {
        root = toml::parse(text.toStdString(), origin.toStdString());
    } catch (const toml::parse_error& error) {
        return Result<TrainConfig>::failure(
            QStringLiteral("%1: %2").arg(where(origin, error.source()), QString::fromStdString(std::string(error.description()))));
    }
    TrainConfig config;
    const TableReader top(root, origin, baseDir, QString());
    FirstError errors;
    errors << readTopLevel(top, config) << readModelConfig(top, config);
    if (const toml::node* data = top.node("data"); data && !data->is_table())
        errors << Status::failure(QStringLiteral("%1: 'data' must be a table ([data])").arg(where(origin, data->source())));
    if (const toml::node* rehearsal = top.node("rehearsal"); rehearsal && !rehearsal->is_table())
        errors << Status::failure(QStringLiteral("%1: 'rehearsal' must be a table ([rehearsal])").arg(where(origin, rehearsal->source())));
    if (const toml::table* data = top.subTable("data"))
        errors << readData(TableReader(*data, origin, baseDir, QStringLiteral("data.")), config);
    if (const toml::table* rehearsal = top.subTable("rehearsal"))
        errors << readRehearsal(TableReader(*rehearsal, origin, baseDir, QStringLiteral("rehearsal.")), config);
    if (!errors.status())
        return Result<TrainConfig>::failure(errors.status().error());
    if (Status valid = config.validate(); !valid)
        return Result<TrainConfig>::failure(QStringLiteral("%1: %2").arg(origin, valid.error()));
    return config;
}

Result<TrainConfig> TrainConfig::fromTomlFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<TrainConfig>::failure(QStringLiteral("cannot read the configuration '%1': %2").arg(path, file.errorString()));
    return fromToml(QString::fromUtf8(file.readAll()), path, QFileInfo(path).absolutePath());
}

Status TrainConfig::validate() const
{
    if (model.trimmed().isEmpty())
        return Status::failure(QStringLiteral("model must name a model plugin id"));
    if (epochs < 1)
        return Status::failure(QStringLiteral("epochs must be >= 1, got %1").arg(epochs));
    if (batchSize < 1)
        return Status::failure(QStringLiteral("batch_size must be >= 1, got %1").arg(batchSize));
    if (threads < 0)
        return Status::failure(QStringLiteral("threads must be >= 0, got %1").arg(threads));
    if (!(valSplit >= 0 && valSplit < 1))
        return Status::failure(QStringLiteral("val_split must be in [0, 1), got %1").arg(valSplit));
    if (data.sideBySideStride < 1)
        return Status::failure(QStringLiteral("data.side_by_side_stride must be >= 1, got %1").arg(data.sideBySideStride));
    if (slideTileSize < 0)
        return Status::failure(QStringLiteral("data.slide_tile_size must be >= 0, got %1").arg(slideTileSize));
    if (cacheMegabytes < 0)
        return Status::failure(QStringLiteral("data.cache_mb must be >= 0, got %1").arg(cacheMegabytes));
    if (rehearsal.warmupEpochs < 0)
        return Status::failure(QStringLiteral("rehearsal.warmup_epochs must be >= 0, got %1").arg(rehearsal.warmupEpochs));
    if (!(rehearsal.halfLife > 0))
        return Status::failure(QStringLiteral("rehearsal.half_life must be > 0, got %1").arg(rehearsal.halfLife));
    if (rehearsal.floor > 1)
        return Status::failure(QStringLiteral("rehearsal.floor must be <= 1 (negative: automatic), got %1").arg(rehearsal.floor));
    if (!(rehearsal.oldWeight > 0))
        return Status::failure(QStringLiteral("rehearsal.weight must be > 0, got %1").arg(rehearsal.oldWeight));
    return {};
}

QString TrainConfig::toToml() const
{
    std::string storage[3];
    toml::table root{{"model", model.toStdString()},
                     {"out", out.toStdString()},
                     {"epochs", epochs},
                     {"batch_size", batchSize},
                     {"seed", static_cast<int64_t>(seed)},
                     {"threads", threads},
                     {"resume", resume},
                     {"class_weighting", enumName(classWeightingNames(), static_cast<int>(classWeighting), storage[0])}};
    if (!classes.isEmpty())
        root.insert("classes", classes.toStdString());
    if (!fineTune.isEmpty())
        root.insert("fine_tune", fineTune.toStdString());
    toml::table dataTable{{"train", pathArray(trainData)},
                          {"validation", pathArray(validationData)},
                          {"val_split", valSplit},
                          {"format", enumName(dataFormatNames(), static_cast<int>(data.format), storage[1])},
                          {"image_column", data.reader.imageColumn.toStdString()},
                          {"label_column", data.reader.labelColumn.toStdString()},
                          {"x_column", data.reader.xColumn.toStdString()},
                          {"y_column", data.reader.yColumn.toStdString()},
                          {"side_by_side_stride", data.sideBySideStride},
                          {"slide_tile_size", slideTileSize},
                          {"cache_mb", cacheMegabytes}};
    if (!data.reader.imagesDir.isEmpty())
        dataTable.insert("images_dir", data.reader.imagesDir.toStdString());
    root.insert("data", std::move(dataTable));
    root.insert("rehearsal", toml::table{{"data", pathArray(rehearsalData)},
                                         {"warmup_epochs", rehearsal.warmupEpochs},
                                         {"half_life", rehearsal.halfLife},
                                         {"decay", enumName(rehearsalDecayNames(), static_cast<int>(rehearsal.decay), storage[2])},
                                         {"floor", rehearsal.floor},
                                         {"weight", static_cast<double>(rehearsal.oldWeight)}});
    if (!modelConfigToml.trimmed().isEmpty()) {
        // The model's own configuration as a table, so that this file alone repeats the run. The model has
        // accepted this text before the file is written, so it parses.
        try {
            root.insert("model_config", toml::parse(modelConfigToml.toStdString()));
        } catch (const toml::parse_error&) {
        }
    }
    std::ostringstream text;
    text << "# Written by slt-cli train: the configuration this run used (paths absolute).\n" << root << "\n";
    return QString::fromStdString(text.str());
}

Result<ClassSchema> TrainConfig::classSchema() const
{
    if (classes.isEmpty())
        return ClassSchema::sltDefault();
    return ClassSchema::fromTomlFile(classes);
}

} // namespace slt::core::training_data
