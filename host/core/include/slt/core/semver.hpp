// Semantic versions ("MAJOR.MINOR.PATCH[-prerelease][+build]") as used in plugin.toml.
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace slt::core {

struct SemVer {
    int major = 0;
    int minor = 0;
    int patch = 0;
    QStringList prerelease; // dot-separated identifiers after '-'; empty for a release
};

// Parses "1.2.3", "1.2.3-rc.1", "1.2.3+build.5" (build metadata is ignored). nullopt when malformed.
std::optional<SemVer> parseSemVer(const QString& text);

// <0, 0, >0 like strcmp, by semver precedence (a pre-release sorts before its release).
int compareSemVer(const SemVer& a, const SemVer& b);

// Compares two version strings; malformed strings sort before well-formed ones.
int compareVersions(const QString& a, const QString& b);

} // namespace slt::core
