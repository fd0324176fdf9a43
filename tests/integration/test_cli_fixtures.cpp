// slt-cli against all fixtures at once (the host survives every one of them in a single process) and
// `slt-cli plugins validate DIR` on single fixtures.
#include "catch_qt.hpp"
#include "fixture_checks.hpp"

#include <QJsonObject>

using namespace slt::test;

TEST_CASE("fixture all via slt-cli: exits 0 and every fixture has its state", "[fixture][cli]")
{
    IsolatedHome home;
    int exitCode = -1;
    const QJsonArray listing = requireListing(scenarioDirs(allScenarios()), home, &exitCode);
    CHECK(exitCode == 0);
    for (const FixtureExpectation& expected : allExpectations())
        checkListedRecord(listing, expected);
    // init_crash (run through the probe) is quarantined, not fatal.
    const QJsonObject crashed =
        findByFolder(listing, pluginDir(QStringLiteral("init_crash"), QStringLiteral("fx_init_crash")));
    CHECK(crashed.value(QStringLiteral("state")).toString() == QStringLiteral("quarantined"));
    // Every listed record carries the documented fields.
    for (const QJsonValue& value : listing) {
        const QJsonObject record = value.toObject();
        for (const char* key : {"id", "name", "version", "kind", "state", "message", "path", "library", "enabled"}) {
            INFO("record " << record.value(QStringLiteral("path")).toString().toStdString() << " lacks " << key);
            CHECK(record.contains(QLatin1String(key)));
        }
    }
}

namespace {

CliRun validate(const FixtureExpectation& expected, const IsolatedHome& home)
{
    return runCli({QStringLiteral("plugins"), QStringLiteral("validate"), pluginDir(expected.scenario, expected.plugin)},
                  home);
}

void checkValidateRejects(const QString& name)
{
    const FixtureExpectation& expected = expectationFor(name);
    IsolatedHome home;
    const CliRun run = validate(expected, home);
    const QString output = run.out + run.err;
    INFO("validate " << name.toStdString() << ": " << run.describe().toStdString());
    REQUIRE(run.started);
    REQUIRE(run.exitStatus == QProcess::NormalExit);
    CHECK(run.exitCode == 1);
    CHECK(output.contains(expected.state));
    for (const QString& pattern : expected.messagePatterns) {
        INFO("pattern: " << pattern.toStdString());
        CHECK(containsPattern(output, pattern));
    }
}

} // namespace

TEST_CASE("fixture validate: broken fixtures exit 1 with state and message", "[fixture][cli]")
{
    for (const char* name : {"bad_toml", "schema_error", "abi_major", "unresolved", "id_mismatch", "version_mismatch",
                             "init_error",
                             "init_throws", "missing_dep"}) {
        checkValidateRejects(QString::fromLatin1(name));
    }
}

TEST_CASE("fixture validate: a plugin that crashes in init exits 1 and says so", "[fixture][cli][crash]")
{
    IsolatedHome home;
    const CliRun run = runCli({QStringLiteral("plugins"), QStringLiteral("validate"),
                               pluginDir(QStringLiteral("init_crash"), QStringLiteral("fx_init_crash"))},
                              home);
    INFO(run.describe().toStdString());
    REQUIRE(run.started);
    REQUIRE(run.exitStatus == QProcess::NormalExit); // validation runs in a child; slt-cli survives
    CHECK(run.exitCode == 1);
    CHECK(containsPattern(run.out + run.err, QStringLiteral("crash")));
}

TEST_CASE("fixture validate: the good fixture exits 0 and is active", "[fixture][cli]")
{
    IsolatedHome home;
    const CliRun run = validate(expectationFor(QStringLiteral("good")), home);
    INFO(run.describe().toStdString());
    REQUIRE(run.started);
    REQUIRE(run.exitStatus == QProcess::NormalExit);
    CHECK(run.exitCode == 0);
    CHECK((run.out + run.err).contains(QStringLiteral("active")));
}
