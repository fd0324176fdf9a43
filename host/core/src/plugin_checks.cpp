#include "slt/core/plugin_checks.hpp"

#include "slt/core/version.hpp"

#include <slt/sdk/host.h>

namespace slt::core {

AbiRange hostAbiRange()
{
    return AbiRange{kAbiMajor, kAbiMinMinor, kAbiMaxMinor};
}

bool isAbiCompatible(int major, int minor, const AbiRange& range)
{
    return major == range.major && minor >= range.minMinor && minor <= range.maxMinor;
}

QString abiIncompatibility(const PluginManifest& manifest, const AbiRange& range)
{
    if (isAbiCompatible(manifest.sdkAbiMajor, manifest.sdkAbiMinor, range))
        return {};
    const QString supported = QStringLiteral("%1.%2–%1.%3").arg(range.major).arg(range.minMinor).arg(range.maxMinor);
    QString advice;
    if (manifest.sdkAbiMajor != range.major)
        advice = QStringLiteral("rebuild it against SDK %1.x").arg(range.major);
    else
        advice = QStringLiteral("rebuild it against SDK %1.%2 or update this application")
                     .arg(range.major)
                     .arg(range.maxMinor);
    return QStringLiteral("'%1' %2 was built for SDK ABI %3.%4; this application supports %5: %6")
        .arg(manifest.id, manifest.version)
        .arg(manifest.sdkAbiMajor)
        .arg(manifest.sdkAbiMinor)
        .arg(supported, advice);
}

QStringList hostServiceIds()
{
    return {QStringLiteral(SLT_SERVICE_LOG), QStringLiteral(SLT_SERVICE_SETTINGS),
            QStringLiteral(SLT_SERVICE_PATHS)};
}

QString missingServices(const PluginManifest& manifest, const QStringList& offered)
{
    QStringList missing;
    for (const QString& service : manifest.requiredServices) {
        if (!offered.contains(service))
            missing << service;
    }
    if (missing.isEmpty())
        return {};
    return QStringLiteral("'%1' requires host service%2 %3, which this application does not offer "
                          "(it offers %4): update the application or use a build of the plugin for it")
        .arg(manifest.id, missing.size() > 1 ? QStringLiteral("s") : QString(),
             missing.join(QStringLiteral(", ")), offered.join(QStringLiteral(", ")));
}

} // namespace slt::core
