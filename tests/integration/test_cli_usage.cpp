// slt-cli as a script sees it: --help on every command, --version, and exit codes that can be trusted
// (0 success, 1 failure, 2 usage error) with a message on stderr for every bad input.
#include "fixture_support.hpp"

#include "slt/sdk/abi.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QTemporaryDir>

using namespace slt::test;

namespace {

CliRun run(const QStringList& args)
{
    static const IsolatedHome home;
    CliRun result = runCli(args, home);
    REQUIRE(result.started);
    REQUIRE(result.exitStatus == QProcess::NormalExit);
    return result;
}

} // namespace

TEST_CASE("fixture cli: --version prints the application version and the SDK ABI", "[cli]")
{
    const CliRun result = run({"--version"});
    CHECK(result.exitCode == 0);
    CHECK(result.out.startsWith("slt-cli "));
    CHECK(result.out.contains(QStringLiteral("ABI %1.%2").arg(SLT_ABI_MAJOR).arg(SLT_ABI_MINOR)));
}

TEST_CASE("fixture cli: --help works on every command and lists the sub-commands", "[cli]")
{
    const std::vector<std::pair<QStringList, QString>> helps = {
        {{"--help"}, "plugins"},
        {{"plugins", "--help"}, "validate DIR"},
        {{"plugins", "list", "--help"}, "--json"},
        {{"plugins", "info", "--help"}, "ID"},
        {{"plugins", "validate", "--help"}, "DIR"},
        {{"plugins", "enable", "--help"}, "ID"},
        {{"plugins", "disable", "--help"}, "ID"},
    };
    for (const auto& [args, expected] : helps) {
        INFO(args.join(' ').toStdString());
        const CliRun result = run(args);
        CHECK(result.exitCode == 0);
        CHECK(result.out.contains("Usage: slt-cli"));
        CHECK(result.out.contains(expected));
    }
}

TEST_CASE("fixture cli: usage errors exit 2 with a message naming the problem", "[cli]")
{
    const std::vector<std::pair<QStringList, QString>> errors = {
        {{}, "missing command"},
        {{"bogus"}, "unknown command 'bogus'"},
        {{"plugins"}, "missing command"},
        {{"plugins", "bogus"}, "unknown command 'bogus'"},
        {{"plugins", "info"}, "missing argument: expected ID"},
        {{"plugins", "validate"}, "missing argument: expected DIR"},
        {{"plugins", "enable"}, "missing argument: expected ID"},
        {{"plugins", "list", "--bogus"}, "Unknown option 'bogus'"},
        {{"plugins", "list", "extra"}, "extra"},
    };
    for (const auto& [args, expected] : errors) {
        INFO(args.join(' ').toStdString());
        const CliRun result = run(args);
        CHECK(result.exitCode == 2);
        CHECK(result.err.contains(expected));
        CHECK(result.err.contains("--help"));
    }
}

TEST_CASE("fixture cli: failures exit 1 and say what to do", "[cli]")
{
    QTemporaryDir empty;
    const std::vector<std::pair<QStringList, QString>> failures = {
        {{"--plugin-path", empty.path(), "plugins", "info", "no.such.id"}, "no plugin with id 'no.such.id'"},
        {{"--plugin-path", empty.path(), "plugins", "enable", "no.such.id"}, "no plugin with id 'no.such.id'"},
        {{"plugins", "validate", empty.path() + "/missing"}, "is not a folder"},
    };
    for (const auto& [args, expected] : failures) {
        INFO(args.join(' ').toStdString());
        const CliRun result = run(args);
        CHECK(result.exitCode == 1);
        CHECK(result.err.contains(expected));
    }

    // A folder without a manifest: the validation report says why, on stdout, and exits 1.
    const CliRun noManifest = run({"plugins", "validate", empty.path()});
    CHECK(noManifest.exitCode == 1);
    CHECK(noManifest.out.contains("manifest-invalid"));
    CHECK(noManifest.out.contains("plugin.toml:1:1"));
}

TEST_CASE("fixture cli: an empty search path lists nothing and succeeds", "[cli]")
{
    QTemporaryDir empty;
    const CliRun result = run({"--plugin-path", empty.path(), "plugins", "list", "--json"});
    CHECK(result.exitCode == 0);
    QString error;
    const auto listing = parseListing(result.out, &error);
    REQUIRE(listing);
    CHECK(listing->isEmpty());
}
