#include "slt/core/semver.hpp"

#include <QRegularExpression>

namespace slt::core {

std::optional<SemVer> parseSemVer(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral(
        R"(^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$)"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    SemVer version;
    version.major = match.captured(1).toInt();
    version.minor = match.captured(2).toInt();
    version.patch = match.captured(3).toInt();
    if (match.capturedLength(4) > 0)
        version.prerelease = match.captured(4).split(QLatin1Char('.'));
    return version;
}

namespace {

// Pre-release identifiers: numeric ones compare numerically and sort before alphanumeric ones.
int compareIdentifier(const QString& a, const QString& b)
{
    bool aNumeric = false;
    bool bNumeric = false;
    const qulonglong aValue = a.toULongLong(&aNumeric);
    const qulonglong bValue = b.toULongLong(&bNumeric);
    if (aNumeric && bNumeric)
        return aValue < bValue ? -1 : (aValue > bValue ? 1 : 0);
    if (aNumeric != bNumeric)
        return aNumeric ? -1 : 1;
    return QString::compare(a, b, Qt::CaseSensitive) < 0 ? -1 : (a == b ? 0 : 1);
}

int compareNumber(int a, int b) { return a < b ? -1 : (a > b ? 1 : 0); }

} // namespace

int compareSemVer(const SemVer& a, const SemVer& b)
{
    if (int c = compareNumber(a.major, b.major))
        return c;
    if (int c = compareNumber(a.minor, b.minor))
        return c;
    if (int c = compareNumber(a.patch, b.patch))
        return c;
    if (a.prerelease.isEmpty() || b.prerelease.isEmpty())
        return compareNumber(a.prerelease.isEmpty() ? 1 : 0, b.prerelease.isEmpty() ? 1 : 0);
    const int common = static_cast<int>(std::min(a.prerelease.size(), b.prerelease.size()));
    for (int i = 0; i < common; ++i) {
        if (int c = compareIdentifier(a.prerelease[i], b.prerelease[i]))
            return c;
    }
    return compareNumber(static_cast<int>(a.prerelease.size()), static_cast<int>(b.prerelease.size()));
}

int compareVersions(const QString& a, const QString& b)
{
    const auto va = parseSemVer(a);
    const auto vb = parseSemVer(b);
    if (!va || !vb)
        return compareNumber(va ? 1 : 0, vb ? 1 : 0);
    return compareSemVer(*va, *vb);
}

} // namespace slt::core
