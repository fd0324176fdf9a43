// Compatibility rules between a plugin's manifest and this host: SDK ABI range and host services.
// Pure functions, so the rules are unit-testable without loading anything.
#pragma once

#include "slt/core/plugin_manifest.hpp"

#include <QString>
#include <QStringList>

namespace slt::core {

// The ABI range a host accepts: major must be equal, minor within [minMinor, maxMinor].
struct AbiRange {
    int major = 1;
    int minMinor = 0;
    int maxMinor = 0;
};

// The range of this build (from slt/sdk/abi.h).
AbiRange hostAbiRange();

// True when a plugin built for `major.minor` may be loaded by a host accepting `range`.
bool isAbiCompatible(int major, int minor, const AbiRange& range);

// Empty when compatible; otherwise a message naming the plugin, what it was built for, what the host
// supports and what to do, e.g. "'X' 1.2.0 was built for SDK ABI 2.0; this application supports
// 1.0–1.0: rebuild it against SDK 1.x".
QString abiIncompatibility(const PluginManifest& manifest, const AbiRange& range);

// The host services this host offers ("slt.log/1", "slt.settings/1", "slt.paths/1").
QStringList hostServiceIds();

// Empty when every service the manifest requires is offered; otherwise a message naming the missing ones.
QString missingServices(const PluginManifest& manifest, const QStringList& offered);

} // namespace slt::core
