// A thin RAII layer over the SQLite C API for the project store: a connection with a cache of prepared
// statements, statements that reset themselves after use, and transactions that roll back unless committed.
// Every failure becomes a Status/Result carrying SQLite's own message.
#pragma once

#include "slt/core/result.hpp"

#include <QString>
#include <QtGlobal>

#include <map>
#include <memory>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace slt::core::project {

class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    // Resets and clears the bindings, so a cached statement is ready for its next use.
    ~Statement();

    Statement& bind(int index, qint64 value);
    Statement& bind(int index, const QString& value);
    Statement& bindNull(int index);

    // One step: true = a row is available, false = finished.
    Result<bool> next();
    // Steps a statement that returns no rows.
    Status run();

    qint64 integer(int column) const;
    bool isNull(int column) const;
    QString text(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* statement_;
};

// Calls `onRow()` (returning Status) for every row `statement` yields; stops at the first failure.
template <class OnRow>
Status forEachRow(Statement& statement, OnRow onRow)
{
    while (true) {
        const auto row = statement.next();
        if (!row)
            return Status::failure(row.error());
        if (!*row)
            return {};
        if (Status handled = onRow(); !handled)
            return handled;
    }
}

class Connection {
public:
    // `uri` is a path or a "file:" URI; `flags` are sqlite3_open_v2 flags (SQLITE_OPEN_URI is added).
    static Result<Connection> open(const QString& uri, int flags);

    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    ~Connection();

    Status exec(const char* sql);
    // A cached prepared statement for `sql` (prepared on first use). Only one use of a given SQL at a time.
    Result<std::unique_ptr<Statement>> prepare(const char* sql);
    qint64 lastInsertId() const;
    // True when SQLite opened the main database read-only (it does so silently for a write-protected file).
    bool isReadOnly() const;
    QString lastError() const;

private:
    Connection() = default;
    void close();
    sqlite3* db_ = nullptr;
    std::map<std::string, sqlite3_stmt*> cache_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted (an error on the way).
class Transaction {
public:
    static Result<std::unique_ptr<Transaction>> begin(Connection& connection);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    Status commit();

private:
    explicit Transaction(Connection& connection) : connection_(connection) {}
    Connection& connection_;
    bool open_ = true;
};

} // namespace slt::core::project
