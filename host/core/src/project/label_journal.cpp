#include "slt/core/project/label_journal.hpp"

namespace slt::core {

QString labelEventKindName(LabelEventKind kind)
{
    switch (kind) {
    case LabelEventKind::SetClass: return QStringLiteral("set_class");
    case LabelEventKind::Lock: return QStringLiteral("lock");
    case LabelEventKind::Unlock: return QStringLiteral("unlock");
    case LabelEventKind::Unlabel: return QStringLiteral("unlabel");
    case LabelEventKind::Undo: return QStringLiteral("undo");
    case LabelEventKind::Redo: return QStringLiteral("redo");
    }
    return {};
}

QString actionStatusName(ActionStatus status)
{
    switch (status) {
    case ActionStatus::Applied: return QStringLiteral("applied");
    case ActionStatus::Undone: return QStringLiteral("undone");
    case ActionStatus::Discarded: return QStringLiteral("discarded");
    }
    return {};
}

std::optional<LabelEventKind> labelEventKindFromName(const QString& name)
{
    for (LabelEventKind kind : {LabelEventKind::SetClass, LabelEventKind::Lock, LabelEventKind::Unlock,
                                LabelEventKind::Unlabel, LabelEventKind::Undo, LabelEventKind::Redo}) {
        if (labelEventKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

std::optional<ActionStatus> actionStatusFromName(const QString& name)
{
    for (ActionStatus status : {ActionStatus::Applied, ActionStatus::Undone, ActionStatus::Discarded}) {
        if (actionStatusName(status) == name)
            return status;
    }
    return std::nullopt;
}

LabelState applyLabelEvent(LabelState before, LabelEventKind kind, int classId)
{
    switch (kind) {
    case LabelEventKind::SetClass: return {classId, before.locked};
    case LabelEventKind::Lock: return {before.classId, true};
    case LabelEventKind::Unlock: return {before.classId, false};
    case LabelEventKind::Unlabel: return {};
    case LabelEventKind::Undo:
    case LabelEventKind::Redo: break;
    }
    return before;
}

} // namespace slt::core
