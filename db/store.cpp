#include "db/store.hpp"

#include "db_schema_sql.hpp"  // generated from db/schema.sql: kSchemaSql

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
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

struct Store::Prepared {
    Statement insert_pcf, select_pcf, insert_eval, insert_conj, insert_unit;
    explicit Prepared(const Connection& c)
        : insert_pcf(c, "INSERT INTO pcfs(a, b, a_expr, b_expr, a_deg, b_deg) VALUES (?,?,?,?,?,?) "
                        "ON CONFLICT(a, b) DO NOTHING"),
          select_pcf(c, "SELECT id FROM pcfs WHERE a = ? AND b = ?"),
          insert_eval(c, "INSERT INTO evaluations(pcf_id, run_id, depth, converges, digits, value, value_approx, "
                         "limit_source, limit_depth, delta, delta_trajectory, rate, convergence, fr_k, fr_stable, "
                         "growth_nlogn, growth_n) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING"),
          insert_conj(c, "INSERT INTO conjectures(pcf_id, run_id, method, constant, relation, relation_text, "
                         "digits_matched, verification_depth, certified_digits, delta, rate, convergence, status, "
                         "family) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING"),
          insert_unit(c, "INSERT INTO work_units(run_id, unit, state, items, candidates, conjectures, seconds, "
                         "finished_at) VALUES (?,?,'done',?,?,?,?,?) ON CONFLICT DO NOTHING") {}
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

int64_t Store::pcf_id(const PcfRow& p) {
    Statement& ins = st_->insert_pcf;
    ins.bind(1, p.a).bind(2, p.b).bind(3, p.a_expr).bind(4, p.b_expr).bind(5, p.a_deg).bind(6, p.b_deg);
    ins.run();
    if (sqlite3_changes(c_->get()) == 1) return sqlite3_last_insert_rowid(c_->get());
    Statement& sel = st_->select_pcf;
    sel.bind(1, p.a).bind(2, p.b);
    if (!sel.step()) {
        sel.reset();
        throw DbError("internal error: PCF row vanished");
    }
    int64_t id = sel.int64(0);
    sel.reset();
    return id;
}

void Store::write(const Batch& batch) {
    if (!st_) throw DbError("the database was opened read-only");
    Transaction tx(*c_);
    for (const EvaluationRow& e : batch.evaluations) {
        Statement& s = st_->insert_eval;
        s.bind(1, pcf_id(e.pcf)).bind(2, batch.run_id).bind(3, e.depth).bind(4, e.converges).bind(5, e.digits);
        s.bind(6, e.value).bind(7, e.value_approx).bind(8, e.limit_source).bind(9, e.limit_depth);
        s.bind(10, e.delta).bind(11, e.delta_trajectory).bind(12, e.rate).bind(13, e.convergence).bind(14, e.fr_k);
        s.bind(15, e.fr_stable).bind(16, e.growth_nlogn).bind(17, e.growth_n);
        s.run();
    }
    for (const ConjectureRow& k : batch.conjectures) {
        Statement& s = st_->insert_conj;
        s.bind(1, pcf_id(k.pcf)).bind(2, batch.run_id).bind(3, k.method).bind(4, k.constant).bind(5, k.relation);
        s.bind(6, k.relation_text).bind(7, k.digits_matched).bind(8, k.verification_depth).bind(9, k.certified_digits);
        s.bind(10, k.delta).bind(11, k.rate).bind(12, k.convergence).bind(13, k.status).bind(14, k.family);
        s.run();
    }
    if (batch.unit) {
        const WorkUnitRow& u = *batch.unit;
        Statement& s = st_->insert_unit;
        s.bind(1, batch.run_id).bind(2, u.unit).bind(3, u.items).bind(4, u.candidates).bind(5, u.conjectures);
        s.bind(6, u.seconds).bind(7, utc_now());
        s.run();
    }
    tx.commit();
}

}  // namespace cvg::db
