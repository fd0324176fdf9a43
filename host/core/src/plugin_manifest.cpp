// Reads plugin.toml with toml++ and checks it against the manifest schema. Every error carries the
// file, line and column of the offending value (or of the table that lacks a key) and says how to fix it.
#include "slt/core/plugin_manifest.hpp"

#include "slt/core/semver.hpp"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

#include <toml++/toml.h>

#include <cmath>
#include <string_view>

namespace slt::core {
namespace {

const QStringList kKinds = {QStringLiteral("model"), QStringLiteral("metric"), QStringLiteral("sampler"),
                            QStringLiteral("bank"), QStringLiteral("exporter")};
const QStringList kSettingTypes = {QStringLiteral("bool"),   QStringLiteral("int"),    QStringLiteral("float"),
                                   QStringLiteral("string"), QStringLiteral("choice"), QStringLiteral("path")};

QString typeName(const toml::node& node)
{
    switch (node.type()) {
    case toml::node_type::string: return QStringLiteral("a string");
    case toml::node_type::integer: return QStringLiteral("an integer");
    case toml::node_type::floating_point: return QStringLiteral("a float");
    case toml::node_type::boolean: return QStringLiteral("a boolean");
    case toml::node_type::array: return QStringLiteral("an array");
    case toml::node_type::table: return QStringLiteral("a table");
    default: return QStringLiteral("a date/time");
    }
}

QString fromStd(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// Thrown inside the reader only, caught in readManifest(): the first schema error ends reading.
struct SchemaError {
    toml::source_position where;
    QString what;
};

class ManifestReader {
public:
    explicit ManifestReader(const toml::table& root) : root_(root) {}

    PluginManifest read()
    {
        PluginManifest m;
        m.id = requiredString(root_, "id", "add id = \"org.example.sampler.mine\" (reverse-DNS, lower case)");
        checkId(m.id, *root_.get("id"), "id");
        m.name = requiredString(root_, "name", "add name = \"My sampler\" (shown to users)");
        m.version = requiredString(root_, "version", "add version = \"1.0.0\" (semantic version)");
        if (!parseSemVer(m.version))
            fail(*root_.get("version"), QStringLiteral("'version' must be a semantic version MAJOR.MINOR.PATCH "
                                                       "such as \"1.0.0\", got \"%1\"")
                                            .arg(m.version));
        m.kind = requiredString(root_, "kind", "add kind = \"sampler\" (one of model, metric, sampler, bank, exporter)");
        if (!kKinds.contains(m.kind))
            fail(*root_.get("kind"), QStringLiteral("unknown kind \"%1\": use one of %2")
                                         .arg(m.kind, kKinds.join(QStringLiteral(", "))));
        m.library = requiredString(root_, "library", "add library = \"<name>.so\" (the library file beside plugin.toml)");
        checkLibrary(m.library, *root_.get("library"));
        readAbi(m);
        m.description = optionalString(root_, "description");
        m.license = optionalString(root_, "license");
        m.heavyRuntime = optionalBool(root_, "heavy_runtime");
        m.requiredServices = readServices();
        m.dependencies = readDependencies();
        m.settings = readSettings();
        return m;
    }

private:
    [[noreturn]] static void fail(const toml::node& where, const QString& what)
    {
        throw SchemaError{where.source().begin, what};
    }

    const toml::node& require(const toml::table& table, const char* key, const char* hint) const
    {
        const toml::node* node = table.get(key);
        if (!node)
            fail(table, QStringLiteral("missing required key '%1': %2").arg(QLatin1String(key), QLatin1String(hint)));
        return *node;
    }

    QString requiredString(const toml::table& table, const char* key, const char* hint) const
    {
        const toml::node& node = require(table, key, hint);
        if (!node.is_string())
            fail(node, QStringLiteral("'%1' must be a string (text in quotes), got %2: %3")
                           .arg(QLatin1String(key), typeName(node), QLatin1String(hint)));
        const QString value = fromStd(node.as_string()->get());
        if (value.trimmed().isEmpty())
            fail(node, QStringLiteral("'%1' must not be empty: %2").arg(QLatin1String(key), QLatin1String(hint)));
        return value;
    }

    static QString optionalString(const toml::table& table, const char* key)
    {
        const toml::node* node = table.get(key);
        if (!node)
            return {};
        if (!node->is_string())
            fail(*node, QStringLiteral("'%1' must be a string (text in quotes), got %2")
                            .arg(QLatin1String(key), typeName(*node)));
        return fromStd(node->as_string()->get());
    }

    static bool optionalBool(const toml::table& table, const char* key)
    {
        const toml::node* node = table.get(key);
        if (!node)
            return false;
        if (!node->is_boolean())
            fail(*node, QStringLiteral("'%1' must be true or false (without quotes), got %2")
                            .arg(QLatin1String(key), typeName(*node)));
        return node->as_boolean()->get();
    }

    static void checkId(const QString& id, const toml::node& where, const char* key)
    {
        static const QRegularExpression pattern(QStringLiteral(R"(^[a-z][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$)"));
        if (!pattern.match(id).hasMatch())
            fail(where, QStringLiteral("'%1' must be a reverse-DNS name in lower case with at least two parts, "
                                       "such as \"org.example.sampler.mine\", got \"%2\"")
                            .arg(QLatin1String(key), id));
    }

    static void checkLibrary(const QString& library, const toml::node& where)
    {
        if (library.contains(QLatin1Char('/')) || library.contains(QLatin1Char('\\')) || library == QLatin1String(".")
            || library == QLatin1String(".."))
            fail(where, QStringLiteral("'library' must be the name of a file beside plugin.toml, without folders, "
                                       "got \"%1\"")
                            .arg(library));
    }

    void readAbi(PluginManifest& m) const
    {
        const QString abi = requiredString(root_, "sdk_abi", "add sdk_abi = \"1.0\" (the SDK ABI MAJOR.MINOR it was built against)");
        static const QRegularExpression pattern(QStringLiteral(R"(^(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})$)"));
        const QRegularExpressionMatch match = pattern.match(abi);
        if (!match.hasMatch())
            fail(*root_.get("sdk_abi"), QStringLiteral("'sdk_abi' must be \"MAJOR.MINOR\" such as \"1.0\", got \"%1\"").arg(abi));
        m.sdkAbiMajor = match.captured(1).toInt();
        m.sdkAbiMinor = match.captured(2).toInt();
    }

    const toml::array* optionalArray(const char* key, const char* hint) const
    {
        const toml::node* node = root_.get(key);
        if (!node)
            return nullptr;
        if (!node->is_array())
            fail(*node, QStringLiteral("'%1' must be an array, got %2: %3").arg(QLatin1String(key), typeName(*node), QLatin1String(hint)));
        return node->as_array();
    }

    QStringList readServices() const
    {
        QStringList services;
        const toml::array* array = optionalArray("services", "write services = [\"slt.log/1\"]");
        if (!array)
            return services;
        static const QRegularExpression pattern(QStringLiteral(R"(^[a-z0-9_.]+/[1-9]\d*$)"));
        for (const toml::node& element : *array) {
            if (!element.is_string() || !pattern.match(fromStd(element.as_string()->get())).hasMatch())
                fail(element, QStringLiteral("each entry of 'services' must be a service id with revision such as "
                                             "\"slt.log/1\""));
            services << fromStd(element.as_string()->get());
        }
        return services;
    }

    const toml::table& tableEntry(const toml::node& element, const char* key) const
    {
        if (!element.is_table())
            fail(element, QStringLiteral("each entry of '%1' must be a table: write [[%1]] sections")
                              .arg(QLatin1String(key)));
        return *element.as_table();
    }

    std::vector<PluginDependency> readDependencies() const
    {
        std::vector<PluginDependency> dependencies;
        const toml::array* array = optionalArray("dependencies", "write [[dependencies]] sections");
        if (!array)
            return dependencies;
        for (const toml::node& element : *array) {
            const toml::table& table = tableEntry(element, "dependencies");
            PluginDependency dependency;
            dependency.id = requiredString(table, "id", "add id = \"org.example.metric.other\" to the [[dependencies]] entry");
            checkId(dependency.id, *table.get("id"), "id");
            dependency.minimumVersion = readMinimumVersion(table);
            dependencies.push_back(dependency);
        }
        return dependencies;
    }

    static QString readMinimumVersion(const toml::table& table)
    {
        QString text = optionalString(table, "version").trimmed();
        if (text.isEmpty())
            return {};
        if (text.startsWith(QLatin1String(">=")))
            text = text.mid(2).trimmed();
        if (!parseSemVer(text))
            fail(*table.get("version"), QStringLiteral("a dependency's 'version' must be a minimum such as \">=1.2.0\" "
                                                       "(only minimum versions are supported), got \"%1\"")
                                            .arg(fromStd(table.get("version")->as_string()->get())));
        return text;
    }

    std::vector<SettingSpec> readSettings() const
    {
        std::vector<SettingSpec> settings;
        const toml::array* array = optionalArray("settings", "write [[settings]] sections");
        if (!array)
            return settings;
        QSet<QString> keys;
        for (const toml::node& element : *array) {
            SettingSpec spec = readSetting(tableEntry(element, "settings"));
            if (keys.contains(spec.key))
                fail(*element.as_table()->get("key"), QStringLiteral("setting key '%1' appears twice: keys must be unique").arg(spec.key));
            keys.insert(spec.key);
            settings.push_back(spec);
        }
        return settings;
    }

    SettingSpec readSetting(const toml::table& table) const
    {
        SettingSpec spec;
        spec.key = requiredString(table, "key", "add key = \"my_option\" to the [[settings]] entry");
        static const QRegularExpression keyPattern(QStringLiteral(R"(^[a-z0-9_.]+$)"));
        if (!keyPattern.match(spec.key).hasMatch())
            fail(*table.get("key"), QStringLiteral("setting key \"%1\" may only use a-z, 0-9, '_' and '.'").arg(spec.key));
        spec.label = requiredString(table, "label", "add label = \"...\" (shown in the settings form)");
        spec.type = requiredString(table, "type", "add type = \"int\" (one of bool, int, float, string, choice, path)");
        if (!kSettingTypes.contains(spec.type))
            fail(*table.get("type"), QStringLiteral("unknown setting type \"%1\": use one of %2")
                                         .arg(spec.type, kSettingTypes.join(QStringLiteral(", "))));
        spec.description = optionalString(table, "description");
        readBounds(table, spec);
        readChoices(table, spec);
        readDefault(table, spec);
        return spec;
    }

    // The numeric value of `node` for an int or float setting; a float setting accepts integers.
    static QVariant numberOf(const toml::node& node, const SettingSpec& spec, const char* key)
    {
        if (spec.type == QLatin1String("int") && node.is_integer())
            return QVariant(static_cast<qlonglong>(node.as_integer()->get()));
        if (spec.type == QLatin1String("float") && (node.is_integer() || node.is_floating_point()))
            return QVariant(node.is_integer() ? static_cast<double>(node.as_integer()->get()) : node.as_floating_point()->get());
        fail(node, QStringLiteral("'%1' of %2 setting '%3' must be %4, got %5")
                       .arg(QLatin1String(key), spec.type, spec.key,
                            spec.type == QLatin1String("int") ? QStringLiteral("an integer") : QStringLiteral("a number"),
                            typeName(node)));
    }

    static void readBounds(const toml::table& table, SettingSpec& spec)
    {
        const bool numeric = spec.type == QLatin1String("int") || spec.type == QLatin1String("float");
        for (const char* key : {"min", "max"}) {
            const toml::node* node = table.get(key);
            if (!node)
                continue;
            if (!numeric)
                fail(*node, QStringLiteral("'%1' is only allowed for int and float settings, not for %2 setting '%3'")
                                .arg(QLatin1String(key), spec.type, spec.key));
            (std::string_view(key) == "min" ? spec.minimum : spec.maximum) = numberOf(*node, spec, key);
        }
        if (spec.minimum.isValid() && spec.maximum.isValid() && spec.minimum.toDouble() > spec.maximum.toDouble())
            fail(*table.get("min"), QStringLiteral("setting '%1' has min %2 greater than max %3: swap them")
                                        .arg(spec.key, spec.minimum.toString(), spec.maximum.toString()));
    }

    static void readChoices(const toml::table& table, SettingSpec& spec)
    {
        const toml::node* node = table.get("choices");
        const bool isChoice = spec.type == QLatin1String("choice");
        if (!node) {
            if (isChoice)
                fail(table, QStringLiteral("choice setting '%1' needs choices = [\"a\", \"b\"]").arg(spec.key));
            return;
        }
        if (!isChoice)
            fail(*node, QStringLiteral("'choices' is only allowed for choice settings, not for %1 setting '%2'")
                            .arg(spec.type, spec.key));
        if (!node->is_array() || node->as_array()->empty())
            fail(*node, QStringLiteral("'choices' of setting '%1' must be a non-empty array of strings").arg(spec.key));
        for (const toml::node& element : *node->as_array()) {
            if (!element.is_string())
                fail(element, QStringLiteral("'choices' of setting '%1' must contain strings only, got %2")
                                  .arg(spec.key, typeName(element)));
            spec.choices << fromStd(element.as_string()->get());
        }
    }

    static QVariant implicitDefault(const SettingSpec& spec)
    {
        if (spec.type == QLatin1String("bool"))
            return false;
        if (spec.type == QLatin1String("int"))
            return spec.minimum.isValid() ? spec.minimum : QVariant(qlonglong(0));
        if (spec.type == QLatin1String("float"))
            return spec.minimum.isValid() ? spec.minimum : QVariant(0.0);
        if (spec.type == QLatin1String("choice"))
            return spec.choices.first();
        return QString();
    }

    static void readDefault(const toml::table& table, SettingSpec& spec)
    {
        const toml::node* node = table.get("default");
        if (!node) {
            spec.defaultValue = implicitDefault(spec);
            return;
        }
        if (spec.type == QLatin1String("bool")) {
            if (!node->is_boolean())
                fail(*node, QStringLiteral("default of bool setting '%1' must be true or false, got %2").arg(spec.key, typeName(*node)));
            spec.defaultValue = node->as_boolean()->get();
            return;
        }
        if (spec.type == QLatin1String("int") || spec.type == QLatin1String("float")) {
            spec.defaultValue = numberOf(*node, spec, "default");
            const double value = spec.defaultValue.toDouble();
            if ((spec.minimum.isValid() && value < spec.minimum.toDouble())
                || (spec.maximum.isValid() && value > spec.maximum.toDouble()))
                fail(*node, QStringLiteral("default %1 of setting '%2' is outside [%3, %4]")
                                .arg(spec.defaultValue.toString(), spec.key,
                                     spec.minimum.isValid() ? spec.minimum.toString() : QStringLiteral("-inf"),
                                     spec.maximum.isValid() ? spec.maximum.toString() : QStringLiteral("inf")));
            return;
        }
        if (!node->is_string())
            fail(*node, QStringLiteral("default of %1 setting '%2' must be a string, got %3").arg(spec.type, spec.key, typeName(*node)));
        spec.defaultValue = fromStd(node->as_string()->get());
        if (spec.type == QLatin1String("choice") && !spec.choices.contains(spec.defaultValue.toString()))
            fail(*node, QStringLiteral("default \"%1\" of setting '%2' is not one of its choices (%3)")
                            .arg(spec.defaultValue.toString(), spec.key, spec.choices.join(QStringLiteral(", "))));
    }

    const toml::table& root_;
};

QString located(const QString& path, const toml::source_position& where, const QString& what)
{
    // The root table of a file carries no position; point at the start of the file then.
    const unsigned line = where.line ? where.line : 1;
    const unsigned column = where.column ? where.column : 1;
    return QStringLiteral("%1:%2:%3: %4").arg(path).arg(line).arg(column).arg(what);
}

} // namespace

ManifestResult readManifest(const QString& path)
{
    ManifestResult result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("%1:1:1: cannot read the manifest: %2").arg(path, file.errorString());
        return result;
    }
    const QByteArray bytes = file.readAll();
    try {
        const std::string sourcePath = path.toStdString();
        const toml::table root = toml::parse(std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())), sourcePath);
        result.manifest = ManifestReader(root).read();
    } catch (const toml::parse_error& error) {
        result.error = located(path, error.source().begin,
                               QStringLiteral("TOML syntax error: %1; fix the syntax at this position")
                                   .arg(fromStd(error.description())));
    } catch (const SchemaError& error) {
        result.error = located(path, error.where, error.what);
    } catch (const std::exception& error) {
        result.error = located(path, {}, QStringLiteral("cannot read the manifest: %1").arg(QString::fromUtf8(error.what())));
    }
    return result;
}

} // namespace slt::core
