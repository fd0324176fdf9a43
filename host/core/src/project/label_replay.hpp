// Replays a label journal in memory: the reference semantics of set_class/lock/unlock/unlabel/undo/redo that
// ProjectStore::rebuildDerivedState() uses to recompute the derived tables from the journal alone. It works
// out the state before every edit itself, so it does not trust the `prev_*` columns the incremental path uses.
#pragma once

#include "slt/core/project/label_journal.hpp"
#include "slt/core/result.hpp"

#include <map>
#include <vector>

namespace slt::core::project {

class LabelReplay {
public:
    // One edit action: its events firstEvent..lastEvent in journal order (kind, point, class of SetClass).
    Status applyEdit(const ActionState& span, const std::vector<LabelEdit>& edits);
    // `target` must be the latest applied action (undo) or the earliest undone one (redo).
    Status applyUndo(qint64 target);
    Status applyRedo(qint64 target);

    DerivedState state() const;

private:
    struct Step {
        qint64 point;
        LabelState before;
        LabelState after;
    };
    void set(qint64 point, LabelState state);

    std::map<qint64, LabelState> labels_;            // non-default states only
    std::map<qint64, std::vector<Step>> steps_;      // per edit action, in order
    std::map<qint64, ActionState> status_;           // per edit action
    std::vector<qint64> appliedStack_;               // top = latest applied
    std::vector<qint64> redoStack_;                  // top = latest undone
};

} // namespace slt::core::project
