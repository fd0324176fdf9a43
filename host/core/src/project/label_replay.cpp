#include "label_replay.hpp"

namespace slt::core::project {

void LabelReplay::set(qint64 point, LabelState state)
{
    if (state.isDefault())
        labels_.erase(point);
    else
        labels_[point] = state;
}

Status LabelReplay::applyEdit(const ActionState& span, const std::vector<LabelEdit>& edits)
{
    const qint64 action = span.action;
    if (status_.count(action))
        return Status::failure(QStringLiteral("action %1 appears twice in the journal").arg(action));
    std::vector<Step>& steps = steps_[action];
    for (const LabelEdit& edit : edits) {
        const auto found = labels_.find(edit.point);
        const LabelState before = found == labels_.end() ? LabelState{} : found->second;
        const LabelState after = applyLabelEvent(before, edit.kind, edit.classId);
        steps.push_back({edit.point, before, after});
        set(edit.point, after);
    }
    // A new action clears the redo chain, as in editors.
    for (qint64 undone : redoStack_)
        status_[undone].status = ActionStatus::Discarded;
    redoStack_.clear();
    appliedStack_.push_back(action);
    status_[action] = {action, ActionStatus::Applied, span.firstEvent, span.lastEvent};
    return {};
}

Status LabelReplay::applyUndo(qint64 target)
{
    if (appliedStack_.empty() || appliedStack_.back() != target)
        return Status::failure(QStringLiteral("the journal undoes action %1, which is not the latest applied "
                                              "action")
                                   .arg(target));
    const std::vector<Step>& steps = steps_[target];
    for (auto step = steps.rbegin(); step != steps.rend(); ++step)
        set(step->point, step->before);
    appliedStack_.pop_back();
    redoStack_.push_back(target);
    status_[target].status = ActionStatus::Undone;
    return {};
}

Status LabelReplay::applyRedo(qint64 target)
{
    if (redoStack_.empty() || redoStack_.back() != target)
        return Status::failure(QStringLiteral("the journal redoes action %1, which is not the latest undone "
                                              "action")
                                   .arg(target));
    for (const Step& step : steps_[target])
        set(step.point, step.after);
    redoStack_.pop_back();
    appliedStack_.push_back(target);
    status_[target].status = ActionStatus::Applied;
    return {};
}

DerivedState LabelReplay::state() const
{
    DerivedState state;
    for (const auto& [point, label] : labels_)
        state.labels.push_back({point, label});
    for (const auto& entry : status_)
        state.actions.push_back(entry.second);
    return state;
}

} // namespace slt::core::project
