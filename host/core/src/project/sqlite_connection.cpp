#include "sqlite_connection.hpp"

#include <sqlite3.h>

namespace slt::core::project {

Statement::~Statement()
{
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

Statement& Statement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(statement_, index, value);
    return *this;
}

Statement& Statement::bind(int index, const QString& value)
{
    const QByteArray utf8 = value.toUtf8();
    sqlite3_bind_text(statement_, index, utf8.constData(), utf8.size(), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    sqlite3_bind_null(statement_, index);
    return *this;
}

Result<bool> Statement::next()
{
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return Result<bool>::failure(QString::fromUtf8(sqlite3_errmsg(db_)));
}

Status Statement::run()
{
    const auto stepped = next();
    return stepped ? Status() : Status::failure(stepped.error());
}

qint64 Statement::integer(int column) const
{
    return sqlite3_column_int64(statement_, column);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

QString Statement::text(int column) const
{
    const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    return QString::fromUtf8(bytes, sqlite3_column_bytes(statement_, column));
}

Result<Connection> Connection::open(const QString& uri, int flags)
{
    Connection connection;
    const int rc = sqlite3_open_v2(uri.toUtf8().constData(), &connection.db_, flags | SQLITE_OPEN_URI, nullptr);
    if (rc != SQLITE_OK) {
        const QString message = connection.db_ ? connection.lastError() : QString::fromUtf8(sqlite3_errstr(rc));
        return Result<Connection>::failure(message);
    }
    sqlite3_extended_result_codes(connection.db_, 1);
    return connection;
}

Connection::Connection(Connection&& other) noexcept : db_(other.db_), cache_(std::move(other.cache_))
{
    other.db_ = nullptr;
    other.cache_.clear();
}

Connection& Connection::operator=(Connection&& other) noexcept
{
    if (this != &other) {
        close();
        db_ = other.db_;
        cache_ = std::move(other.cache_);
        other.db_ = nullptr;
        other.cache_.clear();
    }
    return *this;
}

Connection::~Connection()
{
    close();
}

void Connection::close()
{
    for (auto& entry : cache_)
        sqlite3_finalize(entry.second);
    cache_.clear();
    if (db_)
        sqlite3_close(db_);
    db_ = nullptr;
}

Status Connection::exec(const char* sql)
{
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK)
        return {};
    const QString text = message ? QString::fromUtf8(message) : lastError();
    sqlite3_free(message);
    return Status::failure(text);
}

Result<std::unique_ptr<Statement>> Connection::prepare(const char* sql)
{
    auto found = cache_.find(sql);
    if (found == cache_.end()) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK)
            return Result<std::unique_ptr<Statement>>::failure(lastError());
        found = cache_.emplace(sql, statement).first;
    }
    return std::make_unique<Statement>(db_, found->second);
}

qint64 Connection::lastInsertId() const
{
    return sqlite3_last_insert_rowid(db_);
}

bool Connection::isReadOnly() const
{
    return sqlite3_db_readonly(db_, "main") == 1;
}

QString Connection::lastError() const
{
    return QString::fromUtf8(sqlite3_errmsg(db_));
}

Result<std::unique_ptr<Transaction>> Transaction::begin(Connection& connection)
{
    if (Status begun = connection.exec("BEGIN IMMEDIATE"); !begun)
        return Result<std::unique_ptr<Transaction>>::failure(begun.error());
    return std::unique_ptr<Transaction>(new Transaction(connection));
}

Transaction::~Transaction()
{
    if (open_)
        connection_.exec("ROLLBACK");
}

Status Transaction::commit()
{
    Status committed = connection_.exec("COMMIT");
    // A failed COMMIT leaves the transaction open: the destructor rolls it back.
    open_ = !committed.ok();
    return committed;
}

} // namespace slt::core::project
