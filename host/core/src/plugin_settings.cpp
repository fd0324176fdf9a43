#include "slt/core/plugin_settings.hpp"

#include <cmath>

namespace slt::core {

std::unique_ptr<QSettings> openUserSettings()
{
    return std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("slt"),
                                       QStringLiteral("slt"));
}

namespace {

std::optional<bool> toBool(const QVariant& value)
{
    if (value.typeId() == QMetaType::Bool)
        return value.toBool();
    if (value.typeId() == QMetaType::QString) {
        const QString text = value.toString().trimmed().toLower();
        if (text == QLatin1String("true"))
            return true;
        if (text == QLatin1String("false"))
            return false;
    }
    return std::nullopt;
}

std::optional<qlonglong> toInteger(const QVariant& value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return value.toLongLong();
    case QMetaType::Double: {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
            return static_cast<qlonglong>(d);
        return std::nullopt;
    }
    case QMetaType::QString: {
        bool ok = false;
        const qlonglong parsed = value.toString().trimmed().toLongLong(&ok);
        return ok ? std::optional<qlonglong>(parsed) : std::nullopt;
    }
    default:
        return std::nullopt;
    }
}

std::optional<double> toFloat(const QVariant& value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float: {
        const double d = value.toDouble();
        return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
    }
    case QMetaType::QString: {
        bool ok = false;
        const double parsed = value.toString().trimmed().toDouble(&ok);
        return ok && std::isfinite(parsed) ? std::optional<double>(parsed) : std::nullopt;
    }
    default:
        return std::nullopt;
    }
}

QString describe(const QVariant& value)
{
    return value.isValid() ? QStringLiteral("'%1'").arg(value.toString()) : QStringLiteral("nothing");
}

template <typename Number>
bool checkRange(const SettingSpec& spec, Number number, QString* error)
{
    if (spec.minimum.isValid() && number < spec.minimum.value<Number>()) {
        *error = QStringLiteral("'%1' must be at least %2, got %3").arg(spec.key, spec.minimum.toString()).arg(number);
        return false;
    }
    if (spec.maximum.isValid() && number > spec.maximum.value<Number>()) {
        *error = QStringLiteral("'%1' must be at most %2, got %3").arg(spec.key, spec.maximum.toString()).arg(number);
        return false;
    }
    return true;
}

} // namespace

std::optional<QVariant> validateSettingValue(const SettingSpec& spec, const QVariant& value, QString* error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (spec.type == QLatin1String("bool")) {
        if (auto b = toBool(value))
            return QVariant(*b);
        *error = QStringLiteral("'%1' must be true or false, got %2").arg(spec.key, describe(value));
        return std::nullopt;
    }
    if (spec.type == QLatin1String("int")) {
        auto i = toInteger(value);
        if (!i) {
            *error = QStringLiteral("'%1' must be a whole number, got %2").arg(spec.key, describe(value));
            return std::nullopt;
        }
        return checkRange<qlonglong>(spec, *i, error) ? std::optional<QVariant>(QVariant(*i)) : std::nullopt;
    }
    if (spec.type == QLatin1String("float")) {
        auto f = toFloat(value);
        if (!f) {
            *error = QStringLiteral("'%1' must be a number, got %2").arg(spec.key, describe(value));
            return std::nullopt;
        }
        return checkRange<double>(spec, *f, error) ? std::optional<QVariant>(QVariant(*f)) : std::nullopt;
    }
    if (value.typeId() != QMetaType::QString) {
        *error = QStringLiteral("'%1' must be text, got %2").arg(spec.key, describe(value));
        return std::nullopt;
    }
    const QString text = value.toString();
    if (spec.type == QLatin1String("choice") && !spec.choices.contains(text)) {
        *error = QStringLiteral("'%1' must be one of %2, got '%3'")
                     .arg(spec.key, spec.choices.join(QStringLiteral(", ")), text);
        return std::nullopt;
    }
    return QVariant(text);
}

const SettingSpec* findSetting(const PluginManifest& manifest, const QString& key)
{
    for (const SettingSpec& spec : manifest.settings) {
        if (spec.key == key)
            return &spec;
    }
    return nullptr;
}

QString settingStoreKey(const QString& pluginId, const QString& key)
{
    return QStringLiteral("plugin/%1/%2").arg(pluginId, key);
}

QVariantMap effectiveSettings(const PluginManifest& manifest, QSettings& store)
{
    QVariantMap values;
    for (const SettingSpec& spec : manifest.settings) {
        values.insert(spec.key, spec.defaultValue);
        const QVariant stored = store.value(settingStoreKey(manifest.id, spec.key));
        if (!stored.isValid())
            continue;
        if (auto valid = validateSettingValue(spec, stored, nullptr))
            values.insert(spec.key, *valid);
    }
    return values;
}

} // namespace slt::core
