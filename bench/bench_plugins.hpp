#pragma once
#include <QStringList>

namespace slt::bench {
// `slt-bench plugins [--runs N]`: median time of PluginManager::discover() over the bundled plugins
// that need no heavy runtime (LibTorch, Qt), against plain dlopen of the same libraries.
int runPlugins(const QStringList& args);
} // namespace slt::bench
