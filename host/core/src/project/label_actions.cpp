// Recording label actions, undo and redo, and rebuilding the derived tables (docs/project-format.md).
// Each public operation is one BEGIN IMMEDIATE ... COMMIT: the journal rows and the derived rows they imply
// are written together or not at all.
#include "label_replay.hpp"
#include "project_store_impl.hpp"

#include <QDateTime>

#include <map>

namespace slt::core {
namespace {

using project::forEachRow;
using project::Statement;
using project::Transaction;

QString nowUtc()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

template <class T>
Result<T> failed(const QString& message)
{
    return Result<T>::failure(message);
}

// Runs `body` inside one transaction and commits it; any failure rolls everything back.
template <class T, class Body>
Result<T> inTransaction(project::Connection& db, Body body)
{
    auto transaction = Transaction::begin(db);
    if (!transaction)
        return failed<T>(transaction.error());
    Result<T> result = body();
    if (!result)
        return result;
    if (Status committed = (*transaction)->commit(); !committed)
        return failed<T>(committed.error());
    return result;
}

// One entry per point with its last state, in the order the points were first touched (an action may touch a
// point more than once: set_class then lock).
std::vector<PointLabel> finalStates(const std::vector<PointLabel>& steps)
{
    std::map<qint64, std::size_t> position;
    std::vector<PointLabel> states;
    for (const PointLabel& step : steps) {
        const auto [found, added] = position.emplace(step.point, states.size());
        if (added)
            states.push_back(step);
        else
            states[found->second].state = step.state;
    }
    return states;
}

} // namespace

Status ProjectStore::Impl::validate(const std::vector<LabelEdit>& edits) const
{
    if (edits.empty())
        return Status::failure(QStringLiteral("a label action needs at least one point"));
    for (const LabelEdit& edit : edits) {
        if (edit.kind == LabelEventKind::Undo || edit.kind == LabelEventKind::Redo)
            return Status::failure(QStringLiteral("undo and redo are actions of their own, not edits"));
        if (edit.point < 0 || edit.point >= bank.pointCount)
            return Status::failure(QStringLiteral("point %1 is not in the bank (points 0..%2)")
                                       .arg(edit.point)
                                       .arg(bank.pointCount - 1));
        if (edit.kind == LabelEventKind::SetClass && !schema.byId(edit.classId))
            return Status::failure(edit.classId == kUnlabelledClass
                                       ? QStringLiteral("class %1 is 'unlabelled': unlabel the point instead")
                                             .arg(edit.classId)
                                       : QStringLiteral("class %1 is not in the project's class schema")
                                             .arg(edit.classId));
    }
    return {};
}

Result<LabelState> ProjectStore::Impl::readLabel(qint64 point)
{
    auto query = db.prepare("SELECT class, locked FROM labels WHERE point = ?1");
    if (!query)
        return failed<LabelState>(query.error());
    auto row = (*query)->bind(1, point).next();
    if (!row)
        return failed<LabelState>(row.error());
    if (!*row)
        return LabelState{};
    return LabelState{static_cast<int>((*query)->integer(0)), (*query)->integer(1) != 0};
}

Status ProjectStore::Impl::writeLabel(qint64 point, LabelState state)
{
    // The derived table keeps only points that differ from "unlabelled, unlocked".
    auto statement = state.isDefault()
                         ? db.prepare("DELETE FROM labels WHERE point = ?1")
                         : db.prepare("INSERT OR REPLACE INTO labels(point, class, locked) VALUES (?1, ?2, ?3)");
    if (!statement)
        return Status::failure(statement.error());
    (*statement)->bind(1, point);
    if (!state.isDefault())
        (*statement)->bind(2, qint64{state.classId}).bind(3, qint64{state.locked ? 1 : 0});
    return (*statement)->run();
}

Result<qint64> ProjectStore::Impl::nextActionId()
{
    // Action ids grow with event ids, so the newest event holds the largest action id.
    auto query = db.prepare("SELECT coalesce((SELECT action FROM events ORDER BY id DESC LIMIT 1), 0) + 1");
    if (!query)
        return failed<qint64>(query.error());
    auto row = (*query)->next();
    if (!row)
        return failed<qint64>(row.error());
    return (*query)->integer(0);
}

Result<qint64> ProjectStore::Impl::insertEvent(const JournalEvent& event)
{
    auto insert = db.prepare("INSERT INTO events(action, kind, point, class, locked, prev_class, prev_locked, "
                             "target_action, annotator, time_utc) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!insert)
        return failed<qint64>(insert.error());
    Statement& row = **insert;
    row.bind(1, event.action).bind(2, labelEventKindName(event.kind)).bind(9, event.annotator).bind(10, event.timeUtc);
    if (event.kind == LabelEventKind::Undo || event.kind == LabelEventKind::Redo) {
        row.bindNull(3).bindNull(4).bindNull(5).bindNull(6).bindNull(7).bind(8, event.target);
    } else {
        row.bind(3, event.point)
            .bind(4, qint64{event.after.classId})
            .bind(5, qint64{event.after.locked ? 1 : 0})
            .bind(6, qint64{event.before.classId})
            .bind(7, qint64{event.before.locked ? 1 : 0})
            .bindNull(8);
    }
    if (Status inserted = row.run(); !inserted)
        return failed<qint64>(inserted.error());
    return db.lastInsertId();
}

Status ProjectStore::Impl::insertActionState(const ActionState& state)
{
    auto statement = db.prepare("INSERT INTO action_status(action, status, first_event, last_event) "
                                "VALUES (?1, ?2, ?3, ?4)");
    if (!statement)
        return Status::failure(statement.error());
    return (*statement)
        ->bind(1, state.action)
        .bind(2, actionStatusName(state.status))
        .bind(3, state.firstEvent)
        .bind(4, state.lastEvent)
        .run();
}

Status ProjectStore::Impl::setActionStatus(qint64 action, ActionStatus status)
{
    auto statement = db.prepare("UPDATE action_status SET status = ?2 WHERE action = ?1");
    if (!statement)
        return Status::failure(statement.error());
    return (*statement)->bind(1, action).bind(2, actionStatusName(status)).run();
}

Status ProjectStore::Impl::discardRedoChain()
{
    auto statement = db.prepare("UPDATE action_status SET status = 'discarded' WHERE status = 'undone'");
    if (!statement)
        return Status::failure(statement.error());
    return (*statement)->run();
}

// The action state of the first row `sql` yields (columns: action, status, first_event, last_event).
Result<std::optional<ActionState>> ProjectStore::Impl::firstActionState(const char* sql)
{
    using R = Result<std::optional<ActionState>>;
    auto query = db.prepare(sql);
    if (!query)
        return R::failure(query.error());
    const Statement& row = **query;
    auto found = (*query)->next();
    if (!found)
        return R::failure(found.error());
    if (!*found)
        return std::optional<ActionState>();
    const auto status = actionStatusFromName(row.text(1));
    if (!status)
        return R::failure(QStringLiteral("action %1 has an unknown status").arg(row.integer(0)));
    return std::optional<ActionState>(ActionState{row.integer(0), *status, row.integer(2), row.integer(3)});
}

Result<std::optional<ActionState>> ProjectStore::Impl::undoTarget()
{
    return firstActionState("SELECT action, status, first_event, last_event FROM action_status "
                            "WHERE status = 'applied' ORDER BY action DESC LIMIT 1");
}

Result<std::optional<ActionState>> ProjectStore::Impl::redoTarget()
{
    // Undone actions always have larger ids than applied ones; the latest undone is the smallest of them.
    return firstActionState("SELECT action, status, first_event, last_event FROM action_status "
                            "WHERE status = 'undone' ORDER BY action ASC LIMIT 1");
}

Result<RecordedAction> ProjectStore::Impl::recordEdits(const std::vector<LabelEdit>& edits)
{
    if (Status allowed = checkThread(); !allowed)
        return failed<RecordedAction>(allowed.error());
    if (Status valid = validate(edits); !valid)
        return failed<RecordedAction>(valid.error());
    auto recorded = inTransaction<RecordedAction>(db, [&] { return recordEditsInTransaction(edits); });
    if (!recorded)
        return failed<RecordedAction>(failure(QStringLiteral("recording a label action"), recorded.error()));
    return recorded;
}

Result<RecordedAction> ProjectStore::Impl::recordEditsInTransaction(const std::vector<LabelEdit>& edits)
{
    const auto action = nextActionId();
    if (!action)
        return failed<RecordedAction>(action.error());
    RecordedAction recorded;
    recorded.action = *action;
    recorded.kind = edits.front().kind;
    JournalEvent event;
    event.action = *action;
    event.annotator = annotator;
    event.timeUtc = nowUtc();
    for (const LabelEdit& edit : edits) {
        const auto before = readLabel(edit.point);
        if (!before)
            return failed<RecordedAction>(before.error());
        event.kind = edit.kind;
        event.point = edit.point;
        event.before = *before;
        event.after = applyLabelEvent(*before, edit.kind, edit.classId);
        const auto id = insertEvent(event);
        if (!id)
            return failed<RecordedAction>(id.error());
        if (Status written = writeLabel(edit.point, event.after); !written)
            return failed<RecordedAction>(written.error());
        recorded.firstEvent = recorded.firstEvent ? recorded.firstEvent : *id;
        recorded.lastEvent = *id;
        recorded.changed.push_back({edit.point, event.after});
    }
    recorded.changed = finalStates(recorded.changed);
    if (Status discarded = discardRedoChain(); !discarded)
        return failed<RecordedAction>(discarded.error());
    const ActionState state{*action, ActionStatus::Applied, recorded.firstEvent, recorded.lastEvent};
    if (Status marked = insertActionState(state); !marked)
        return failed<RecordedAction>(marked.error());
    return recorded;
}

Result<RecordedAction> ProjectStore::Impl::undo()
{
    if (Status allowed = checkThread(); !allowed)
        return failed<RecordedAction>(allowed.error());
    return inTransaction<RecordedAction>(db, [&] { return undoInTransaction(); });
}

Result<RecordedAction> ProjectStore::Impl::undoInTransaction()
{
    const auto target = undoTarget();
    if (!target)
        return failed<RecordedAction>(failure(QStringLiteral("undo"), target.error()));
    if (!*target)
        return failed<RecordedAction>(QStringLiteral("nothing to undo"));
    auto rows = db.prepare("SELECT point, prev_class, prev_locked FROM events WHERE id BETWEEN ?1 AND ?2 "
                           "ORDER BY id DESC");
    if (!rows)
        return failed<RecordedAction>(failure(QStringLiteral("undo"), rows.error()));
    RecordedAction recorded;
    Statement& row = **rows;
    Status read = forEachRow(row.bind(1, (*target)->firstEvent).bind(2, (*target)->lastEvent), [&] {
        recorded.changed.push_back({row.integer(0), {static_cast<int>(row.integer(1)), row.integer(2) != 0}});
        return Status();
    });
    rows->reset(); // done with the statement: reset it before writing
    if (!read)
        return failed<RecordedAction>(failure(QStringLiteral("undo"), read.error()));
    for (const PointLabel& label : recorded.changed) {
        if (Status written = writeLabel(label.point, label.state); !written)
            return failed<RecordedAction>(failure(QStringLiteral("undo"), written.error()));
    }
    recorded.changed = finalStates(recorded.changed);
    if (Status marked = setActionStatus((*target)->action, ActionStatus::Undone); !marked)
        return failed<RecordedAction>(failure(QStringLiteral("undo"), marked.error()));
    return recordHistoryEvent(LabelEventKind::Undo, (*target)->action, std::move(recorded));
}

Result<RecordedAction> ProjectStore::Impl::redo()
{
    if (Status allowed = checkThread(); !allowed)
        return failed<RecordedAction>(allowed.error());
    return inTransaction<RecordedAction>(db, [&] { return redoInTransaction(); });
}

Result<RecordedAction> ProjectStore::Impl::redoInTransaction()
{
    const auto target = redoTarget();
    if (!target)
        return failed<RecordedAction>(failure(QStringLiteral("redo"), target.error()));
    if (!*target)
        return failed<RecordedAction>(QStringLiteral("nothing to redo"));
    auto rows = db.prepare("SELECT point, kind, class FROM events WHERE id BETWEEN ?1 AND ?2 ORDER BY id");
    if (!rows)
        return failed<RecordedAction>(failure(QStringLiteral("redo"), rows.error()));
    std::vector<LabelEdit> edits;
    Statement& row = **rows;
    Status read = forEachRow(row.bind(1, (*target)->firstEvent).bind(2, (*target)->lastEvent), [&] {
        const auto kind = labelEventKindFromName(row.text(1));
        if (!kind)
            return Status::failure(QStringLiteral("event of action %1 has an unknown kind").arg((*target)->action));
        edits.push_back({*kind, row.integer(0), static_cast<int>(row.integer(2))});
        return Status();
    });
    rows->reset(); // done with the statement: reset it before writing
    if (!read)
        return failed<RecordedAction>(failure(QStringLiteral("redo"), read.error()));
    RecordedAction recorded;
    for (const LabelEdit& edit : edits) {
        const auto before = readLabel(edit.point);
        if (!before)
            return failed<RecordedAction>(failure(QStringLiteral("redo"), before.error()));
        const LabelState after = applyLabelEvent(*before, edit.kind, edit.classId);
        if (Status written = writeLabel(edit.point, after); !written)
            return failed<RecordedAction>(failure(QStringLiteral("redo"), written.error()));
        recorded.changed.push_back({edit.point, after});
    }
    recorded.changed = finalStates(recorded.changed);
    if (Status marked = setActionStatus((*target)->action, ActionStatus::Applied); !marked)
        return failed<RecordedAction>(failure(QStringLiteral("redo"), marked.error()));
    return recordHistoryEvent(LabelEventKind::Redo, (*target)->action, std::move(recorded));
}

Result<RecordedAction> ProjectStore::Impl::recordHistoryEvent(LabelEventKind kind, qint64 target,
                                                              RecordedAction recorded)
{
    const auto action = nextActionId();
    if (!action)
        return failed<RecordedAction>(failure(labelEventKindName(kind), action.error()));
    JournalEvent event;
    event.action = *action;
    event.kind = kind;
    event.target = target;
    event.annotator = annotator;
    event.timeUtc = nowUtc();
    const auto id = insertEvent(event);
    if (!id)
        return failed<RecordedAction>(failure(labelEventKindName(kind), id.error()));
    recorded.action = *action;
    recorded.kind = kind;
    recorded.target = target;
    recorded.firstEvent = recorded.lastEvent = *id;
    return recorded;
}

Result<DerivedState> ProjectStore::Impl::derivedState()
{
    using R = Result<DerivedState>;
    if (Status allowed = checkThread(); !allowed)
        return R::failure(allowed.error());
    DerivedState state;
    auto labels = db.prepare("SELECT point, class, locked FROM labels ORDER BY point");
    if (!labels)
        return R::failure(failure(QStringLiteral("reading the labels"), labels.error()));
    Statement& label = **labels;
    Status read = forEachRow(label, [&] {
        state.labels.push_back({label.integer(0), {static_cast<int>(label.integer(1)), label.integer(2) != 0}});
        return Status();
    });
    if (!read)
        return R::failure(failure(QStringLiteral("reading the labels"), read.error()));
    auto actions = db.prepare("SELECT action, status, first_event, last_event FROM action_status ORDER BY action");
    if (!actions)
        return R::failure(failure(QStringLiteral("reading the undo history"), actions.error()));
    Statement& action = **actions;
    read = forEachRow(action, [&] {
        const auto status = actionStatusFromName(action.text(1));
        if (!status)
            return Status::failure(QStringLiteral("action %1 has an unknown status").arg(action.integer(0)));
        state.actions.push_back({action.integer(0), *status, action.integer(2), action.integer(3)});
        return Status();
    });
    if (!read)
        return R::failure(failure(QStringLiteral("reading the undo history"), read.error()));
    return state;
}

Result<std::vector<JournalEvent>> ProjectStore::Impl::journal(qint64 afterEvent)
{
    using R = Result<std::vector<JournalEvent>>;
    if (Status allowed = checkThread(); !allowed)
        return R::failure(allowed.error());
    auto query = db.prepare("SELECT id, action, kind, point, class, locked, prev_class, prev_locked, "
                            "target_action, annotator, time_utc FROM events WHERE id > ?1 ORDER BY id");
    if (!query)
        return R::failure(failure(QStringLiteral("reading the journal"), query.error()));
    Statement& row = **query;
    row.bind(1, afterEvent);
    std::vector<JournalEvent> events;
    Status read = forEachRow(row, [&] {
        JournalEvent event;
        event.id = row.integer(0);
        event.action = row.integer(1);
        event.kind = labelEventKindFromName(row.text(2)).value_or(LabelEventKind::SetClass);
        event.point = row.isNull(3) ? -1 : row.integer(3);
        event.after = {static_cast<int>(row.integer(4)), row.integer(5) != 0};
        event.before = {static_cast<int>(row.integer(6)), row.integer(7) != 0};
        event.target = row.integer(8);
        event.annotator = row.text(9);
        event.timeUtc = row.text(10);
        events.push_back(std::move(event));
        return Status();
    });
    if (!read)
        return R::failure(failure(QStringLiteral("reading the journal"), read.error()));
    return events;
}

Status ProjectStore::Impl::rebuildDerivedState()
{
    if (Status allowed = checkThread(); !allowed)
        return allowed;
    const auto rebuilt = inTransaction<bool>(db, [&]() -> Result<bool> {
        if (Status done = rebuildInTransaction(); !done)
            return failed<bool>(done.error());
        return true;
    });
    return rebuilt ? Status() : Status::failure(failure(QStringLiteral("rebuilding the labels"), rebuilt.error()));
}

Status ProjectStore::Impl::rebuildInTransaction()
{
    auto query = db.prepare("SELECT id, action, kind, point, class, target_action FROM events ORDER BY id");
    if (!query)
        return Status::failure(query.error());
    project::LabelReplay replay;
    ActionState pending; // the edit action being read: id and event span
    std::vector<LabelEdit> pendingEdits;
    // An edit action's events are consecutive in the journal (one transaction each): flush at each change.
    auto flush = [&]() -> Status {
        Status applied = pendingEdits.empty() ? Status() : replay.applyEdit(pending, pendingEdits);
        pendingEdits.clear();
        return applied;
    };
    Statement& row = **query;
    Status replayed = forEachRow(row, [&] {
        const qint64 action = row.integer(1);
        const auto kind = labelEventKindFromName(row.text(2));
        if (!kind)
            return Status::failure(QStringLiteral("event %1 has an unknown kind").arg(row.integer(0)));
        if (action != pending.action) {
            if (Status flushed = flush(); !flushed)
                return flushed;
            pending = {action, ActionStatus::Applied, row.integer(0), row.integer(0)};
        }
        pending.lastEvent = row.integer(0);
        Status applied;
        if (*kind == LabelEventKind::Undo)
            applied = replay.applyUndo(row.integer(5));
        else if (*kind == LabelEventKind::Redo)
            applied = replay.applyRedo(row.integer(5));
        else
            pendingEdits.push_back({*kind, row.integer(3), static_cast<int>(row.integer(4))});
        if (!applied)
            return Status::failure(QStringLiteral("event %1: %2").arg(row.integer(0)).arg(applied.error()));
        return Status();
    });
    if (!replayed)
        return replayed;
    if (Status flushed = flush(); !flushed)
        return flushed;
    return replaceDerivedTables(replay.state());
}

Status ProjectStore::Impl::replaceDerivedTables(const DerivedState& state)
{
    if (Status cleared = db.exec("DELETE FROM labels; DELETE FROM action_status"); !cleared)
        return cleared;
    for (const PointLabel& label : state.labels) {
        if (Status written = writeLabel(label.point, label.state); !written)
            return written;
    }
    for (const ActionState& action : state.actions) {
        if (Status written = insertActionState(action); !written)
            return written;
    }
    return {};
}

} // namespace slt::core
