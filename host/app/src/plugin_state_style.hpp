// How plugin states look and read in the GUI: a category (active / problem / inactive), a label,
// an icon in the theme's state colour, and the counts shown in the status bar.
#pragma once

#include "theme.hpp"

#include <slt/core/plugin_manager.hpp>

#include <QIcon>
#include <QString>

#include <vector>

namespace slt::app {

enum class StateCategory {
    Active,   // working
    Problem,  // the user has to act (broken manifest, incompatible, failed, quarantined, ...)
    Inactive  // not loaded on purpose: disabled by the user or shadowed by an earlier copy
};

StateCategory categoryOf(core::PluginState state);

// "active", "load failed", ...: the CLI's state names with spaces, for people.
QString stateLabel(core::PluginState state);

QColor stateColor(StateCategory category, const StateColors& colors);

// A small disc in the state colour with a mark (tick, exclamation mark, dash), so the state is
// readable without relying on colour alone.
QIcon stateIcon(StateCategory category, const StateColors& colors);

struct PluginCounts {
    int active = 0;
    int problems = 0;
    int inactive = 0;
};

PluginCounts countPlugins(const std::vector<core::PluginRecord>& records);

// "5 plugins active, 2 with problems" (and ", 1 inactive" when some are disabled or shadowed).
QString summaryText(const PluginCounts& counts);

} // namespace slt::app
