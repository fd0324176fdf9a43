#include "bench_plugins.hpp"

#include "bench_report.hpp"
#include "bench_support.hpp"

#include "slt/core/plugin_manager.hpp"
#include "slt/core/plugin_manifest.hpp"
#include "slt/sdk/abi.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <boost/dll/shared_library.hpp>

#include <cstdio>

namespace slt::bench {
namespace {

struct Selection {
    QStringList folders;   // plugin folders (each with plugin.toml)
    QStringList libraries; // their library files
};

// Bundled plugins whose manifest does not declare a heavy runtime.
Selection lightBundledPlugins()
{
    Selection selection;
    const QDir bundled(QCoreApplication::applicationDirPath() + "/../lib/slt/plugins");
    for (const QString& name : bundled.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString folder = bundled.absoluteFilePath(name);
        const auto result = core::readManifest(folder + "/plugin.toml");
        if (!result.manifest || result.manifest->heavyRuntime)
            continue;
        selection.folders << folder;
        selection.libraries << folder + "/" + result.manifest->library;
    }
    return selection;
}

// One search-path folder holding links to exactly the selected plugins.
bool linkFolders(const QStringList& folders, const QString& into)
{
    for (const QString& folder : folders) {
        if (!QFile::link(folder, into + "/" + QFileInfo(folder).fileName()))
            return false;
    }
    return true;
}

double timeManagerRun(const QString& searchFolder, const QString& stateFolder, int* activeOut)
{
    QElapsedTimer timer;
    timer.start();
    core::PluginManagerOptions options;
    options.searchPath = {searchFolder};
    options.stateDirectory = stateFolder;
    options.hostName = "slt-bench";
    core::PluginManager manager(options);
    manager.discover();
    const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    int active = 0;
    for (const auto& record : manager.plugins())
        active += record.state == core::PluginState::Active ? 1 : 0;
    *activeOut = active;
    return ms;
}

double timeRawLoad(const QStringList& libraries)
{
    QElapsedTimer timer;
    timer.start();
    std::vector<boost::dll::shared_library> loaded;
    for (const QString& path : libraries) {
        boost::dll::shared_library library(path.toStdString(), boost::dll::load_mode::rtld_now |
                                                                  boost::dll::load_mode::rtld_local);
        auto entry = library.get<const slt_plugin_entry*()>(SLT_PLUGIN_ENTRY_SYMBOL);
        if (entry() == nullptr)
            std::fprintf(stderr, "slt-bench: %s returned no entry\n", qPrintable(path));
        loaded.push_back(std::move(library));
    }
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int runPlugins(const QStringList& args)
{
    const int runs = static_cast<int>(std::max<qint64>(1, intOption(args, "--runs", 25)));
    const Selection selection = lightBundledPlugins();
    if (selection.folders.isEmpty()) {
        std::fprintf(stderr, "slt-bench plugins: no bundled plugins next to %s\n",
                     qPrintable(QCoreApplication::applicationDirPath()));
        return 1;
    }
    QTemporaryDir search, state;
    if (!search.isValid() || !state.isValid() || !linkFolders(selection.folders, search.path())) {
        std::fprintf(stderr, "slt-bench plugins: cannot prepare a temporary search folder\n");
        return 1;
    }

    std::vector<double> managed, raw;
    int active = 0;
    for (int i = 0; i < runs; ++i) {
        managed.push_back(timeManagerRun(search.path(), state.path(), &active));
        raw.push_back(timeRawLoad(selection.libraries));
    }
    QJsonObject extra{{"plugins", selection.folders.size()}, {"active", active}, {"runs", runs}};
    print({"plugins", "discover_load_median", median(managed), "ms", median(raw), extra});
    print({"plugins", "discover_load_first", managed.front(), "ms", raw.front(), extra});
    return active == selection.folders.size() ? 0 : 1;
}

} // namespace slt::bench
