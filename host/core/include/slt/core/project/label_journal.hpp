// The values of a project's label journal (docs/project-format.md): what one label event does to a point,
// the state of a point, and what a recorded action reports back. Plain data, no SQLite.
#pragma once

#include "slt/core/class_schema.hpp"

#include <QString>
#include <QtGlobal>

#include <optional>
#include <vector>

namespace slt::core {

enum class LabelEventKind {
    SetClass, // the point's class becomes the event's class; its locked flag is kept
    Lock,     // the point is locked (bulk "agree" will skip it; the engine decides)
    Unlock,   // the point is unlocked
    Unlabel,  // class back to kUnlabelledClass and unlocked
    Undo,     // reverts one earlier action as a whole
    Redo,     // re-applies one undone action as a whole
};

// Journal spelling ("set_class", "lock", ...), as stored in the `events.kind` column.
QString labelEventKindName(LabelEventKind kind);
std::optional<LabelEventKind> labelEventKindFromName(const QString& name);

// The derived state of one point. A point without a row is unlabelled and unlocked.
struct LabelState {
    int classId = kUnlabelledClass;
    bool locked = false;
    bool operator==(const LabelState& other) const { return classId == other.classId && locked == other.locked; }
    bool operator!=(const LabelState& other) const { return !(*this == other); }
    bool isDefault() const { return classId == kUnlabelledClass && !locked; }
};

// The state a point has after an edit event of `kind` (SetClass, Lock, Unlock or Unlabel) applied to `before`.
LabelState applyLabelEvent(LabelState before, LabelEventKind kind, int classId);

struct PointLabel {
    qint64 point = 0;
    LabelState state;
    bool operator==(const PointLabel& other) const { return point == other.point && state == other.state; }
};

// One edit inside an action. `classId` is read for SetClass only.
struct LabelEdit {
    LabelEventKind kind = LabelEventKind::SetClass;
    qint64 point = 0;
    int classId = kUnlabelledClass;
};

// Where an edit action stands in the undo history.
enum class ActionStatus {
    Applied,   // in effect; the latest applied action is the next one undo reverts
    Undone,    // reverted and on the redo chain; the earliest undone action is the next one redo re-applies
    Discarded, // was undone, then a new action cleared the redo chain; never in effect again
};

QString actionStatusName(ActionStatus status); // "applied", "undone", "discarded"
std::optional<ActionStatus> actionStatusFromName(const QString& name);

struct ActionState {
    qint64 action = 0;
    ActionStatus status = ActionStatus::Applied;
    qint64 firstEvent = 0; // the action's events are firstEvent..lastEvent (consecutive)
    qint64 lastEvent = 0;
    bool operator==(const ActionState& other) const
    {
        return action == other.action && status == other.status && firstEvent == other.firstEvent &&
               lastEvent == other.lastEvent;
    }
};

// Everything derived from the journal: the current labels (points in a non-default state, by point id) and
// the status and event span of every edit action (by action id). Equal after incremental updates and after a rebuild.
struct DerivedState {
    std::vector<PointLabel> labels;
    std::vector<ActionState> actions;
    bool operator==(const DerivedState& other) const { return labels == other.labels && actions == other.actions; }
};

// What a call that records one action returns once the action is committed.
struct RecordedAction {
    qint64 action = 0;       // the new action's id
    LabelEventKind kind = LabelEventKind::SetClass; // Undo, Redo, or the first edit's kind
    qint64 target = 0;       // Undo/Redo: the action reverted or re-applied; 0 otherwise
    qint64 firstEvent = 0;   // the action's events are firstEvent..lastEvent
    qint64 lastEvent = 0;
    std::vector<PointLabel> changed; // the new state of every point the action touched, once per point
};

// One row of the journal, as stored.
struct JournalEvent {
    qint64 id = 0;
    qint64 action = 0;
    LabelEventKind kind = LabelEventKind::SetClass;
    qint64 point = -1;         // -1 for Undo/Redo
    LabelState after;          // edit events: the point's state after the event
    LabelState before;         // edit events: the point's state before the event
    qint64 target = 0;         // Undo/Redo: the action reverted or re-applied
    QString annotator;
    QString timeUtc;           // ISO 8601 with milliseconds, "2026-11-27T10:15:02.123Z"
};

} // namespace slt::core
