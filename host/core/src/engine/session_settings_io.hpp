// How a session keeps its settings, clusters and back stack in the project's `settings` table
// (docs/labelling.md, "What the project stores"). Internal to the engine.
#pragma once

#include "slt/core/engine/labelling_session.hpp"

namespace slt::core::engine_io {

Status saveSettings(ProjectStore& store, const SessionSettings& settings);
Result<SessionSettings> loadSettings(ProjectStore& store);

// One line per cluster, its point ids separated by spaces.
QString clustersText(const std::vector<Cluster>& clusters);
// Parses clustersText(); every id must lie in [0, numPoints) and appear once.
Result<std::vector<Cluster>> parseClusters(const QString& text, int64_t numPoints);

QString idListText(const std::vector<int64_t>& ids);
Result<std::vector<int64_t>> parseIdList(const QString& text, int64_t limit, const QString& what);

inline constexpr const char* kClustersKey = "clusters";
inline constexpr const char* kBackStackKey = "back_stack";

} // namespace slt::core::engine_io
