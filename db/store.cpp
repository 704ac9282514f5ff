#include "db/store.hpp"

#include "db_schema_sql.hpp"  // generated from db/schema.sql: kSchemaSql

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <random>
#include <string_view>
#include <sys/stat.h>

namespace cvg::db {

std::string params_hash(const std::string& params) {
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : params) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string utc_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

namespace {

std::string random_uid() {
    std::random_device rd;
    char buf[33];
    std::snprintf(buf, sizeof buf, "%08x%08x%08x%08x", rd(), rd(), rd(), rd());
    return buf;
}

std::string hostname() {
    char buf[256] = {0};
    if (gethostname(buf, sizeof buf - 1) != 0) return "";
    return buf;
}

int busy_timeout_ms() {
    const char* env = std::getenv("CONVERGENT_BUSY_TIMEOUT_MS");
    return env ? std::atoi(env) : 10000;
}

}  // namespace

namespace {

// The rows of a batch go in kRowsPerStatement to an INSERT, written OR IGNORE rather than ON
// CONFLICT DO NOTHING: both skip a row whose key is already there (the same idempotency), but with
// DO NOTHING a NOT NULL column could still abort a multi-row statement halfway, so SQLite keeps a
// statement journal (a copy of every page the statement changes), which costs more than the
// inserts themselves. OR IGNORE would skip a row with a NULL in a NOT NULL column instead: every
// such column is bound from a non-optional field below, so none can be NULL.
constexpr const char* kPcfInsert = "INTO pcfs(a, b, a_expr, b_expr, a_deg, b_deg) VALUES ";
constexpr const char* kEvalInsert =
    "INTO evaluations(pcf_id, run_id, depth, converges, digits, value, value_approx, limit_source, "
    "limit_depth, delta, delta_trajectory, rate, convergence, fr_k, fr_stable, growth_nlogn, growth_n) VALUES ";
constexpr int kPcfParams = 6, kEvalParams = 17;

// INSERT of `rows` rows of `params` parameters each.
std::string multi_insert(const char* verb, const char* head, int params, int rows, const char* tail) {
    std::string row = "(";
    for (int i = 0; i < params; ++i) row += i ? ",?" : "?";
    row += ")";
    std::string sql = std::string(verb) + head;
    for (int r = 0; r < rows; ++r) sql += (r ? "," : "") + row;
    return sql + tail;
}

// Binds the text of `p` (without copying it: the batch outlives the statement's run) at offset o.
void bind_pcf(Statement& s, int o, const PcfRow& p) {
    s.bind_ref(o + 1, p.a).bind_ref(o + 2, p.b).bind_ref(o + 3, p.a_expr).bind_ref(o + 4, p.b_expr);
    s.bind(o + 5, p.a_deg).bind(o + 6, p.b_deg);
}

void bind_evaluation(Statement& s, int o, const EvaluationRow& e, int64_t pcf_id, int64_t run_id) {
    s.bind(o + 1, pcf_id).bind(o + 2, run_id).bind(o + 3, e.depth).bind(o + 4, e.converges).bind(o + 5, e.digits);
    s.bind_ref(o + 6, e.value).bind(o + 7, e.value_approx).bind_ref(o + 8, e.limit_source).bind(o + 9, e.limit_depth);
    s.bind(o + 10, e.delta).bind_ref(o + 11, e.delta_trajectory).bind(o + 12, e.rate).bind_ref(o + 13, e.convergence);
    s.bind(o + 14, e.fr_k).bind(o + 15, e.fr_stable).bind(o + 16, e.growth_nlogn).bind(o + 17, e.growth_n);
}

}  // namespace

struct Store::Prepared {
    Statement insert_pcf, select_pcf, max_pcf, insert_eval, insert_conj, insert_unit;
    Statement insert_pcfs, insert_evals;  // kRowsPerStatement rows each
    explicit Prepared(const Connection& c)
        : insert_pcf(c, multi_insert("INSERT ", kPcfInsert, kPcfParams, 1, " ON CONFLICT(a, b) DO NOTHING")),
          select_pcf(c, "SELECT id FROM pcfs WHERE a = ? AND b = ?"),
          max_pcf(c, "SELECT max(id) FROM pcfs"),
          insert_eval(c, multi_insert("INSERT ", kEvalInsert, kEvalParams, 1, " ON CONFLICT DO NOTHING")),
          insert_conj(c, "INSERT INTO conjectures(pcf_id, run_id, method, constant, relation, relation_text, "
                         "digits_matched, verification_depth, certified_digits, delta, rate, convergence, status, "
                         "family) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING"),
          insert_unit(c, "INSERT INTO work_units(run_id, unit, state, items, candidates, conjectures, seconds, "
                         "finished_at) VALUES (?,?,'done',?,?,?,?,?) ON CONFLICT DO NOTHING"),
          insert_pcfs(c, multi_insert("INSERT OR IGNORE ", kPcfInsert, kPcfParams, kRowsPerStatement, "")),
          insert_evals(c, multi_insert("INSERT OR IGNORE ", kEvalInsert, kEvalParams, kRowsPerStatement, "")) {}
    void reset_all() {  // after a failure: no statement is left mid-step or holding pointers into a batch
        for (Statement* s : {&insert_pcf, &select_pcf, &max_pcf, &insert_eval, &insert_conj, &insert_unit,
                             &insert_pcfs, &insert_evals})
            s->reset();
    }
};

// Canonical (a, b) -> pcfs.id for PCFs this Store has written or looked up, so a PCF seen again
// (a conjecture of a PCF just evaluated, another depth of it, a re-run) costs no SQL. Direct-mapped
// with a fixed number of slots: a new key replaces the one in its slot, memory stays bounded. Valid
// because rows of pcfs are never deleted nor their ids changed; entries made inside a transaction
// that rolls back are dropped with clear().
class Store::PcfCache {
public:
    std::optional<int64_t> find(const PcfRow& p) const {
        if (slots_.empty()) return std::nullopt;
        const Slot& s = slots_[slot(p)];
        if (s.used && s.a == p.a && s.b == p.b) return s.id;
        return std::nullopt;
    }
    void put(const PcfRow& p, int64_t id) {
        if (slots_.empty()) slots_.resize(kSlots);
        Slot& s = slots_[slot(p)];
        s.a = p.a;  // assignments reuse the slot's buffers
        s.b = p.b;
        s.id = id;
        s.used = true;
    }
    void clear() { slots_.clear(); }

private:
    static constexpr size_t kSlots = size_t{1} << 16;
    struct Slot {
        std::string a, b;
        int64_t id = 0;
        bool used = false;
    };
    static size_t slot(const PcfRow& p) {
        size_t h = std::hash<std::string_view>{}(p.a);
        h ^= std::hash<std::string_view>{}(p.b) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        return h & (kSlots - 1);
    }
    std::vector<Slot> slots_;
};

namespace {
std::string dir_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}
}  // namespace

