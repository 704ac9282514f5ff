#include "db/sqlite.hpp"

#include <cstdio>
#include <cstring>
#include <mutex>

namespace cvg::db {

Connection::Connection(const std::string& path, Mode mode) : path_(path) {
    // Before SQLite's first use in the process: no memory statistics, so that each of SQLite's
    // allocations does not take a global mutex (nothing here reads sqlite3_memory_used). Fails
    // harmlessly (SQLITE_MISUSE) if something else already initialized SQLite.
    static std::once_flag configured;
    std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
    int flags = mode == Mode::read_write ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY;
    flags |= SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread at a time
    std::string name = path;
    if (mode == Mode::immutable) {
        flags |= SQLITE_OPEN_URI;
        name = "file:";
        for (char c : path) {  // percent-encode what a URI path cannot hold
            if (c == '%' || c == '?' || c == '#') {
                char hex[4];
                std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
                name += hex;
            } else {
                name += c;
            }
        }
        name += "?immutable=1";
    }
    int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        bool missing = (rc & 0xff) == SQLITE_CANTOPEN;
        throw DbError("cannot open database '" + path + "': " + msg, missing, rc & 0xff);
    }
    sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
    if (db_) sqlite3_close_v2(db_);
}

void Connection::fail(int rc, const std::string& doing) const {
    int primary = rc & 0xff;
    std::string msg = doing + " in '" + path_ + "': ";
    switch (primary) {
        case SQLITE_NOTADB:
            throw DbError("'" + path_ + "' is not an SQLite database", true, primary);
        case SQLITE_CORRUPT:
            throw DbError("'" + path_ + "' is corrupted (" + std::string(sqlite3_errmsg(db_)) + ")", true, primary);
        case SQLITE_FULL:
            throw DbError(msg + "the disk is full; nothing of this transaction was written", false, primary);
        case SQLITE_READONLY:
            throw DbError(msg + "the database is read-only", false, primary);
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw DbError(msg + "the database is locked by another process", false, primary);
        case SQLITE_IOERR: {
            int e = sqlite3_system_errno(db_);
            throw DbError(msg + "I/O error (" + std::string(sqlite3_errmsg(db_)) + (e ? ": " + std::string(std::strerror(e)) : "") + ")",
                          false, primary);
        }
        default:
            throw DbError(msg + sqlite3_errmsg(db_), false, primary);
    }
}

void Connection::exec(const char* sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    if (err) sqlite3_free(err);
    if (rc != SQLITE_OK) fail(rc, "SQL failed");
}

Statement::Statement(const Connection& c, std::string_view sql) : c_(c) {
    int rc = sqlite3_prepare_v3(c.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s_,
                                nullptr);
    if (rc != SQLITE_OK) c.fail(rc, "preparing a statement");
}

Statement::~Statement() { sqlite3_finalize(s_); }

Statement& Statement::bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
}
Statement& Statement::bind(int i, double v) {
    if (v != v) sqlite3_bind_null(s_, i);  // NaN is stored as NULL
    else sqlite3_bind_double(s_, i, v);
    return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bind_ref(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
}
Statement& Statement::bind(int i, std::nullptr_t) {
    sqlite3_bind_null(s_, i);
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(s_);
    c_.fail(rc, "executing a statement");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
}

int Statement::changes() const { return sqlite3_changes(c_.get()); }
int Statement::columns() const { return sqlite3_column_count(s_); }
int Statement::type(int col) const { return sqlite3_column_type(s_, col); }
bool Statement::is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
int64_t Statement::int64(int col) const { return sqlite3_column_int64(s_, col); }
double Statement::real(int col) const { return sqlite3_column_double(s_, col); }
std::string Statement::text(int col) const {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
}
std::string Statement::name(int col) const { return sqlite3_column_name(s_, col); }

Transaction::Transaction(Connection& c) : c_(c) { c_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!done_) sqlite3_exec(c_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    c_.exec("COMMIT");
    done_ = true;
}

std::string quick_check(Connection& c) {
    Statement s(c, "PRAGMA quick_check(1)");
    return s.step() ? s.text(0) : std::string("ok");
}

}  // namespace cvg::db
