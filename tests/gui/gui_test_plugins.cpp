#include "gui_test_plugins.hpp"

#include <slt/core/plugin_manifest.hpp>

#include <QDir>
#include <QFile>

namespace slt::test {
namespace {

const char* const brokenToml = R"(id = "org.slt.guitest.broken_toml"
name = = "Not TOML"
)";

const char* const futureAbi = R"(id = "org.slt.guitest.future_abi"
name = "Future ABI sampler"
version = "1.0.0"
kind = "sampler"
library = "future_abi.so"
sdk_abi = "2.0"
)";

const char* const needsDependency = R"(id = "org.slt.guitest.needs_dependency"
name = "Needs a metric"
version = "1.0.0"
kind = "sampler"
library = "needs_dependency.so"
sdk_abi = "1.0"
[[dependencies]]
id = "org.slt.guitest.absent"
version = ">=2.1.0"
)";

// Every setting type once; the library does not exist, so the plugin ends in load-failed, which
// must not stop the user from seeing and changing its settings.
const char* const settingsDemo = R"(id = "org.slt.guitest.settings_demo"
name = "Settings demo"
version = "0.3.1"
kind = "exporter"
library = "settings_demo.so"
sdk_abi = "1.0"
description = "Declares one setting of every type."
license = "BSD-3-Clause"
[[settings]]
key = "verbose"
label = "Verbose"
type = "bool"
default = true
[[settings]]
key = "batch_size"
label = "Batch size"
type = "int"
default = 64
min = 1
max = 4096
description = "Points per batch."
[[settings]]
key = "threshold"
label = "Threshold"
type = "float"
default = 0.25
min = 0.0
max = 1.0
[[settings]]
key = "annotator"
label = "Annotator"
type = "string"
default = "anonymous"
[[settings]]
key = "format"
label = "Format"
type = "choice"
default = "csv"
choices = ["csv", "json", "geojson"]
[[settings]]
key = "output"
label = "Output file"
type = "path"
default = "labels.csv"
)";

} // namespace

GuiTestPlugins::GuiTestPlugins()
{
    writeManifest(QStringLiteral("first/broken_toml"), QString::fromUtf8(brokenToml));
    writeManifest(QStringLiteral("first/future_abi"), QString::fromUtf8(futureAbi));
    writeManifest(QStringLiteral("first/needs_dependency"), QString::fromUtf8(needsDependency));
    writeManifest(QStringLiteral("first/settings_demo"), QString::fromUtf8(settingsDemo));
    writeManifest(QStringLiteral("second/settings_demo"), QString::fromUtf8(settingsDemo));
}

void GuiTestPlugins::writeManifest(const QString& folder, const QString& text)
{
    QDir(m_root.path()).mkpath(folder);
    QFile file(m_root.filePath(folder + QStringLiteral("/plugin.toml")));
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(text.toUtf8());
}

QStringList GuiTestPlugins::searchPath() const
{
    QStringList path{m_root.filePath(QStringLiteral("first")), m_root.filePath(QStringLiteral("second"))};
#ifdef SLT_TEST_BUNDLED_PLUGIN_DIR
    path << QStringLiteral(SLT_TEST_BUNDLED_PLUGIN_DIR);
#endif
#ifdef SLT_TEST_INIT_ERROR_FIXTURE_DIR
    path << QStringLiteral(SLT_TEST_INIT_ERROR_FIXTURE_DIR);
#endif
    return path;
}

core::PluginManagerOptions GuiTestPlugins::options() const
{
    core::PluginManagerOptions options;
    options.searchPath = searchPath();
    options.stateDirectory = stateDirectory();
    return options;
}

bool GuiTestPlugins::hasRandomSampler()
{
#ifdef SLT_TEST_BUNDLED_PLUGIN_DIR
    return true;
#else
    return false;
#endif
}

bool GuiTestPlugins::hasInitErrorFixture()
{
#ifdef SLT_TEST_INIT_ERROR_FIXTURE_DIR
    return true;
#else
    return false;
#endif
}

QString GuiTestPlugins::initErrorFixtureId()
{
#ifdef SLT_TEST_INIT_ERROR_FIXTURE_MANIFEST
    const core::ManifestResult result = core::readManifest(QStringLiteral(SLT_TEST_INIT_ERROR_FIXTURE_MANIFEST));
    return result.manifest ? result.manifest->id : QString();
#else
    return {};
#endif
}

} // namespace slt::test