Store::Store(const std::string& path, Open mode) {
    struct stat sb;
    bool exists = ::stat(path.c_str(), &sb) == 0;
    if (!exists && mode != Open::read_write) throw DbError("no database '" + path + "'", true);
    if (exists && S_ISDIR(sb.st_mode)) throw DbError("'" + path + "' is a directory, not a database", true);
    try {
        open_file(path, mode);
    } catch (...) {
        if (!exists) {  // a database this call created (on a full disk, say) is not left behind half made
            st_.reset();
            c_.reset();
            for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path + suffix).c_str());
        }
        throw;
    }
}

void Store::open_file(const std::string& path, Open mode) {
    c_ = std::make_unique<Connection>(path, mode == Open::read_only ? Connection::Mode::read_only
                                                                   : Connection::Mode::read_write);
    sqlite3_busy_timeout(c_->get(), busy_timeout_ms());
    auto read_version = [&] {
        Statement v(*c_, "PRAGMA user_version");  // the first read: NOTADB shows here
        v.step();
        version_ = static_cast<int>(v.int64(0));
    };
    try {
        read_version();
    } catch (const DbError& e) {
        // a WAL database in a directory we cannot write: no -shm file can be made, but it can
        // still be read as an immutable file
        if (mode != Open::read_only || (e.code() != SQLITE_READONLY && e.code() != SQLITE_CANTOPEN) ||
            ::access(dir_of(path).c_str(), W_OK) == 0)
            throw;
        c_ = std::make_unique<Connection>(path, Connection::Mode::immutable);
        read_version();
    }
    if (version_ < 0)  // user_version is a signed 32-bit field; no Convergent schema is negative
        throw DbError("'" + path + "' is not a Convergent database (schema version " + std::to_string(version_) + ")",
                      true);
    if (version_ > kSchemaVersion)
        throw DbError("'" + path + "' has schema version " + std::to_string(version_) +
                          ", newer than this convergent understands (" + std::to_string(kSchemaVersion) +
                          "): upgrade convergent",
                      true);
    if (version_ == 0) {
        Statement t(*c_, "SELECT count(*) FROM sqlite_master");
        t.step();
        if (t.int64(0) > 0) throw DbError("'" + path + "' is an SQLite database but not a Convergent database", true);
        if (mode != Open::read_write) throw DbError("'" + path + "' is an empty database", true);
    }
    if (mode != Open::read_only) {
        c_->exec("PRAGMA journal_mode = WAL");
        c_->exec("PRAGMA synchronous = NORMAL");
        c_->exec("PRAGMA temp_store = MEMORY");
        c_->exec("PRAGMA cache_size = -65536");
        create_or_migrate();
        st_ = std::make_unique<Prepared>(*c_);
        cache_ = std::make_unique<PcfCache>();
    }
}

