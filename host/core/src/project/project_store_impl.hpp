// ProjectStore's private state, shared by project_store.cpp (open, create, settings, navigation) and
// label_actions.cpp (recording, undo/redo, rebuild).
#pragma once

#include "sqlite_connection.hpp"

#include "slt/core/project/project_store.hpp"

#include <thread>

namespace slt::core {

class ProjectStore::Impl {
public:
    Impl(project::Connection connection) : db(std::move(connection)) {}

    project::Connection db;
    QString path;
    BankRef bank;
    ClassSchema schema;
    int formatVersion = 0;
    QString createdUtc;
    QString writtenByVersion;
    QString annotator;
    std::thread::id owner = std::this_thread::get_id();

    // Fails when called from another thread than the one that opened the store (thread rule).
    Status checkThread() const;
    // "<path>: <what> failed: <sqlite message>"
    QString failure(const QString& what, const QString& message) const;

    Status validate(const std::vector<LabelEdit>& edits) const;
    Result<RecordedAction> recordEdits(const std::vector<LabelEdit>& edits);
    Result<RecordedAction> undo();
    Result<RecordedAction> redo();
    Result<std::optional<ActionState>> undoTarget();
    Result<std::optional<ActionState>> redoTarget();
    Result<DerivedState> derivedState();
    Result<std::vector<JournalEvent>> journal(qint64 afterEvent);
    Status rebuildDerivedState();
    Result<LabelState> readLabel(qint64 point);

private:
    Status writeLabel(qint64 point, LabelState state);
    Result<qint64> nextActionId();
    Result<qint64> insertEvent(const JournalEvent& event);
    Status insertActionState(const ActionState& state);
    Status setActionStatus(qint64 action, ActionStatus status);
    Status discardRedoChain();
    Result<std::optional<ActionState>> firstActionState(const char* sql);
    Result<RecordedAction> recordEditsInTransaction(const std::vector<LabelEdit>& edits);
    Result<RecordedAction> undoInTransaction();
    Result<RecordedAction> redoInTransaction();
    Result<RecordedAction> recordHistoryEvent(LabelEventKind kind, qint64 target, RecordedAction recorded);
    Status rebuildInTransaction();
    Status replaceDerivedTables(const DerivedState& state);
};

} // namespace slt::core
