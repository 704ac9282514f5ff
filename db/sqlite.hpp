// RAII around the SQLite C API: a connection, prepared statements with bound parameters (user
// strings never reach SQL text), and a transaction guard that rolls back unless committed.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cvg::db {

// A database failure. `bad_input` marks problems with what the user gave (not a database, a
// newer schema, a missing file): the CLI exits 2 for those and 1 for the rest.
class DbError : public std::runtime_error {
public:
    DbError(const std::string& what, bool bad_input = false, int code = 0)
        : std::runtime_error(what), bad_input_(bad_input), code_(code) {}
    bool bad_input() const { return bad_input_; }
    int code() const { return code_; }  // SQLite primary result code, 0 if none

private:
    bool bad_input_;
    int code_;
};

class Connection {
public:
    // immutable: read-only through the URI file:PATH?immutable=1 (no -shm or lock files: a WAL
    // database in a directory the user cannot write)
    enum class Mode { read_only, read_write, immutable };
    Connection(const std::string& path, Mode mode);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    sqlite3* get() const { return db_; }
    const std::string& path() const { return path_; }
    void exec(const char* sql);                 // statements without parameters
    [[noreturn]] void fail(int rc, const std::string& doing) const;  // throws DbError

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

class Statement {
public:
    Statement(const Connection& c, std::string_view sql);
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Bind by 1-based position; null optionals bind NULL.
    Statement& bind(int i, int64_t v);
    Statement& bind(int i, double v);
    Statement& bind(int i, std::string_view v);
    Statement& bind(int i, std::nullptr_t);
    template <class T>
    Statement& bind(int i, const std::optional<T>& v) { return v ? bind(i, *v) : bind(i, nullptr); }
    Statement& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
    Statement& bind(int i, uint64_t v) { return bind(i, static_cast<int64_t>(v)); }
    Statement& bind(int i, long long v) { return bind(i, static_cast<int64_t>(v)); }
    Statement& bind(int i, bool v) { return bind(i, static_cast<int64_t>(v ? 1 : 0)); }
    Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    Statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    // Text bound without a copy (SQLITE_STATIC): the characters must stay valid and unchanged until
    // the statement is stepped and reset (run()). For the hot write path, where the rows outlive it.
    Statement& bind_ref(int i, std::string_view v);
    Statement& bind_ref(int i, const std::string& v) { return bind_ref(i, std::string_view(v)); }
    Statement& bind_ref(int i, const std::optional<std::string>& v) { return v ? bind_ref(i, *v) : bind(i, nullptr); }

    bool step();          // true while a row is available
    void run();           // step to completion, then reset
    void reset();         // ready for new bindings
    int changes() const;  // rows changed by the last run

    int columns() const;
    int type(int col) const;  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL
    bool is_null(int col) const;
    int64_t int64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    std::string name(int col) const;

private:
    const Connection& c_;
    sqlite3_stmt* s_ = nullptr;
};

class Transaction {
public:
    explicit Transaction(Connection& c);  // BEGIN IMMEDIATE: takes the write lock now
    ~Transaction();                       // rolls back unless committed
    void commit();

private:
    Connection& c_;
    bool done_ = false;
};

// SQLite's quick_check: "ok" when every page is readable and well formed, else the first problem.
// Reads the whole file once (about a second per GB).
std::string quick_check(Connection& c);

}  // namespace cvg::db