Store::~Store() = default;

void Store::create_or_migrate() {
    if (version_ == kSchemaVersion) return;
    Transaction tx(*c_);
    if (version_ == 0) {
        c_->exec(kSchemaSql);
        version_ = 1;
    }
    for (int v = version_; v < kSchemaVersion; ++v) c_->exec(kMigrations[v - 1]);
    c_->exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
    tx.commit();
    version_ = kSchemaVersion;
}

int64_t Store::begin_run(const RunInfo& info) {
    Statement s(*c_, "INSERT INTO runs(uid, kind, params, params_hash, version, host, started_at, units_total, status) "
                     "VALUES (?,?,?,?,?,?,?,?,'running')");
    s.bind(1, random_uid()).bind(2, info.kind).bind(3, info.params).bind(4, params_hash(info.params));
    s.bind(5, info.version).bind(6, hostname()).bind(7, utc_now()).bind(8, info.units_total);
    s.run();
    return sqlite3_last_insert_rowid(c_->get());
}

void Store::finish_run(int64_t run_id, const std::string& status, double wall_seconds, double cpu_seconds) {
    Statement s(*c_, "UPDATE runs SET finished_at = ?, status = ?, wall_seconds = coalesce(wall_seconds, 0) + ?, "
                     "cpu_seconds = coalesce(cpu_seconds, 0) + ? WHERE id = ?");
    s.bind(1, utc_now()).bind(2, status).bind(3, wall_seconds).bind(4, cpu_seconds).bind(5, run_id);
    s.run();
}

namespace {

RunRecord read_run(const Statement& s) {
    RunRecord r;
    r.id = s.int64(0);
    r.uid = s.text(1);
    r.kind = s.text(2);
    r.params = s.text(3);
    r.params_hash = s.text(4);
    r.version = s.text(5);
    r.status = s.text(6);
    if (!s.is_null(7)) r.units_total = s.int64(7);
    return r;
}

constexpr const char* kRunColumns = "id, uid, kind, params, params_hash, version, status, units_total";

}  // namespace

std::optional<RunRecord> Store::find_run(const std::string& kind, const std::string& params) const {
    Statement s(*c_, std::string("SELECT ") + kRunColumns +
                         " FROM runs WHERE kind = ? AND params_hash = ? AND params = ? ORDER BY id DESC LIMIT 1");
    s.bind(1, kind).bind(2, params_hash(params)).bind(3, params);
    if (!s.step()) return std::nullopt;
    return read_run(s);
}

