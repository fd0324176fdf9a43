// The plugin manager: discover -> read manifest -> check compatibility -> resolve dependencies ->
// load -> init (ARCHITECTURE §5). Every step ends in a named state with a message a person can act on;
// nothing in the pipeline may crash or abort the host.
#pragma once

#include "slt/core/plugin_manifest.hpp"

#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>
#include <vector>

struct slt_plugin_entry_v1;
struct slt_host;

namespace slt::core {

enum class PluginState {
    Active,            // loaded and initialised; factories may be used
    ManifestInvalid,   // plugin.toml is unreadable, not TOML, or breaks the schema (message: file:line:col)
    Incompatible,      // SDK ABI major differs or minor is newer than the host's, or id/version mismatch
    DependencyMissing, // a dependency is absent, inactive, too old, or part of a cycle
    LoadFailed,        // the library could not be loaded (dlerror text) or has no entry symbol
    InitFailed,        // init() returned an error or threw
    Quarantined,       // the process died while loading or initialising it at a previous start
    Shadowed,          // another plugin with the same id came earlier in the search path
    Disabled           // the user disabled it (takes effect at the next start)
};

// "active", "manifest-invalid", "incompatible", "dependency-missing", "load-failed", "init-failed",
// "quarantined", "shadowed", "disabled".
const char* stateName(PluginState state);

struct PluginRecord {
    PluginManifest manifest;   // as read; fields may be empty when the manifest is invalid
    QString directory;         // absolute folder holding plugin.toml
    QString libraryPath;       // absolute path of the library named by the manifest (may not exist)
    PluginState state = PluginState::ManifestInvalid;
    QString message;           // why the state is what it is; empty only for a plain active plugin
    bool enabled = true;       // the user's choice (persisted); false implies state Disabled
    const slt_plugin_entry_v1* entry = nullptr; // non-null only when Active
};

struct PluginManagerOptions {
    // Folders searched in order, first wins. Empty: defaultSearchPath().
    QStringList searchPath;
    // Where the crash-guard marks and the disabled list live. Empty: the app's data location.
    QString stateDirectory;
    // The name given to plugins as slt_host::host_name.
    QString hostName = QStringLiteral("slt");
    // Crash probe: when set, a plugin whose library (path + size + mtime) has not survived a probe before
    // is first loaded and initialised in a child process
    //     <probeExecutable> [--plugin-path DIR]... plugins probe <plugin dir>
    // If the child dies by a signal or does not finish within probeTimeoutMs, the plugin is quarantined
    // and never loaded in this process. Empty: no probe (the crash guard's marks still apply).
    QString probeExecutable;
    int probeTimeoutMs = 30000;
    // false: ignore the user's disabled list (used by `plugins validate` / `plugins probe`, which check a
    // plugin regardless of whether the user enabled it).
    bool applyDisabledList = true;
};

// "signal 11 (Segmentation fault)".
QString describeSignal(int signalNumber);

class PluginManager {
public:
    explicit PluginManager(PluginManagerOptions options = {});
    ~PluginManager(); // calls deinit() on active plugins; never unloads LibTorch/Qt-linked libraries
    PluginManager(const PluginManager&) = delete;
    PluginManager& operator=(const PluginManager&) = delete;

    // SLT_PLUGIN_PATH (':'-separated), the user's plugin folder (XDG data dir/slt/plugins), folders from
    // settings ("plugins/extraPaths"), the bundled folder relative to the executable (../lib/slt/plugins
    // for an install, the build tree's plugin folder for a build).
    static QStringList defaultSearchPath();

    // The plugin folders (each holding a plugin.toml) found in `searchPath`, in search order: a folder's
    // sub-folders sorted by name, or the folder itself when it has its own plugin.toml.
    static QStringList pluginFolders(const QStringList& searchPath);

    // Runs the whole pipeline once over the search path. Call once.
    void discover();

    // Runs the pipeline on exactly one plugin folder (used by `slt-cli plugins validate`).
    void discoverSingle(const QString& pluginDirectory);

    const std::vector<PluginRecord>& plugins() const;
    const PluginRecord* find(const QString& id) const; // the winning (non-shadowed) record, or null

    // The factory table for `factoryId` (e.g. "slt.sampler/1") of an active plugin, or null.
    const void* factory(const QString& id, const char* factoryId) const;

    // The slt_host given to an active plugin's init(); factories' create() calls take it. Null otherwise.
    const slt_host* host(const QString& id) const;

    // The folders searched (options.searchPath or defaultSearchPath()) and the state directory in use.
    QStringList searchPath() const;
    QString stateDirectory() const;

    // Enable or disable a plugin; persisted, takes effect at the next start.
    void setEnabled(const QString& id, bool enabled);

    // The plugin's settings (manifest defaults overridden by the user's values), and a setter that
    // validates against the manifest schema; returns an error message, empty on success.
    QVariantMap settings(const QString& id) const;
    QString setSetting(const QString& id, const QString& key, const QVariant& value);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace slt::core
