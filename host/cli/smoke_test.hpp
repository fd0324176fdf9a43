// The smoke call `slt-cli plugins validate` makes on an active plugin: a real select() for samplers, a
// factory-table check for the kinds that have no smoke call yet.
#pragma once

#include <slt/core/plugin_manager.hpp>

#include <QString>

namespace slt::cli {

struct SmokeResult {
    bool passed = false;
    QString summary; // what was checked, or what went wrong
};

SmokeResult smokeTest(const core::PluginManager& manager, const core::PluginRecord& record);

} // namespace slt::cli
