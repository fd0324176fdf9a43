#include "sqlite_support.hpp"

#include <slt/sdk/cpp/error.hpp>

#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <utility>

namespace slt::sqlite_bank {
namespace {

using slt::sdk::Error;

slt_status status_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
    case SQLITE_MISMATCH:
    case SQLITE_SCHEMA:
    case SQLITE_ERROR: // "no such table", "no such column": a file that is not (this version of) a bank
        return SLT_ERR_FORMAT;
    case SQLITE_NOMEM:
        return SLT_ERR_OUT_OF_MEMORY;
    case SQLITE_CONSTRAINT:
    case SQLITE_RANGE:
        return SLT_ERR_INVALID_ARGUMENT;
    default:
        return SLT_ERR_IO; // IOERR, CANTOPEN, BUSY, LOCKED, READONLY, FULL, PERM, ...
    }
}

// "file:" URI of a path: the characters URIs give a meaning to are percent-encoded.
std::string file_uri(const std::string& path)
{
    std::string uri = "file:";
    for (const char c : path) {
        if (c == '%' || c == '?' || c == '#') {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
            uri += escaped;
        } else {
            uri += c;
        }
    }
    return uri;
}

std::array<unsigned char, 100> header_of(const std::string& path, bool& complete)
{
    std::array<unsigned char, 100> header{};
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(header.data()), header.size());
    complete = in.gcount() == static_cast<std::streamsize>(header.size());
    return header;
}

} // namespace

bool has_sqlite_header(const std::string& path)
{
    bool complete = false;
    const auto header = header_of(path, complete);
    return complete && std::memcmp(header.data(), "SQLite format 3", 16) == 0;
}

bool is_wal_mode(const std::string& path)
{
    bool complete = false;
    const auto header = header_of(path, complete);
    return complete && header[18] == 2 && header[19] == 2;
}

Database::Database(const std::string& path, Access access, bool immutable) : path_(path)
{
    int flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    flags |= access == Access::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (access == Access::Create) flags |= SQLITE_OPEN_CREATE;
    const std::string uri = file_uri(path) + (immutable ? "?immutable=1" : "");
    const int rc = sqlite3_open_v2(uri.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw Error(SLT_ERR_IO, "'" + path + "': cannot open: " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    // Never wait forever on a lock: a writer that holds the file gives an error, not a hang.
    sqlite3_busy_timeout(db_, 5000);
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::exec(const std::string& sql)
{
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    const std::string text = message ? message : "";
    sqlite3_free(message);
    if (rc != SQLITE_OK) throw Error(status_of(rc), "'" + path_ + "': " + text + " (in: " + sql.substr(0, 60) + ")");
}

void Database::check(int rc, const std::string& doing) const
{
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) fail(rc, doing);
}

void Database::fail(int rc, const std::string& doing) const
{
    throw Error(status_of(rc), "'" + path_ + "': " + doing + ": " + sqlite3_errmsg(db_));
}

Statement::Statement(Database& db, const std::string& sql) : db_(&db), sql_(sql)
{
    db.check(sqlite3_prepare_v3(db.handle(), sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt_, nullptr),
             "preparing \"" + sql.substr(0, 60) + "\"");
}

Statement::Statement(Statement&& o) noexcept
    : db_(o.db_), stmt_(std::exchange(o.stmt_, nullptr)), sql_(std::move(o.sql_))
{
}

Statement& Statement::operator=(Statement&& o) noexcept
{
    std::swap(db_, o.db_);
    std::swap(stmt_, o.stmt_);
    std::swap(sql_, o.sql_);
    return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, int64_t value)
{
    db_->check(sqlite3_bind_int64(stmt_, index, value), "binding");
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    db_->check(sqlite3_bind_double(stmt_, index, value), "binding");
    return *this;
}

Statement& Statement::bind(int index, const std::string& text)
{
    db_->check(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8), "binding");
    return *this;
}

Statement& Statement::bind_blob(int index, const void* data, size_t size)
{
    db_->check(sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_TRANSIENT), "binding");
    return *this;
}

Statement& Statement::bind_null(int index)
{
    db_->check(sqlite3_bind_null(stmt_, index), "binding");
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const int code = rc;
    sqlite3_reset(stmt_);
    db_->fail(code, "running \"" + sql_.substr(0, 60) + "\"");
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const
{
    const unsigned char* s = sqlite3_column_text(stmt_, column);
    return s ? std::string(reinterpret_cast<const char*>(s), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)))
             : std::string();
}

const void* Statement::blob(int column, size_t& size) const
{
    const void* data = sqlite3_column_blob(stmt_, column);
    size = static_cast<size_t>(sqlite3_column_bytes(stmt_, column));
    return data;
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction()
{
    if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit()
{
    db_.exec("COMMIT");
    open_ = false;
}

} // namespace slt::sqlite_bank
