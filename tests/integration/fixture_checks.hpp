// Catch assertions shared by the fixture tests: one fixture's record, in process or as listed by
// slt-cli, has the expected state and a message matching the expected patterns.
#pragma once

#include "fixture_expectations.hpp"
#include "fixture_support.hpp"

#include <slt/core/plugin_manager.hpp>

#include <QJsonArray>
#include <QStringList>

namespace slt::test {

slt::core::PluginManagerOptions optionsFor(const QStringList& searchFolders, const IsolatedHome& home);

// The record loaded from `pluginFolder`, or null.
const slt::core::PluginRecord* findRecord(const slt::core::PluginManager& manager, const QString& pluginFolder);

void checkRecord(const slt::core::PluginManager& manager, const FixtureExpectation& expected);
void checkListedRecord(const QJsonArray& listing, const FixtureExpectation& expected);

// Runs `slt-cli --plugin-path ... plugins list --json`, requires a normal exit and a JSON array.
QJsonArray requireListing(const QStringList& searchFolders, const IsolatedHome& home, int* exitCode = nullptr);

} // namespace slt::test
