// Private to slt_core: what the manager keeps for every plugin it loads, including the slt_host handed
// to the plugin (host_data points back to the PluginRuntime so service calls know who calls).
#pragma once

#include "slt/core/plugin_manifest.hpp"

#include <slt/sdk/host.h>

#include <QString>
#include <QVariantMap>

#include <boost/dll/shared_library.hpp>

#include <array>
#include <memory>
#include <mutex>
#include <string>

namespace slt::core {

struct PluginRuntime {
    PluginManifest manifest;
    QString libraryPath;
    slt_host host{};                 // given to init(); host_data == this
    std::string hostName;            // storage for host.host_name
    std::string hostVersion;         // storage for host.host_version
    std::array<std::string, 4> paths; // indexed by slt_path_kind
    std::mutex mutex;                 // guards `settings` and directory creation
    QVariantMap settings;             // effective values, updated by PluginManager::setSetting()
    std::unique_ptr<boost::dll::shared_library> library;
    const slt_plugin_entry_v1* entry = nullptr;
    bool initialised = false;         // init() returned SLT_OK; deinit() is due
    bool neverUnload = false;         // links LibTorch or Qt (manifest or DT_NEEDED): keep it mapped
};

// Fills `runtime.host` (and the strings it points at) for the plugin described by runtime.manifest.
void setUpHost(PluginRuntime& runtime, const QString& hostName, const QString& pluginDirectory,
               const QString& processTempDirectory);

} // namespace slt::core
