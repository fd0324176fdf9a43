// Thin RAII over the SQLite C API for the SQLite bank: one connection, prepared statements, and every
// failure turned into an slt::sdk::Error that names the file and carries SQLite's own message
// ("'bank.sqlite': reading points: database disk image is malformed").
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace slt::sqlite_bank {

class Database;

class Statement {
public:
    Statement() = default;
    Statement(Database& db, const std::string& sql);
    Statement(Statement&& o) noexcept;
    Statement& operator=(Statement&& o) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, const std::string& text);
    Statement& bind_blob(int index, const void* data, size_t size); // copied by SQLite
    Statement& bind_null(int index);
    // Advances; true while a row is available. Throws on any error.
    bool step();
    // Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
    double real(int column) const { return sqlite3_column_double(stmt_, column); }
    std::string text(int column) const;
    int type(int column) const { return sqlite3_column_type(stmt_, column); }
    // The bytes of a BLOB column (valid until the next step); size 0 and nullptr for NULL.
    const void* blob(int column, size_t& size) const;

private:
    Database* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;
};

class Database {
public:
    enum class Access { ReadOnly, ReadWrite, Create };
    // `immutable`: read without locks or journals (only for files nobody writes; see the caller).
    Database(const std::string& path, Access access, bool immutable = false);
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    void exec(const std::string& sql);
    // Throws an Error for `rc` (not SQLITE_OK/ROW/DONE) naming the file, `doing` and SQLite's message.
    void check(int rc, const std::string& doing) const;
    [[noreturn]] void fail(int rc, const std::string& doing) const;
    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    sqlite3* db_ = nullptr;
};

// A transaction that rolls back unless committed (all or nothing for one batch).
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    void commit();

private:
    Database& db_;
    bool open_ = true;
};

// True when the file starts with the 16-byte SQLite header ("SQLite format 3\0").
bool has_sqlite_header(const std::string& path);
// True when the header says the file is in WAL mode (its read and write versions are 2).
bool is_wal_mode(const std::string& path);

} // namespace slt::sqlite_bank
