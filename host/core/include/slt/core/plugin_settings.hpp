// Plugin settings: validation of values against a manifest's [[settings]] schema, and the user's
// stored values (QSettings group "plugin/<id>/") merged over the manifest's defaults.
#pragma once

#include "slt/core/plugin_manifest.hpp"

#include <QSettings>
#include <QString>
#include <QVariant>
#include <QVariantMap>

#include <memory>
#include <optional>

namespace slt::core {

// The settings file shared by the desktop app and slt-cli (organisation "slt", application "slt"), so
// that a plugin disabled in one front end is disabled in the other.
std::unique_ptr<QSettings> openUserSettings();

// Checks `value` against `spec` (type, min/max, choices). Values read back from a settings file arrive as
// text, so "true", "42" and "0.5" are accepted for bool, int and float. Returns the value converted to
// the spec's type (bool, qlonglong, double or QString), or nullopt with a message in `*error`.
std::optional<QVariant> validateSettingValue(const SettingSpec& spec, const QVariant& value, QString* error);

// The spec with this key, or null.
const SettingSpec* findSetting(const PluginManifest& manifest, const QString& key);

// Manifest defaults overridden by the valid values stored under "plugin/<id>/<key>" in `store`; invalid
// stored values are ignored (the default is used) so a hand-edited file cannot break a plugin.
QVariantMap effectiveSettings(const PluginManifest& manifest, QSettings& store);

// The QSettings key of a plugin setting.
QString settingStoreKey(const QString& pluginId, const QString& key);

} // namespace slt::core
