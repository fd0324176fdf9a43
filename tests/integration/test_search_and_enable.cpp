// Search path from SLT_PLUGIN_PATH, and the disabled state (the user's choice, taking effect at the
// next start), with the good and duplicate-id fixtures.
#include "catch_qt.hpp"
#include "fixture_checks.hpp"

#include <QDir>
#include <QJsonObject>

using namespace slt::test;
using slt::core::PluginManager;
using slt::core::PluginState;

namespace {

const QString goodId = QStringLiteral("org.slt.test.good");

QString goodFolder()
{
    return pluginDir(QStringLiteral("good"), QStringLiteral("fx_good"));
}

QStringList pluginCommand(const QString& command, const QString& id)
{
    return {QStringLiteral("--plugin-path"), scenarioDir(QStringLiteral("good")), QStringLiteral("plugins"), command, id};
}

} // namespace

TEST_CASE("fixture SLT_PLUGIN_PATH: its folders are searched in order, first wins", "[fixture][cli]")
{
    IsolatedHome home;
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("SLT_PLUGIN_PATH"),
                       scenarioDirs({QStringLiteral("dup_second"), QStringLiteral("dup_first")}).join(QDir::listSeparator()));
    const CliRun run = runCli({QStringLiteral("plugins"), QStringLiteral("list"), QStringLiteral("--json")}, home, environment);
    INFO(run.describe().toStdString());
    REQUIRE(run.exitStatus == QProcess::NormalExit);
    QString parseError;
    const auto listing = parseListing(run.out, &parseError);
    REQUIRE(listing.has_value());
    const QJsonObject second = findByFolder(*listing, pluginDir(QStringLiteral("dup_second"), QStringLiteral("fx_dup_second")));
    const QJsonObject first = findByFolder(*listing, pluginDir(QStringLiteral("dup_first"), QStringLiteral("fx_dup_first")));
    CHECK(second.value(QStringLiteral("state")).toString() == QStringLiteral("active"));
    CHECK(first.value(QStringLiteral("state")).toString() == QStringLiteral("shadowed"));
}

TEST_CASE("fixture disabled via slt-cli: disable takes effect at the next start, enable undoes it", "[fixture][cli]")
{
    IsolatedHome home;
    const CliRun disable = runCli(pluginCommand(QStringLiteral("disable"), goodId), home);
    INFO(disable.describe().toStdString());
    REQUIRE(disable.exitStatus == QProcess::NormalExit);
    REQUIRE(disable.exitCode == 0);

    const QJsonObject disabled = findByFolder(requireListing({scenarioDir(QStringLiteral("good"))}, home), goodFolder());
    CHECK(disabled.value(QStringLiteral("state")).toString() == QStringLiteral("disabled"));
    CHECK(disabled.value(QStringLiteral("enabled")).toBool(true) == false);

    const CliRun enable = runCli(pluginCommand(QStringLiteral("enable"), goodId), home);
    INFO(enable.describe().toStdString());
    REQUIRE(enable.exitCode == 0);
    const QJsonObject enabled = findByFolder(requireListing({scenarioDir(QStringLiteral("good"))}, home), goodFolder());
    CHECK(enabled.value(QStringLiteral("state")).toString() == QStringLiteral("active"));
    CHECK(enabled.value(QStringLiteral("enabled")).toBool(false) == true);
}

TEST_CASE("fixture disabled in process: setEnabled(false) is remembered by the next manager", "[fixture]")
{
    IsolatedHome home;
    const auto options = optionsFor({scenarioDir(QStringLiteral("good"))}, home);
    {
        PluginManager first(options);
        first.discover();
        first.setEnabled(goodId, false);
        // Takes effect at the next start: this run keeps the plugin active.
        REQUIRE(first.find(goodId) != nullptr);
        CHECK(first.find(goodId)->state == PluginState::Active);
    }
    PluginManager second(options);
    second.discover();
    const auto* record = findRecord(second, goodFolder());
    REQUIRE(record != nullptr);
    CHECK(record->state == PluginState::Disabled);
    CHECK_FALSE(record->enabled);
    CHECK(record->entry == nullptr);
}

TEST_CASE("fixture init_crash: enable lifts the quarantine, the probe quarantines it again", "[fixture][cli][crash]")
{
    IsolatedHome home;
    const QStringList search = {scenarioDir(QStringLiteral("init_crash"))};
    const QString folder = pluginDir(QStringLiteral("init_crash"), QStringLiteral("fx_init_crash"));
    CHECK(findByFolder(requireListing(search, home), folder).value(QStringLiteral("state")).toString() ==
          QStringLiteral("quarantined"));
    const CliRun enable = runCli({QStringLiteral("--plugin-path"), search.first(), QStringLiteral("plugins"),
                                  QStringLiteral("enable"), QStringLiteral("org.slt.test.init_crash")},
                                 home);
    INFO(enable.describe().toStdString());
    REQUIRE(enable.exitStatus == QProcess::NormalExit);
    CHECK(enable.exitCode == 0);
    int exitCode = -1;
    const QJsonObject again = findByFolder(requireListing(search, home, &exitCode), folder);
    CHECK(exitCode == 0);
    CHECK(again.value(QStringLiteral("state")).toString() == QStringLiteral("quarantined"));
    CHECK(containsPattern(again.value(QStringLiteral("message")).toString(), QStringLiteral("crash")));
}
