// Dependency resolution over manifests: which plugins can be loaded, in which order, and why the others
// cannot. A pure function so that cycles, missing and too-old dependencies are unit-testable.
#pragma once

#include "slt/core/plugin_manifest.hpp"

#include <QString>

#include <map>
#include <vector>

namespace slt::core {

struct DependencyNode {
    QString id;
    QString version;
    std::vector<PluginDependency> dependencies;
    // Non-empty when the plugin is installed but will not be loaded (e.g. "it is disabled"); such a
    // node is never loaded itself and every plugin that needs it fails.
    QString unavailableReason;
};

struct DependencyResolution {
    std::vector<QString> loadOrder;       // available nodes whose dependencies are satisfied, deps first
    std::map<QString, QString> failures;  // id -> why it cannot be loaded (missing, too old, cycle, ...)
};

// Node ids must be unique (shadowing is decided before). The load order keeps the input order where
// dependencies allow it.
DependencyResolution resolveDependencies(const std::vector<DependencyNode>& nodes);

} // namespace slt::core
