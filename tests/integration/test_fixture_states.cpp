// Each fixture plugin reaches its named state with a message a person can act on, both in process
// (slt::core::PluginManager) and through `slt-cli plugins list --json`. init_crash is covered by
// test_crash_guard.cpp because it takes down any process that initialises it.
#include "catch_qt.hpp"
#include "fixture_checks.hpp"

#include <slt/core/plugin_manager.hpp>
#include <slt/sdk/sampler.h>

using namespace slt::test;
using slt::core::PluginManager;
using slt::core::PluginRecord;

namespace {

void checkInProcess(const FixtureExpectation& expected)
{
    IsolatedHome home;
    PluginManager manager(optionsFor(scenarioDirs(expected.searchScenarios), home));
    manager.discover();
    checkRecord(manager, expected);
}

void checkThroughCli(const FixtureExpectation& expected)
{
    IsolatedHome home;
    checkListedRecord(requireListing(scenarioDirs(expected.searchScenarios), home), expected);
}

void checkFixture(const QString& name)
{
    const FixtureExpectation& expected = expectationFor(name);
    // Section names carry the fixture's name: a test case may check several fixtures, and Catch
    // tells sections apart by name.
    SECTION(name.toStdString() + " in process") { checkInProcess(expected); }
    SECTION(name.toStdString() + " via slt-cli plugins list --json") { checkThroughCli(expected); }
}

} // namespace

TEST_CASE("fixture good: active, and its sampler works", "[fixture]")
{
    checkFixture(QStringLiteral("good"));

    SECTION("in process: the sampler factory picks the first unlabelled points")
    {
        IsolatedHome home;
        PluginManager manager(optionsFor({scenarioDir(QStringLiteral("good"))}, home));
        manager.discover();
        const auto* factory = static_cast<const slt_sampler_factory*>(
            manager.factory(QStringLiteral("org.slt.test.good"), SLT_SAMPLER_FACTORY_ID));
        REQUIRE(factory != nullptr);
        const slt_host* host = manager.host(QStringLiteral("org.slt.test.good"));
        REQUIRE(host != nullptr);
        slt_sampler* sampler = nullptr;
        char message[256] = {0};
        slt_error error{message, sizeof message};
        REQUIRE(factory->create(host, &sampler, &error) == SLT_OK);
        const uint8_t labelled[5] = {1, 0, 1, 0, 0};
        const int64_t chosen[1] = {3};
        slt_sampler_input input{sizeof(slt_sampler_input), 5, nullptr, nullptr, labelled, chosen, 1, 42};
        int64_t picked[3] = {-1, -1, -1};
        int64_t count = 0;
        CHECK(factory->select(sampler, &input, 3, picked, &count, nullptr, &error) == SLT_OK);
        factory->destroy(sampler);
        REQUIRE(count == 2);
        CHECK(picked[0] == 1);
        CHECK(picked[1] == 4);
    }
}

TEST_CASE("fixture bad_toml: manifest-invalid with the file:line:column of the TOML error", "[fixture]")
{
    checkFixture(QStringLiteral("bad_toml"));
}

TEST_CASE("fixture schema_error: manifest-invalid naming the line and the bad kind", "[fixture]")
{
    checkFixture(QStringLiteral("schema_error"));
}

TEST_CASE("fixture missing_id: manifest-invalid saying id is required", "[fixture]")
{
    checkFixture(QStringLiteral("missing_id"));
}

TEST_CASE("fixture abi_major: incompatible, built for SDK ABI 2.0", "[fixture]")
{
    checkFixture(QStringLiteral("abi_major"));
}

TEST_CASE("fixture abi_minor: incompatible, built for SDK ABI 1.99", "[fixture]")
{
    checkFixture(QStringLiteral("abi_minor"));
}

TEST_CASE("fixture no_entry: load-failed naming the missing entry symbol", "[fixture]")
{
    checkFixture(QStringLiteral("no_entry"));
}

TEST_CASE("fixture unresolved: load-failed with dlerror naming the undefined symbol", "[fixture]")
{
    checkFixture(QStringLiteral("unresolved"));
}

TEST_CASE("fixture id_mismatch: incompatible naming both ids", "[fixture]")
{
    checkFixture(QStringLiteral("id_mismatch"));
}

TEST_CASE("fixture version_mismatch: incompatible naming both versions", "[fixture]")
{
    checkFixture(QStringLiteral("version_mismatch"));
}

TEST_CASE("fixture init_error: init-failed with the plugin's own message", "[fixture]")
{
    checkFixture(QStringLiteral("init_error"));
}

TEST_CASE("fixture init_throws: init-failed with the exception's text, host survives", "[fixture]")
{
    checkFixture(QStringLiteral("init_throws"));
}

TEST_CASE("fixture missing_dep: dependency-missing naming the absent id", "[fixture]")
{
    checkFixture(QStringLiteral("missing_dep"));
}

TEST_CASE("fixture dep_too_old: dependency-missing naming the wanted and the found version", "[fixture]")
{
    checkFixture(QStringLiteral("dep_too_old"));
}

TEST_CASE("fixture dep_ok: active when its dependency is active", "[fixture]")
{
    checkFixture(QStringLiteral("dep_ok"));
}

TEST_CASE("fixture cycle: both halves dependency-missing naming the cycle", "[fixture]")
{
    checkFixture(QStringLiteral("cycle_a"));
    checkFixture(QStringLiteral("cycle_b"));
}

TEST_CASE("fixture duplicate id: the first folder wins, the later one is shadowed", "[fixture]")
{
    checkFixture(QStringLiteral("dup_first"));
    checkFixture(QStringLiteral("dup_second"));

    SECTION("in process: reversing the search path reverses the winner, whatever the versions")
    {
        IsolatedHome home;
        PluginManager manager(optionsFor(scenarioDirs({QStringLiteral("dup_second"), QStringLiteral("dup_first")}), home));
        manager.discover();
        const PluginRecord* winner = manager.find(QStringLiteral("org.slt.test.duplicate"));
        REQUIRE(winner != nullptr);
        CHECK(namesPluginFolder(winner->directory, pluginDir(QStringLiteral("dup_second"), QStringLiteral("fx_dup_second"))));
        const PluginRecord* loser = findRecord(manager, pluginDir(QStringLiteral("dup_first"), QStringLiteral("fx_dup_first")));
        REQUIRE(loser != nullptr);
        CHECK(loser->state == slt::core::PluginState::Shadowed);
        CHECK(containsPattern(loser->message, literal(pluginDir(QStringLiteral("dup_second"), QStringLiteral("fx_dup_second")))));
    }
}

TEST_CASE("fixture all (except init_crash) in one process: every one reaches its own state", "[fixture]")
{
    QStringList scenarios = allScenarios();
    scenarios.removeAll(QStringLiteral("init_crash"));
    IsolatedHome home;
    PluginManager manager(optionsFor(scenarioDirs(scenarios), home));
    manager.discover();
    for (const FixtureExpectation& expected : allExpectations())
        checkRecord(manager, expected);
}
