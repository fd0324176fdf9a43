#include "fixture_checks.hpp"

#include "catch_qt.hpp"

#include <QJsonObject>

namespace slt::test {

using slt::core::PluginManager;
using slt::core::PluginRecord;

slt::core::PluginManagerOptions optionsFor(const QStringList& searchFolders, const IsolatedHome& home)
{
    slt::core::PluginManagerOptions options;
    options.searchPath = searchFolders;
    options.stateDirectory = home.stateDirectory();
    options.hostName = QStringLiteral("slt-fixture-tests");
    return options;
}

const PluginRecord* findRecord(const PluginManager& manager, const QString& pluginFolder)
{
    for (const PluginRecord& record : manager.plugins())
        if (namesPluginFolder(record.directory, pluginFolder))
            return &record;
    return nullptr;
}

namespace {

QString listedFolders(const PluginManager& manager)
{
    QString folders;
    for (const PluginRecord& record : manager.plugins())
        folders += record.directory + QStringLiteral(" (") + QLatin1String(slt::core::stateName(record.state)) +
                   QStringLiteral(")\n");
    return folders;
}

void checkMessage(const QString& message, const QStringList& patterns)
{
    INFO("message: " << message.toStdString());
    for (const QString& pattern : patterns) {
        INFO("pattern: " << pattern.toStdString());
        CHECK(containsPattern(message, pattern));
    }
}

} // namespace

void checkRecord(const PluginManager& manager, const FixtureExpectation& expected)
{
    const PluginRecord* record = findRecord(manager, pluginDir(expected.scenario, expected.plugin));
    if (!record)
        FAIL("no record for fixture " << expected.name.toStdString() << "; records:\n"
                                      << listedFolders(manager).toStdString());
    INFO("fixture " << expected.name.toStdString());
    CHECK(QString::fromLatin1(slt::core::stateName(record->state)) == expected.state);
    if (!expected.id.isEmpty())
        CHECK(record->manifest.id == expected.id);
    checkMessage(record->message, expected.messagePatterns);
    // Only an active plugin may hand out its entry; a failed one must not be half-usable.
    CHECK((record->entry != nullptr) == (expected.state == QStringLiteral("active")));
}

void checkListedRecord(const QJsonArray& listing, const FixtureExpectation& expected)
{
    const QString folder = pluginDir(expected.scenario, expected.plugin);
    const QJsonObject record = findByFolder(listing, folder);
    INFO("fixture " << expected.name.toStdString() << " in " << folder.toStdString());
    REQUIRE_FALSE(record.isEmpty());
    const QString message = record.value(QStringLiteral("message")).toString();
    CHECK(record.value(QStringLiteral("state")).toString() == expected.state);
    if (!expected.id.isEmpty())
        CHECK(record.value(QStringLiteral("id")).toString() == expected.id);
    checkMessage(message, expected.messagePatterns);
}

QJsonArray requireListing(const QStringList& searchFolders, const IsolatedHome& home, int* exitCode)
{
    const CliRun run = runCli(listArgs(searchFolders), home);
    INFO(run.describe().toStdString());
    REQUIRE(run.started);
    REQUIRE(run.exitStatus == QProcess::NormalExit);
    if (exitCode)
        *exitCode = run.exitCode;
    QString parseError;
    const auto listing = parseListing(run.out, &parseError);
    INFO(parseError.toStdString());
    REQUIRE(listing.has_value());
    return *listing;
}

} // namespace slt::test
