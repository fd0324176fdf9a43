// The plugin manager's pipeline up to (not including) a successful load, with manifests and fake
// library files only: search path and shadowing, ABI, dependencies, disabled list, crash-guard quarantine,
// settings. Real libraries (fixtures) are exercised in tests/integration.
#include <catch2/catch.hpp>

#include "test_support.hpp"

#include <slt/core/plugin_manager.hpp>
#include <slt/core/plugin_settings.hpp>

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTemporaryDir>

using namespace slt::core;
using slt::test::writeFile;

namespace {

struct Sandbox {
    QTemporaryDir root;

    QString folder(const QString& name) const { return root.filePath(name); }
    QString state() const { return root.filePath(QStringLiteral("state")); }

    // A plugin folder with a manifest and a library file that is not a real library.
    QString plugin(const QString& searchFolder, const QString& name, const QString& id, const QString& extra = {},
                   const QString& abi = QStringLiteral("1.0"))
    {
        const QString directory = folder(searchFolder) + QLatin1Char('/') + name;
        writeFile(directory + QStringLiteral("/plugin.toml"),
                  QStringLiteral("id = \"%1\"\nname = \"%2\"\nversion = \"1.0.0\"\nkind = \"sampler\"\n"
                                 "library = \"%2.so\"\nsdk_abi = \"%3\"\n%4")
                      .arg(id, name, abi, extra)
                      .toUtf8());
        writeFile(directory + QLatin1Char('/') + name + QStringLiteral(".so"), "not an ELF file");
        return directory;
    }

    PluginManagerOptions options(const QStringList& folders) const
    {
        PluginManagerOptions o;
        for (const QString& f : folders)
            o.searchPath << folder(f);
        o.stateDirectory = state();
        return o;
    }
};

const PluginRecord& recordIn(const PluginManager& manager, const QString& directory)
{
    for (const PluginRecord& record : manager.plugins()) {
        if (record.directory == directory)
            return record;
    }
    FAIL("no record for " << directory.toStdString());
    return manager.plugins().front();
}

} // namespace

