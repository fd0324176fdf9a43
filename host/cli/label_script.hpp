// The action lines of `slt-cli label` (docs/labelling.md, "Scripted sessions"): parsing one line into an
// action, and applying it to a labelling session.
#pragma once

#include <slt/core/engine/labelling_session.hpp>

#include <QString>

#include <optional>

namespace slt::cli {

enum class ActionKind { Label, LabelOne, Agree, ForceAgree, Unlabel, Next, Back, Undo, Redo, GoTo };

struct LabelAction {
    ActionKind kind = ActionKind::Label;
    int classId = core::kUnlabelledClass; // Label, LabelOne
    qint64 index = 0;                     // LabelOne: crop index in the cluster; GoTo: cluster id
};

// One line; blank lines and lines starting with '#' give nullopt with an empty `problem`.
std::optional<LabelAction> parseActionLine(const QString& line, const core::ClassSchema& schema, QString* problem);

// Applies one action; the session's message when it is refused.
core::Status applyAction(core::LabellingSession& session, const LabelAction& action);

} // namespace slt::cli
