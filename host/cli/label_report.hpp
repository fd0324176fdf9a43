// What `slt-cli label` prints: the current cluster, statistics and coverage, as JSON or as text.
#pragma once

#include <slt/core/engine/labelling_session.hpp>

#include <QJsonObject>

namespace slt::cli {

QJsonObject sessionReport(const core::LabellingSession& session, int actionsApplied);
QString sessionText(const QJsonObject& report);

} // namespace slt::cli
