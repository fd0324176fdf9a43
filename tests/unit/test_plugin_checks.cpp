#include <catch2/catch.hpp>

#include <slt/core/plugin_checks.hpp>
#include <slt/core/version.hpp>

using namespace slt::core;

namespace {

PluginManifest manifestFor(int major, int minor)
{
    PluginManifest m;
    m.id = QStringLiteral("org.example.sampler.x");
    m.version = QStringLiteral("1.2.0");
    m.sdkAbiMajor = major;
    m.sdkAbiMinor = minor;
    return m;
}

} // namespace

TEST_CASE("abi: major must be equal, minor not newer than the host's", "[abi]")
{
    const AbiRange range{1, 0, 3};
    CHECK(isAbiCompatible(1, 0, range));
    CHECK(isAbiCompatible(1, 3, range));
    CHECK_FALSE(isAbiCompatible(1, 4, range));
    CHECK_FALSE(isAbiCompatible(2, 0, range));
    CHECK_FALSE(isAbiCompatible(0, 9, range));
}

TEST_CASE("abi: this build accepts its own ABI", "[abi]")
{
    const AbiRange range = hostAbiRange();
    CHECK(range.major == SLT_ABI_MAJOR);
    CHECK(range.maxMinor == SLT_ABI_MINOR);
    CHECK(isAbiCompatible(SLT_ABI_MAJOR, SLT_ABI_MINOR, range));
    CHECK(abiIncompatibility(manifestFor(SLT_ABI_MAJOR, SLT_ABI_MINOR), range).isEmpty());
}

TEST_CASE("abi: the message names the plugin, its ABI, the host's range and the fix", "[abi]")
{
    const AbiRange range{1, 0, 3};
    CHECK(abiIncompatibility(manifestFor(2, 0), range)
          == QStringLiteral("'org.example.sampler.x' 1.2.0 was built for SDK ABI 2.0; this application supports "
                            "1.0–1.3: rebuild it against SDK 1.x"));
    const QString newer = abiIncompatibility(manifestFor(1, 4), range);
    CHECK(newer.contains(QStringLiteral("SDK ABI 1.4")));
    CHECK(newer.contains(QStringLiteral("1.0–1.3")));
    CHECK(newer.contains(QStringLiteral("update this application")));
}

TEST_CASE("services: a required service the host lacks is named", "[abi]")
{
    PluginManifest m = manifestFor(1, 0);
    m.requiredServices = {QStringLiteral("slt.log/1"), QStringLiteral("slt.gpu/1")};
    CHECK(missingServices(m, hostServiceIds()).contains(QStringLiteral("slt.gpu/1")));
    CHECK(missingServices(m, hostServiceIds())
              .startsWith(QStringLiteral("'org.example.sampler.x' requires host service slt.gpu/1, which this application does not offer")));
    m.requiredServices = {QStringLiteral("slt.log/1"), QStringLiteral("slt.settings/1"), QStringLiteral("slt.paths/1")};
    CHECK(missingServices(m, hostServiceIds()).isEmpty());
}
