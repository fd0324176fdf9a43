#include "project_schema.hpp"

#include "project_file_check.hpp"

#include "slt/core/project/project_store.hpp"

namespace slt::core::project {
namespace {

// Version 1. The journal (`events`) is append-only, enforced by triggers; `labels` and `action_status` are
// derived from it and rewritten in the same transaction as each event. Each commit writes few pages: `events`
// has no index besides its id (an action's events are found by their id span in `action_status`), and the
// only index of `action_status` holds just the redo chain (undone actions), so recording an action skips it.
const char kTables[] = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  action INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('set_class', 'lock', 'unlock', 'unlabel', 'undo', 'redo')),
  point INTEGER,
  class INTEGER,
  locked INTEGER,
  prev_class INTEGER,
  prev_locked INTEGER,
  target_action INTEGER,
  annotator TEXT NOT NULL,
  time_utc TEXT NOT NULL);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'the label journal is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the label journal is append-only'); END;
CREATE TABLE labels(point INTEGER PRIMARY KEY, class INTEGER NOT NULL, locked INTEGER NOT NULL);
CREATE TABLE action_status(
  action INTEGER PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('applied', 'undone', 'discarded')),
  first_event INTEGER NOT NULL,
  last_event INTEGER NOT NULL);
CREATE INDEX action_status_undone ON action_status(action) WHERE status = 'undone';
CREATE TABLE navigation(id INTEGER PRIMARY KEY, cluster INTEGER NOT NULL, time_utc TEXT NOT NULL);
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
)sql";

const char* const kTableNames[] = {"meta", "events", "labels", "action_status", "navigation", "settings"};

} // namespace

Status createProjectTables(Connection& connection, const std::map<QString, QString>& meta)
{
    const QByteArray pragmas = QStringLiteral("PRAGMA application_id = %1; PRAGMA user_version = %2;")
                                   .arg(kProjectApplicationId)
                                   .arg(kProjectFormatVersion)
                                   .toUtf8();
    auto transaction = Transaction::begin(connection);
    if (!transaction)
        return Status::failure(transaction.error());
    if (Status created = connection.exec(kTables); !created)
        return created;
    if (Status stamped = connection.exec(pragmas.constData()); !stamped)
        return stamped;
    for (const auto& [key, value] : meta) {
        auto insert = connection.prepare("INSERT INTO meta(key, value) VALUES (?1, ?2)");
        if (!insert)
            return Status::failure(insert.error());
        if (Status inserted = (*insert)->bind(1, key).bind(2, value).run(); !inserted)
            return inserted;
    }
    return (*transaction)->commit();
}

Status checkProjectTables(Connection& connection, const QString& path)
{
    for (const char* table : kTableNames) {
        auto query = connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
        if (!query)
            return Status::failure(QStringLiteral("%1 cannot be read: %2").arg(path, query.error()));
        auto found = (*query)->bind(1, QString::fromLatin1(table)).next();
        if (!found)
            return Status::failure(QStringLiteral("%1 cannot be read: %2").arg(path, found.error()));
        if (!*found)
            return Status::failure(QStringLiteral("%1 is damaged: the table '%2' is missing").arg(path, table));
    }
    return {};
}

Result<std::map<QString, QString>> readMeta(Connection& connection)
{
    using R = Result<std::map<QString, QString>>;
    auto query = connection.prepare("SELECT key, value FROM meta");
    if (!query)
        return R::failure(query.error());
    std::map<QString, QString> meta;
    while (true) {
        auto row = (*query)->next();
        if (!row)
            return R::failure(row.error());
        if (!*row)
            break;
        meta[(*query)->text(0)] = (*query)->text(1);
    }
    return meta;
}

} // namespace slt::core::project