TEST_CASE("manager: default search path order", "[manager]")
{
    qputenv("SLT_PLUGIN_PATH", "/opt/one:/opt/two");
    const QStringList path = PluginManager::defaultSearchPath();
    qunsetenv("SLT_PLUGIN_PATH");
    REQUIRE(path.size() >= 4);
    CHECK(path[0] == QStringLiteral("/opt/one"));
    CHECK(path[1] == QStringLiteral("/opt/two"));
    CHECK(path[2] == QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/slt/plugins"));
    CHECK(path.last().endsWith(QStringLiteral("/lib/slt/plugins")));
}

TEST_CASE("manager: the first plugin with an id wins, later ones are shadowed", "[manager]")
{
    Sandbox box;
    const QString first = box.plugin(QStringLiteral("a"), QStringLiteral("dup"), QStringLiteral("org.example.sampler.dup"));
    const QString second = box.plugin(QStringLiteral("b"), QStringLiteral("dup"), QStringLiteral("org.example.sampler.dup"));
    PluginManager manager(box.options({QStringLiteral("a"), QStringLiteral("b")}));
    manager.discover();
    REQUIRE(manager.plugins().size() == 2);
    CHECK(recordIn(manager, first).state == PluginState::LoadFailed); // a fake library
    CHECK(recordIn(manager, first).message.startsWith(QStringLiteral("cannot load the library")));
    CHECK(recordIn(manager, second).state == PluginState::Shadowed);
    CHECK(recordIn(manager, second).message.contains(first));
    CHECK(manager.find(QStringLiteral("org.example.sampler.dup"))->directory == first);
}

TEST_CASE("manager: a folder with its own plugin.toml is one plugin", "[manager]")
{
    Sandbox box;
    const QString directory = box.plugin(QStringLiteral("a"), QStringLiteral("solo"), QStringLiteral("org.example.sampler.solo"));
    PluginManagerOptions options;
    options.searchPath = {directory};
    options.stateDirectory = box.state();
    PluginManager manager(options);
    manager.discover();
    REQUIRE(manager.plugins().size() == 1);
    CHECK(manager.plugins().front().directory == directory);
}

TEST_CASE("manager: invalid manifest, wrong ABI, missing library and dependency failures are states", "[manager]")
{
    Sandbox box;
    const QString invalid = box.folder(QStringLiteral("p/invalid"));
    writeFile(invalid + QStringLiteral("/plugin.toml"), "id = \"org.example.x\"\nname = \n");
    const QString abi = box.plugin(QStringLiteral("p"), QStringLiteral("abi"), QStringLiteral("org.example.sampler.abi"), {},
                                   QStringLiteral("2.0"));
    const QString needy = box.plugin(QStringLiteral("p"), QStringLiteral("needy"), QStringLiteral("org.example.sampler.needy"),
                                     QStringLiteral("[[dependencies]]\nid = \"org.example.sampler.abi\"\n"));
    const QString nolib = box.plugin(QStringLiteral("p"), QStringLiteral("nolib"), QStringLiteral("org.example.sampler.nolib"));
    QFile::remove(nolib + QStringLiteral("/nolib.so"));
    const QString service = box.plugin(QStringLiteral("p"), QStringLiteral("service"), QStringLiteral("org.example.sampler.service"),
                                       QStringLiteral("services = [\"slt.teleport/1\"]\n"));

    PluginManager manager(box.options({QStringLiteral("p")}));
    manager.discover();
    CHECK(recordIn(manager, invalid).state == PluginState::ManifestInvalid);
    CHECK(recordIn(manager, invalid).message.startsWith(invalid + QStringLiteral("/plugin.toml:2:")));
    CHECK(recordIn(manager, abi).state == PluginState::Incompatible);
    CHECK(recordIn(manager, abi).message.contains(QStringLiteral("was built for SDK ABI 2.0")));
    CHECK(recordIn(manager, needy).state == PluginState::DependencyMissing);
    CHECK(recordIn(manager, needy).message.contains(QStringLiteral("it is incompatible")));
    CHECK(recordIn(manager, nolib).state == PluginState::LoadFailed);
    CHECK(recordIn(manager, nolib).message.contains(QStringLiteral("does not exist")));
    CHECK(recordIn(manager, service).state == PluginState::Incompatible);
    CHECK(recordIn(manager, service).message.contains(QStringLiteral("slt.teleport/1")));
    CHECK(manager.find(QStringLiteral("org.example.sampler.abi"))->entry == nullptr);
    CHECK(manager.factory(QStringLiteral("org.example.sampler.abi"), "slt.sampler/1") == nullptr);
}

TEST_CASE("manager: disabled plugins and their dependents", "[manager]")
{
    Sandbox box;
    const QString base = box.plugin(QStringLiteral("p"), QStringLiteral("base"), QStringLiteral("org.example.sampler.base"));
    const QString user = box.plugin(QStringLiteral("p"), QStringLiteral("user"), QStringLiteral("org.example.sampler.user"),
                                    QStringLiteral("[[dependencies]]\nid = \"org.example.sampler.base\"\n"));
    {
        PluginManager manager(box.options({QStringLiteral("p")}));
        manager.setEnabled(QStringLiteral("org.example.sampler.base"), false);
    }
    {
        PluginManager manager(box.options({QStringLiteral("p")}));
        manager.discover();
        CHECK(recordIn(manager, base).state == PluginState::Disabled);
        CHECK_FALSE(recordIn(manager, base).enabled);
        CHECK(recordIn(manager, user).state == PluginState::DependencyMissing);
        CHECK(recordIn(manager, user).message == QStringLiteral("requires 'org.example.sampler.base', which is not available: it is disabled"));
        manager.setEnabled(QStringLiteral("org.example.sampler.base"), true);
    }
    PluginManager manager(box.options({QStringLiteral("p")}));
    manager.discover();
    CHECK(recordIn(manager, base).state == PluginState::LoadFailed);
    CHECK(recordIn(manager, base).enabled);
}

TEST_CASE("manager: a leftover loading mark quarantines the plugin until re-enabled or rebuilt", "[manager]")
{
    Sandbox box;
    const QString directory = box.plugin(QStringLiteral("p"), QStringLiteral("crashy"), QStringLiteral("org.example.sampler.crashy"));
    const QString library = directory + QStringLiteral("/crashy.so");
    const QString mark = box.state() + QStringLiteral("/loading/org.example.sampler.crashy");
    // What a process that died inside load/init leaves behind.
    writeFile(mark, library.toUtf8() + '\n');

    {
        PluginManager manager(box.options({QStringLiteral("p")}));
        manager.discover();
        CHECK(recordIn(manager, directory).state == PluginState::Quarantined);
        CHECK(recordIn(manager, directory).message.contains(QStringLiteral("stopped while loading/initialising it at the last start")));
        CHECK_FALSE(QFile::exists(mark));
    }
    {
        PluginManager manager(box.options({QStringLiteral("p")}));
        manager.discover();
        CHECK(recordIn(manager, directory).state == PluginState::Quarantined); // still: nothing changed
        manager.setEnabled(QStringLiteral("org.example.sampler.crashy"), true);
    }
    {
        PluginManager manager(box.options({QStringLiteral("p")}));
        manager.discover();
        CHECK(recordIn(manager, directory).state == PluginState::LoadFailed); // tried again
        CHECK_FALSE(QFile::exists(mark)); // removed after the (failed) load
    }
    // A new mark, then the library changes: the quarantine is lifted by itself.
    writeFile(mark, library.toUtf8() + '\n');
    {
        PluginManager manager(box.options({QStringLiteral("p")}));
        manager.discover();
        CHECK(recordIn(manager, directory).state == PluginState::Quarantined);
    }
    writeFile(library, "a rebuilt library, still not an ELF file");
    PluginManager manager(box.options({QStringLiteral("p")}));
    manager.discover();
    CHECK(recordIn(manager, directory).state == PluginState::LoadFailed);
}

TEST_CASE("manager: a loading mark of a process that still runs, or of another host, is not a crash", "[manager]")
{
    Sandbox box;
    const QString directory = box.plugin(QStringLiteral("p"), QStringLiteral("crashy"), QStringLiteral("org.example.sampler.crashy"));
    const QString library = directory + QStringLiteral("/crashy.so");
    // Another process of this host loading the plugin right now (a second slt-cli, an array job on a shared
    // home): its mark must not quarantine the plugin for everybody.
    QProcess other;
    other.start(QStringLiteral("sleep"), {QStringLiteral("60")});
    REQUIRE(other.waitForStarted());
    const QString host = QSysInfo::machineHostName();
    const QString running = box.state() + QStringLiteral("/loading/org.example.sampler.crashy@%1@%2").arg(host).arg(other.processId());
    const QString elsewhere = box.state() + QStringLiteral("/loading/org.example.sampler.crashy@another-node@1");
    writeFile(running, library.toUtf8() + '\n');
    writeFile(elsewhere, library.toUtf8() + '\n');
    {
        PluginManager manager(box.options({QStringLiteral("p")}));
        manager.discover();
        CHECK(recordIn(manager, directory).state == PluginState::LoadFailed); // loaded (and failed), not quarantined
        CHECK(QFile::exists(running));
        CHECK(QFile::exists(elsewhere));
    }
    // The other process dies while loading: now its mark is a crash.
    other.kill();
    REQUIRE(other.waitForFinished());
    PluginManager manager(box.options({QStringLiteral("p")}));
    manager.discover();
    CHECK(recordIn(manager, directory).state == PluginState::Quarantined);
    CHECK_FALSE(QFile::exists(running));
    CHECK(QFile::exists(elsewhere)); // that host judges its own marks
}

TEST_CASE("manager: discoverSingle keeps the plugin and what it needs", "[manager]")
{
    Sandbox box;
    box.plugin(QStringLiteral("p"), QStringLiteral("base"), QStringLiteral("org.example.sampler.base"));
    box.plugin(QStringLiteral("p"), QStringLiteral("other"), QStringLiteral("org.example.sampler.other"));
    const QString target = box.plugin(QStringLiteral("q"), QStringLiteral("user"), QStringLiteral("org.example.sampler.user"),
                                      QStringLiteral("[[dependencies]]\nid = \"org.example.sampler.base\"\n"));
    PluginManager manager(box.options({QStringLiteral("p")}));
    manager.discoverSingle(target);
    REQUIRE(manager.plugins().size() == 2);
    CHECK(manager.plugins()[0].directory == target);
    CHECK(manager.plugins()[1].manifest.id == QStringLiteral("org.example.sampler.base"));
}

TEST_CASE("manager: settings are validated against the manifest schema", "[manager]")
{
    Sandbox box;
    box.plugin(QStringLiteral("p"), QStringLiteral("tuned"), QStringLiteral("org.example.sampler.tuned"),
               QStringLiteral("[[settings]]\nkey = \"depth\"\nlabel = \"Depth\"\ntype = \"int\"\ndefault = 2\nmin = 1\nmax = 8\n"));
    PluginManager manager(box.options({QStringLiteral("p")}));
    manager.discover();
    const QString id = QStringLiteral("org.example.sampler.tuned");
    CHECK(manager.settings(id).value(QStringLiteral("depth")) == QVariant(qlonglong(2)));
    CHECK(manager.setSetting(id, QStringLiteral("depth"), 9) == QStringLiteral("'depth' must be at most 8, got 9"));
    CHECK(manager.setSetting(id, QStringLiteral("nope"), 1).contains(QStringLiteral("has no setting 'nope'")));
    CHECK(manager.setSetting(QStringLiteral("org.example.none"), QStringLiteral("depth"), 1).contains(QStringLiteral("no plugin")));
    CHECK(manager.setSetting(id, QStringLiteral("depth"), 5).isEmpty());
    CHECK(manager.settings(id).value(QStringLiteral("depth")) == QVariant(qlonglong(5)));
    CHECK(openUserSettings()->value(settingStoreKey(id, QStringLiteral("depth"))).toInt() == 5);
}

TEST_CASE("manager: state names", "[manager]")
{
    CHECK(QString::fromLatin1(stateName(PluginState::Active)) == QStringLiteral("active"));
    CHECK(QString::fromLatin1(stateName(PluginState::ManifestInvalid)) == QStringLiteral("manifest-invalid"));
    CHECK(QString::fromLatin1(stateName(PluginState::DependencyMissing)) == QStringLiteral("dependency-missing"));
    CHECK(QString::fromLatin1(stateName(PluginState::Quarantined)) == QStringLiteral("quarantined"));
    CHECK(describeSignal(11) == QStringLiteral("signal 11 (Segmentation fault)"));
}
