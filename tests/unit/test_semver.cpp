#include <catch2/catch.hpp>

#include <slt/core/semver.hpp>

using slt::core::compareVersions;
using slt::core::parseSemVer;

TEST_CASE("semver: parsing accepts MAJOR.MINOR.PATCH with pre-release and build", "[semver]")
{
    const auto plain = parseSemVer(QStringLiteral("1.22.333"));
    REQUIRE(plain.has_value());
    CHECK(plain->major == 1);
    CHECK(plain->minor == 22);
    CHECK(plain->patch == 333);
    CHECK(plain->prerelease.isEmpty());

    const auto pre = parseSemVer(QStringLiteral("2.0.0-rc.1+build.7"));
    REQUIRE(pre.has_value());
    CHECK(pre->prerelease == QStringList{QStringLiteral("rc"), QStringLiteral("1")});

    for (const char* bad : {"1.0", "1", "", "v1.0.0", "1.0.0.0", "01.0.0", "1.0.0-", "a.b.c", "1.0.0 "})
        CHECK_FALSE(parseSemVer(QString::fromLatin1(bad)).has_value());
}

TEST_CASE("semver: ordering follows semver precedence", "[semver]")
{
    CHECK(compareVersions(QStringLiteral("1.0.0"), QStringLiteral("1.0.0")) == 0);
    CHECK(compareVersions(QStringLiteral("1.0.0"), QStringLiteral("1.0.1")) < 0);
    CHECK(compareVersions(QStringLiteral("1.10.0"), QStringLiteral("1.9.9")) > 0);
    CHECK(compareVersions(QStringLiteral("2.0.0"), QStringLiteral("10.0.0")) < 0);
    CHECK(compareVersions(QStringLiteral("1.0.0-alpha"), QStringLiteral("1.0.0")) < 0);
    CHECK(compareVersions(QStringLiteral("1.0.0-alpha"), QStringLiteral("1.0.0-alpha.1")) < 0);
    CHECK(compareVersions(QStringLiteral("1.0.0-alpha.1"), QStringLiteral("1.0.0-alpha.beta")) < 0);
    CHECK(compareVersions(QStringLiteral("1.0.0-beta.2"), QStringLiteral("1.0.0-beta.11")) < 0);
    CHECK(compareVersions(QStringLiteral("1.0.0-rc.1"), QStringLiteral("1.0.0")) < 0);
    CHECK(compareVersions(QStringLiteral("1.0.0+build.1"), QStringLiteral("1.0.0")) == 0);
    CHECK(compareVersions(QStringLiteral("garbage"), QStringLiteral("0.0.1")) < 0);
}
