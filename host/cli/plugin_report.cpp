#include "plugin_report.hpp"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonValue>

#include <algorithm>
#include <array>

namespace slt::cli {
namespace {

QJsonObject settingToJson(const core::SettingSpec& spec)
{
    QJsonObject object{{QStringLiteral("key"), spec.key},
                       {QStringLiteral("label"), spec.label},
                       {QStringLiteral("type"), spec.type},
                       {QStringLiteral("description"), spec.description},
                       {QStringLiteral("default"), QJsonValue::fromVariant(spec.defaultValue)}};
    if (spec.minimum.isValid())
        object.insert(QStringLiteral("min"), QJsonValue::fromVariant(spec.minimum));
    if (spec.maximum.isValid())
        object.insert(QStringLiteral("max"), QJsonValue::fromVariant(spec.maximum));
    if (!spec.choices.isEmpty())
        object.insert(QStringLiteral("choices"), QJsonArray::fromStringList(spec.choices));
    return object;
}

QString sdkAbi(const core::PluginManifest& manifest)
{
    if (manifest.id.isEmpty())
        return {};
    return QStringLiteral("%1.%2").arg(manifest.sdkAbiMajor).arg(manifest.sdkAbiMinor);
}

QString dependencyText(const core::PluginDependency& dependency)
{
    return dependency.minimumVersion.isEmpty() ? dependency.id
                                               : QStringLiteral("%1 >= %2").arg(dependency.id, dependency.minimumVersion);
}

// An invalid manifest has no id: show the folder name so the row can still be told apart.
QString displayId(const core::PluginRecord& record)
{
    return record.manifest.id.isEmpty() ? QStringLiteral("(%1)").arg(QFileInfo(record.directory).fileName())
                                        : record.manifest.id;
}

} // namespace

QJsonObject recordToJson(const core::PluginRecord& record, const QVariantMap& values)
{
    const core::PluginManifest& m = record.manifest;
    QJsonArray dependencies;
    for (const core::PluginDependency& dependency : m.dependencies)
        dependencies.append(QJsonObject{{QStringLiteral("id"), dependency.id}, {QStringLiteral("version"), dependency.minimumVersion}});
    QJsonArray settings;
    for (const core::SettingSpec& spec : m.settings) {
        QJsonObject object = settingToJson(spec);
        if (values.contains(spec.key))
            object.insert(QStringLiteral("value"), QJsonValue::fromVariant(values.value(spec.key)));
        settings.append(object);
    }
    return QJsonObject{{QStringLiteral("id"), m.id},
                       {QStringLiteral("name"), m.name},
                       {QStringLiteral("version"), m.version},
                       {QStringLiteral("kind"), m.kind},
                       {QStringLiteral("state"), QString::fromLatin1(core::stateName(record.state))},
                       {QStringLiteral("message"), record.message},
                       {QStringLiteral("path"), record.directory},
                       {QStringLiteral("library"), record.libraryPath},
                       {QStringLiteral("sdk_abi"), sdkAbi(m)},
                       {QStringLiteral("enabled"), record.enabled},
                       {QStringLiteral("description"), m.description},
                       {QStringLiteral("license"), m.license},
                       {QStringLiteral("heavy_runtime"), m.heavyRuntime},
                       {QStringLiteral("services"), QJsonArray::fromStringList(m.requiredServices)},
                       {QStringLiteral("dependencies"), dependencies},
                       {QStringLiteral("settings"), settings}};
}

QString recordsTable(const std::vector<core::PluginRecord>& records)
{
    using Row = std::array<QString, 5>;
    std::vector<Row> rows{{QStringLiteral("ID"), QStringLiteral("VERSION"), QStringLiteral("KIND"), QStringLiteral("STATE"),
                           QStringLiteral("MESSAGE")}};
    for (const core::PluginRecord& record : records)
        rows.push_back({displayId(record), record.manifest.version, record.manifest.kind,
                        QString::fromLatin1(core::stateName(record.state)), record.message});
    std::array<qsizetype, 4> widths{};
    for (const Row& row : rows) {
        for (size_t column = 0; column < widths.size(); ++column)
            widths[column] = std::max(widths[column], row[column].size());
    }
    QString text;
    for (const Row& row : rows) {
        QString line;
        for (size_t column = 0; column < widths.size(); ++column)
            line += row[column].leftJustified(widths[column]) + QStringLiteral("  ");
        text += (line + row[4]).trimmed() + QLatin1Char('\n');
    }
    return text;
}

QString recordDetails(const core::PluginRecord& record, const QVariantMap& values)
{
    const core::PluginManifest& m = record.manifest;
    QStringList dependencies;
    for (const core::PluginDependency& dependency : m.dependencies)
        dependencies << dependencyText(dependency);
    QString text;
    auto line = [&text](const char* key, const QString& value) {
        text += QStringLiteral("%1 %2\n").arg(QString::fromLatin1(key).leftJustified(14), value.isEmpty() ? QStringLiteral("-") : value);
    };
    line("id:", m.id);
    line("name:", m.name);
    line("version:", m.version);
    line("kind:", m.kind);
    line("state:", QString::fromLatin1(core::stateName(record.state)));
    line("message:", record.message);
    line("enabled:", record.enabled ? QStringLiteral("yes") : QStringLiteral("no"));
    line("folder:", record.directory);
    line("library:", record.libraryPath);
    line("sdk_abi:", sdkAbi(m));
    line("description:", m.description);
    line("license:", m.license);
    line("heavy_runtime:", m.heavyRuntime ? QStringLiteral("true") : QStringLiteral("false"));
    line("services:", m.requiredServices.join(QStringLiteral(", ")));
    line("dependencies:", dependencies.join(QStringLiteral(", ")));
    line("settings:", m.settings.empty() ? QString() : QStringLiteral("%1").arg(m.settings.size()));
    for (const core::SettingSpec& spec : m.settings) {
        QStringList facts{spec.type, QStringLiteral("default %1").arg(spec.defaultValue.toString())};
        if (spec.minimum.isValid())
            facts << QStringLiteral("min %1").arg(spec.minimum.toString());
        if (spec.maximum.isValid())
            facts << QStringLiteral("max %1").arg(spec.maximum.toString());
        if (!spec.choices.isEmpty())
            facts << QStringLiteral("choices %1").arg(spec.choices.join(QLatin1Char('|')));
        if (values.contains(spec.key))
            facts << QStringLiteral("value %1").arg(values.value(spec.key).toString());
        text += QStringLiteral("  %1 (%2): %3%4\n")
                    .arg(spec.key, facts.join(QStringLiteral(", ")), spec.label,
                         spec.description.isEmpty() ? QString() : QStringLiteral(" — ") + spec.description);
    }
    return text;
}

} // namespace slt::cli