std::optional<RunRecord> Store::run(int64_t run_id) const {
    Statement s(*c_, std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
    s.bind(1, run_id);
    if (!s.step()) return std::nullopt;
    return read_run(s);
}

std::set<uint64_t> Store::done_units(int64_t run_id) const {
    Statement s(*c_, "SELECT unit FROM work_units WHERE run_id = ? AND state = 'done'");
    s.bind(1, run_id);
    std::set<uint64_t> done;
    while (s.step()) done.insert(static_cast<uint64_t>(s.int64(0)));
    return done;
}

int64_t Store::conjecture_count(int64_t run_id) const {
    Statement s(*c_, "SELECT count(*) FROM conjectures WHERE run_id = ?");
    s.bind(1, run_id);
    return s.step() ? s.int64(0) : 0;
}

int64_t Store::pcf_id(const PcfRow& p) {
    if (auto id = cache_->find(p)) return *id;
    Statement& ins = st_->insert_pcf;
    bind_pcf(ins, 0, p);
    ins.run();
    if (sqlite3_changes(c_->get()) != 1) return existing_pcf_id(p);
    int64_t id = sqlite3_last_insert_rowid(c_->get());
    cache_->put(p, id);
    return id;
}

int64_t Store::existing_pcf_id(const PcfRow& p) {
    Statement& sel = st_->select_pcf;
    sel.bind_ref(1, p.a).bind_ref(2, p.b);
    if (!sel.step()) {
        sel.reset();
        throw DbError("internal error: PCF row vanished");
    }
    int64_t id = sel.int64(0);
    sel.reset();
    cache_->put(p, id);
    return id;
}

// The ids of many PCFs, inserting the new ones kRowsPerStatement to a statement. A new row of a
// rowid table gets max(id) + 1 (https://sqlite.org/autoinc.html), and this transaction holds the
// write lock, so when all rows of a statement are inserted their ids are max + 1 ... max + k; the
// count of changes and the last rowid confirm it, else each row (now all in the table) is looked up.
void Store::pcf_ids(const std::vector<const PcfRow*>& rows, std::vector<int64_t>& ids) {
    constexpr int k = kRowsPerStatement;
    ids.assign(rows.size(), 0);
    std::vector<size_t> missing;
    for (size_t i = 0; i < rows.size(); ++i) {
        if (auto id = cache_->find(*rows[i])) ids[i] = *id;
        else missing.push_back(i);
    }
    int64_t max_id = -1;  // max(id) of pcfs, while only the statements below insert; -1: not known
    size_t chunk[k];
    int n = 0;
    for (size_t next = 0; next < missing.size();) {
        n = 0;
        for (; next < missing.size() && n < k; ++next) {  // k rows the cache still does not know
            size_t i = missing[next];
            if (auto id = cache_->find(*rows[i])) ids[i] = *id;  // a duplicate, written since
            else chunk[n++] = i;
        }
        if (n < k) break;  // the rest one at a time below
        if (max_id < 0) {
            Statement& m = st_->max_pcf;
            m.step();
            max_id = m.is_null(0) ? 0 : m.int64(0);
            m.reset();
        }
        Statement& s = st_->insert_pcfs;
        for (int j = 0; j < k; ++j) bind_pcf(s, j * kPcfParams, *rows[chunk[j]]);
        s.run();
        if (max_id <= INT64_MAX - k && sqlite3_changes(c_->get()) == k &&
            sqlite3_last_insert_rowid(c_->get()) == max_id + k) {
            for (int j = 0; j < k; ++j) {
                ids[chunk[j]] = max_id + 1 + j;
                cache_->put(*rows[chunk[j]], ids[chunk[j]]);
            }
            max_id += k;
        } else {  // some existed, or a PCF came twice
            for (int j = 0; j < k; ++j) ids[chunk[j]] = existing_pcf_id(*rows[chunk[j]]);
            max_id = -1;
        }
        n = 0;
    }
    for (int j = 0; j < n; ++j) ids[chunk[j]] = pcf_id(*rows[chunk[j]]);
}

void Store::write(const Batch& batch) {
    if (!st_) throw DbError("the database was opened read-only");
    Transaction tx(*c_);
    try {
        write_rows(batch);
        tx.commit();
    } catch (...) {
        cache_->clear();  // its new PCFs are rolled back with the transaction
        st_->reset_all();
        throw;
    }
}

void Store::write_rows(const Batch& batch) {
    const size_t ne = batch.evaluations.size(), nc = batch.conjectures.size();
    std::vector<const PcfRow*> pcfs;
    pcfs.reserve(ne + nc);
    for (const EvaluationRow& e : batch.evaluations) pcfs.push_back(&e.pcf);
    for (const ConjectureRow& k : batch.conjectures) pcfs.push_back(&k.pcf);
    std::vector<int64_t> ids;
    pcf_ids(pcfs, ids);

    constexpr size_t k = kRowsPerStatement;
    size_t i = 0;
    for (; i + k <= ne; i += k) {
        Statement& s = st_->insert_evals;
        for (size_t j = 0; j < k; ++j)
            bind_evaluation(s, static_cast<int>(j) * kEvalParams, batch.evaluations[i + j], ids[i + j], batch.run_id);
        s.run();
    }
    for (; i < ne; ++i) {
        Statement& s = st_->insert_eval;
        bind_evaluation(s, 0, batch.evaluations[i], ids[i], batch.run_id);
        s.run();
    }
    for (size_t c = 0; c < nc; ++c) {
        const ConjectureRow& r = batch.conjectures[c];
        Statement& s = st_->insert_conj;
        s.bind(1, ids[ne + c]).bind(2, batch.run_id).bind_ref(3, r.method).bind_ref(4, r.constant);
        s.bind_ref(5, r.relation).bind_ref(6, r.relation_text).bind(7, r.digits_matched);
        s.bind(8, r.verification_depth).bind(9, r.certified_digits).bind(10, r.delta).bind(11, r.rate);
        s.bind_ref(12, r.convergence).bind_ref(13, r.status).bind_ref(14, r.family);
        s.run();
    }
    if (batch.unit) {
        const WorkUnitRow& u = *batch.unit;
        Statement& s = st_->insert_unit;
        s.bind(1, batch.run_id).bind(2, u.unit).bind(3, u.items).bind(4, u.candidates).bind(5, u.conjectures);
        s.bind(6, u.seconds).bind(7, utc_now());
        s.run();
    }
}

}  // namespace cvg::db
