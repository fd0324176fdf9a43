// plugin.toml: what a plugin declares about itself, and its validation.
#pragma once

#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>
#include <vector>

namespace slt::core {

// One [[settings]] entry: the host builds a settings form from these (plugins ship no widgets).
struct SettingSpec {
    QString key;          // identifier, [a-z0-9_.]+
    QString label;        // shown in the form
    QString type;         // "bool" | "int" | "float" | "string" | "choice" | "path"
    QString description;  // tooltip
    QVariant defaultValue;
    QVariant minimum;     // int/float only; invalid when absent
    QVariant maximum;     // int/float only; invalid when absent
    QStringList choices;  // type "choice" only
};

// A dependency: another plugin's id and the lowest version accepted ("" = any).
struct PluginDependency {
    QString id;
    QString minimumVersion;
};

struct PluginManifest {
    QString id;            // reverse-DNS, e.g. "org.slt.sampler.random"
    QString name;          // human-readable
    QString version;       // "MAJOR.MINOR.PATCH"
    QString kind;          // "model" | "metric" | "sampler" | "bank" | "exporter"
    QString library;       // file name of the library, relative to the manifest's folder
    int sdkAbiMajor = 0;   // from sdk_abi = "MAJOR.MINOR"
    int sdkAbiMinor = 0;
    QString description;
    QString license;
    std::vector<PluginDependency> dependencies;
    QStringList requiredServices; // host service ids, e.g. "slt.log/1"
    bool heavyRuntime = false;    // links LibTorch or Qt: never unloaded (key `heavy_runtime`)
    std::vector<SettingSpec> settings;
};

// Either a manifest or an error "path:line:column: what is wrong".
struct ManifestResult {
    std::optional<PluginManifest> manifest;
    QString error;
};

// Reads and validates a plugin.toml. Never throws.
ManifestResult readManifest(const QString& path);

} // namespace slt::core
