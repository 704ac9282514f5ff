#include "db/checkpointer.hpp"
#include "db/merge.hpp"
#include "db/query.hpp"
#include "db/store.hpp"
#include "db/writer.hpp"
#include "db_schema_sql.hpp"
#include "tests/support/tempdir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

using namespace cvg::db;
using cvg::test::TempDir;

namespace {

PcfRow pcf(int k) {
    return PcfRow{"[" + std::to_string(k) + ",1]", "[0,1]", "n+" + std::to_string(k), "n", 1, 1};
}

Batch batch(int64_t run, uint64_t unit, int n_eval) {
    Batch b;
    b.run_id = run;
    for (int i = 0; i < n_eval; ++i) {
        EvaluationRow e;
        e.pcf = pcf(static_cast<int>(unit) * 1000 + i);
        e.depth = 100;
        e.converges = true;
        e.digits = 10 + i;
        e.value = "1.234";
        e.delta = 0.1 * i;
        b.evaluations.push_back(e);
    }
    ConjectureRow c;
    c.pcf = pcf(static_cast<int>(unit) * 1000);
    c.method = "mitm";
    c.constant = "pi";
    c.relation = R"({"basis":["1","pi"],"numerator":[0,4],"denominator":[1,0]})";
    c.relation_text = "(4*pi)/(1)";
    c.digits_matched = 100 + static_cast<long>(unit);
    c.verification_depth = 1000;
    b.conjectures.push_back(c);
    b.unit = WorkUnitRow{unit, n_eval, 1, 1, 0.5};
    return b;
}

int64_t count(Store& s, const char* table) {
    Statement st(s.connection(), std::string("SELECT count(*) FROM ") + table);
    st.step();
    return st.int64(0);
}

}  // namespace

TEST_CASE("store: creates the schema, writes batches, never duplicates rows", "[store]") {
    TempDir tmp;
    std::string path = tmp.path("a.db");
    {
        Store s(path, Store::Open::read_write);
        CHECK(s.schema_version() == kSchemaVersion);
        int64_t run = s.begin_run({"search", R"({"x":1})", "test", 4});
        s.write(batch(run, 0, 5));
        s.write(batch(run, 1, 5));
        s.write(batch(run, 0, 5));  // the same unit again: nothing new
        CHECK(count(s, "pcfs") == 10);
        CHECK(count(s, "evaluations") == 10);
        CHECK(count(s, "conjectures") == 2);
        CHECK(count(s, "work_units") == 2);
        CHECK(s.done_units(run) == std::set<uint64_t>{0, 1});
        auto found = s.find_run("search", R"({"x":1})");
        REQUIRE(found);
        CHECK(found->id == run);
        CHECK(found->units_total == 4);
        CHECK_FALSE(s.find_run("search", R"({"x":2})"));
        s.finish_run(run, "finished", 1.5, 2.5);
        CHECK(s.run(run)->status == "finished");
    }
    // reopening read-only sees the same rows and cannot write
    Store r(path, Store::Open::read_only);
    CHECK(count(r, "evaluations") == 10);
    CHECK_THROWS_AS(r.write(Batch{}), DbError);
}

TEST_CASE("store: a failed batch leaves nothing behind", "[store]") {
    TempDir tmp;
    Store s(tmp.path("a.db"), Store::Open::read_write);
    int64_t run = s.begin_run({"search", "{}", "test", {}});
    Batch b = batch(run, 7, 3);
    b.run_id = run;
    s.connection().exec("CREATE TRIGGER boom BEFORE INSERT ON work_units BEGIN SELECT RAISE(ABORT, 'injected'); END");
    CHECK_THROWS_AS(s.write(b), DbError);
    CHECK(count(s, "evaluations") == 0);
    CHECK(count(s, "pcfs") == 0);
    CHECK(s.done_units(run).empty());
}

TEST_CASE("store: files that are not Convergent databases are refused untouched", "[store]") {
    TempDir tmp;
    std::string junk = tmp.path("junk.db");
    std::string text(5000, 'x');
    cvg::test::write_file(junk, text);
    try {
        Store s(junk, Store::Open::read_write);
        FAIL("opened a text file");
    } catch (const DbError& e) {
        CHECK(e.bad_input());
        CHECK_THAT(e.what(), Catch::Contains("not an SQLite database"));
    }
    CHECK(cvg::test::read_file(junk) == text);

    std::string newer = tmp.path("newer.db");
    {
        Connection c(newer, Connection::Mode::read_write);
        c.exec("CREATE TABLE t(x); PRAGMA user_version = 99;");
    }
    std::string before = cvg::test::read_file(newer);
    try {
        Store s(newer, Store::Open::read_write);
        FAIL("opened a newer schema");
    } catch (const DbError& e) {
        CHECK(e.bad_input());
        CHECK_THAT(e.what(), Catch::Contains("schema version 99"));
    }
    CHECK(cvg::test::read_file(newer) == before);

    std::string other = tmp.path("other.db");
    {
        Connection c(other, Connection::Mode::read_write);
        c.exec("CREATE TABLE mine(x)");
    }
    CHECK_THROWS_WITH(Store(other, Store::Open::read_write), Catch::Contains("not a Convergent database"));
    CHECK_THROWS_WITH(Store(tmp.path("missing.db"), Store::Open::read_only), Catch::Contains("no database"));
}

TEST_CASE("store: the writer thread commits every submitted batch", "[store]") {
    TempDir tmp;
    Store s(tmp.path("w.db"), Store::Open::read_write);
    int64_t run = s.begin_run({"blind", "{}", "test", {}});
    int committed = 0;
    {
        Writer w(s, 4);
        w.on_commit([&](const Batch&) { ++committed; });
        for (uint64_t u = 0; u < 50; ++u) w.submit(batch(run, u, 20));
        w.close();
    }
    CHECK(committed == 50);
    CHECK(count(s, "evaluations") == 1000);
    CHECK(s.done_units(run).size() == 50);
}

TEST_CASE("store: a write error stops the writer and reaches the submitter", "[store]") {
    TempDir tmp;
    Store s(tmp.path("w.db"), Store::Open::read_write);
    int64_t run = s.begin_run({"blind", "{}", "test", {}});
    s.connection().exec("CREATE TRIGGER boom BEFORE INSERT ON work_units WHEN NEW.unit = 3 "
                        "BEGIN SELECT RAISE(ABORT, 'injected'); END");
    Writer w(s, 2);
    bool thrown = false;
    try {
        for (uint64_t u = 0; u < 20; ++u) w.submit(batch(run, u, 2));
        w.close();
    } catch (const DbError&) {
        thrown = true;
    }
    CHECK(thrown);
    CHECK(s.done_units(run) == std::set<uint64_t>{0, 1, 2});
}

TEST_CASE("query: filters, whitelisted sorting, bound parameters", "[store]") {
    TempDir tmp;
    Store s(tmp.path("q.db"), Store::Open::read_write);
    int64_t run = s.begin_run({"search", "{}", "test", {}});
    for (uint64_t u = 0; u < 3; ++u) s.write(batch(run, u, 4));
    QueryOptions q;
    Table t = run_query(s, q);
    REQUIRE(t.rows.size() == 3);
    CHECK(std::get<int64_t>(t.rows[0][t.column("digits_matched")]) == 102);  // default: most digits first
    q.constant = "e";
    CHECK(run_query(s, q).rows.empty());
    q.constant = "pi";
    q.min_digits = 101;
    CHECK(run_query(s, q).rows.size() == 2);

    QueryOptions ev;
    ev.what = "evaluations";
    ev.sort = "delta";
    ev.limit = 2;
    Table te = run_query(s, ev);
    REQUIRE(te.rows.size() == 2);
    CHECK(std::get<double>(te.rows[0][te.column("delta")]) == Approx(0.3));
    ev.min_delta = 0.25;
    ev.limit = 0;
    CHECK(run_query(s, ev).rows.size() == 3);

    QueryOptions bad;
    bad.sort = "id; DROP TABLE pcfs";
    CHECK_THROWS_WITH(run_query(s, bad), Catch::Contains("unknown column"));
    bad.sort = "";
    bad.constant = "pi' OR '1'='1";
    CHECK(run_query(s, bad).rows.empty());  // a bound parameter, not SQL
    QueryOptions runs;
    runs.what = "runs";
    Table tr = run_query(s, runs);
    REQUIRE(tr.rows.size() == 1);
    CHECK(std::get<int64_t>(tr.rows[0][tr.column("units_done")]) == 3);
}

TEST_CASE("store: a version-1 database is migrated to the current schema, its rows kept", "[store]") {
    TempDir tmp;
    std::string path = tmp.path("v1.db");
    {
        Connection c(path, Connection::Mode::read_write);
        c.exec(cvg::db::kSchemaSql);  // exactly what version 1 created
        c.exec("PRAGMA user_version = 1");
        c.exec("INSERT INTO pcfs(a, b, a_expr, b_expr, a_deg, b_deg) VALUES ('[1]', '[1]', '1', '1', 0, 0)");
    }
    Store s(path, Store::Open::read_write);
    CHECK(s.schema_version() == kSchemaVersion);
    CHECK(count(s, "pcfs") == 1);
    CHECK(count(s, "clusters") == 0);  // the version-2 tables exist
    CHECK(count(s, "cluster_members") == 0);
    Statement v(s.connection(), "PRAGMA user_version");
    v.step();
    CHECK(v.int64(0) == kSchemaVersion);
}

TEST_CASE("store: value is the last column of evaluations; merge reads older layouts by name", "[store]") {
    TempDir tmp;
    std::string old_path = tmp.path("old.db");
    {   // version 1 as databases created before value moved to the end laid it out
        Connection c(old_path, Connection::Mode::read_write);
        c.exec(cvg::db::kSchemaSql);
        c.exec("DROP TABLE evaluations");
        c.exec("CREATE TABLE evaluations (pcf_id INTEGER NOT NULL, run_id INTEGER NOT NULL, depth INTEGER NOT NULL, "
               "converges INTEGER NOT NULL, digits INTEGER NOT NULL, value TEXT, value_approx REAL, "
               "limit_source TEXT NOT NULL, limit_depth INTEGER, delta REAL, delta_trajectory TEXT, rate REAL, "
               "convergence TEXT, fr_k REAL, fr_stable INTEGER, growth_nlogn REAL, growth_n REAL, "
               "PRIMARY KEY (pcf_id, depth, limit_source)) WITHOUT ROWID");
        c.exec("PRAGMA user_version = 1");
        c.exec("INSERT INTO runs(id, uid, kind, params, params_hash, version, started_at) "
               "VALUES (1, 'u1', 'eval', '{}', 'h', 'v', 'now')");
        c.exec("INSERT INTO pcfs(id, a, b, a_expr, b_expr, a_deg, b_deg) VALUES (1, '[1,2]', '[0,-1]', '2n+1', '-n', 1, 1)");
        c.exec("INSERT INTO evaluations VALUES (1, 1, 300, 1, 7, '0.7853981', 0.785, 'blind', 600, 0.25, '[[300,0.25]]', "
               "1.5, 'exponential', 0.125, 0, 0.5, -0.75)");
    }
    std::string new_path = tmp.path("new.db");
    Store target(new_path, Store::Open::read_write);
    Statement cols(target.connection(), "SELECT name FROM pragma_table_info('evaluations') ORDER BY cid DESC LIMIT 1");
    REQUIRE(cols.step());
    CHECK(cols.text(0) == "value");
    MergeReport r = merge(target, {old_path});
    REQUIRE(r.parts.size() == 1);
    CHECK(r.parts[0].evaluations == 1);
    Statement e(target.connection(), "SELECT depth, converges, digits, value, value_approx, limit_source, limit_depth, "
                                     "delta, delta_trajectory, rate, convergence, fr_k, fr_stable, growth_nlogn, "
                                     "growth_n FROM evaluations");
    REQUIRE(e.step());
    CHECK(e.int64(0) == 300);
    CHECK(e.int64(1) == 1);
    CHECK(e.int64(2) == 7);
    CHECK(e.text(3) == "0.7853981");
    CHECK(e.real(4) == 0.785);
    CHECK(e.text(5) == "blind");
    CHECK(e.int64(6) == 600);
    CHECK(e.real(7) == 0.25);
    CHECK(e.text(8) == "[[300,0.25]]");
    CHECK(e.real(9) == 1.5);
    CHECK(e.text(10) == "exponential");
    CHECK(e.real(11) == 0.125);
    CHECK(e.int64(12) == 0);
    CHECK(e.real(13) == 0.5);
    CHECK(e.real(14) == -0.75);
}

namespace {

// An evaluation whose digits mark it, so its row can be found again.
EvaluationRow marked(const PcfRow& p, long mark, uint64_t depth = 100) {
    EvaluationRow e;
    e.pcf = p;
    e.depth = depth;
    e.digits = mark;
    e.limit_source = "blind";
    e.value = "0." + std::to_string(mark);
    return e;
}

// Every evaluation points at the PCF it was written with (by its a and b) and the ids are unique.
void check_pcf_links(Store& s, const std::vector<EvaluationRow>& rows) {
    Statement q(s.connection(), "SELECT p.a, p.b FROM evaluations e JOIN pcfs p ON p.id = e.pcf_id "
                                "WHERE e.digits = ? AND e.depth = ?");
    for (const EvaluationRow& e : rows) {
        q.bind(1, static_cast<int64_t>(e.digits)).bind(2, e.depth);
        REQUIRE(q.step());
        CHECK(q.text(0) == e.pcf.a);
        CHECK(q.text(1) == e.pcf.b);
        q.reset();
    }
    Statement u(s.connection(), "SELECT count(*), count(DISTINCT a || ';' || b) FROM pcfs");
    u.step();
    CHECK(u.int64(0) == u.int64(1));
}

}  // namespace

TEST_CASE("store: PCF ids are right across multi-row statements, other connections and restarts", "[store]") {
    TempDir tmp;
    std::string path = tmp.path("ids.db");
    const int k = Store::kRowsPerStatement;
    const int n = 3 * k + 5;  // full statements and a remainder
    std::vector<EvaluationRow> all;
    {
        Store s(path, Store::Open::read_write);
        int64_t run = s.begin_run({"blind", "{}", "test", {}});
        Batch b;
        b.run_id = run;
        for (int i = 0; i < n; ++i) b.evaluations.push_back(marked(pcf(i), i));
        b.evaluations.push_back(marked(pcf(3), 1000, 200));  // a PCF twice in one batch
        ConjectureRow c;
        c.pcf = pcf(7);
        c.method = "blind";
        c.constant = "pi";
        c.relation = "{}";
        c.relation_text = "pi";
        b.conjectures.push_back(c);
        s.write(b);
        all = b.evaluations;
        CHECK(count(s, "pcfs") == n);
        CHECK(count(s, "evaluations") == n + 1);
        check_pcf_links(s, all);
        {
            Statement cj(s.connection(), "SELECT p.a FROM conjectures c JOIN pcfs p ON p.id = c.pcf_id");
            REQUIRE(cj.step());
            CHECK(cj.text(0) == pcf(7).a);
        }

        // another connection adds PCFs this Store has not seen, in the middle of the next batch's
        // statements, and moves max(id) far ahead
        {
            Connection other(path, Connection::Mode::read_write);
            sqlite3_busy_timeout(other.get(), 5000);
            other.exec("INSERT INTO pcfs(id, a, b, a_expr, b_expr, a_deg, b_deg) VALUES "
                       "(5000, '[2005,1]', '[0,1]', 'n+2005', 'n', 1, 1), (3000, '[x]', '[y]', 'x', 'y', 0, 0)");
            other.exec("INSERT INTO pcfs(a, b, a_expr, b_expr, a_deg, b_deg) VALUES ('[2040,1]', '[0,1]', 'n+2040', 'n', 1, 1)");
        }
        Batch b2;
        b2.run_id = run;
        for (int i = 2000; i < 2000 + n; ++i) b2.evaluations.push_back(marked(pcf(i), i));
        for (int i = 0; i < k; ++i) b2.evaluations.push_back(marked(pcf(i), 3000 + i, 300));  // known ones
        s.write(b2);
        s.write(b2);  // again: nothing new
        all.insert(all.end(), b2.evaluations.begin(), b2.evaluations.end());
        CHECK(count(s, "pcfs") == n + 1 + n);  // '[x]' is one more; 2005 and 2040 were there
        CHECK(count(s, "evaluations") == n + 1 + n + k);
        check_pcf_links(s, all);
    }
    // a new process: nothing cached, every PCF already stored
    Store s(path, Store::Open::existing);
    int64_t run = s.begin_run({"blind", "{\"depth\":400}", "test", {}});
    Batch b3;
    b3.run_id = run;
    for (int i = 0; i < n; ++i) b3.evaluations.push_back(marked(pcf(i), 4000 + i, 400));
    for (int i = 2000; i < 2000 + 2 * k; ++i) b3.evaluations.push_back(marked(pcf(i), 4000 + i, 400));
    int64_t pcfs_before = count(s, "pcfs");
    s.write(b3);
    all.insert(all.end(), b3.evaluations.begin(), b3.evaluations.end());
    CHECK(count(s, "pcfs") == pcfs_before);
    check_pcf_links(s, all);
}

TEST_CASE("store: ids of a rolled-back batch are not reused from the cache", "[store]") {
    TempDir tmp;
    std::string path = tmp.path("rb.db");
    Store s(path, Store::Open::read_write);
    int64_t run = s.begin_run({"blind", "{}", "test", {}});
    Batch b;
    b.run_id = run;
    for (int i = 0; i < 2 * Store::kRowsPerStatement + 3; ++i) b.evaluations.push_back(marked(pcf(i), i));
    b.unit = WorkUnitRow{0, 1, 0, 0, 0.0};
    s.connection().exec("CREATE TRIGGER boom BEFORE INSERT ON work_units BEGIN SELECT RAISE(ABORT, 'injected'); END");
    CHECK_THROWS_AS(s.write(b), DbError);
    CHECK(count(s, "pcfs") == 0);
    s.connection().exec("DROP TRIGGER boom");
    {  // other PCFs take the ids the failed batch had
        Connection other(path, Connection::Mode::read_write);
        sqlite3_busy_timeout(other.get(), 5000);
        for (int i = 0; i < 200; ++i)
            other.exec(("INSERT INTO pcfs(a, b, a_expr, b_expr, a_deg, b_deg) VALUES ('[o" + std::to_string(i) +
                        "]', '[0]', 'o', '0', 0, 0)").c_str());
    }
    s.write(b);
    check_pcf_links(s, b.evaluations);
    CHECK(count(s, "pcfs") == 200 + static_cast<int64_t>(b.evaluations.size()));
}

TEST_CASE("store: the checkpointer keeps the WAL bounded and never blocks on a reader", "[store]") {
    TempDir tmp;
    std::string path = tmp.path("ck.db");
    Store s(path, Store::Open::read_write);
    int64_t run = s.begin_run({"blind", "{}", "test", {}});
    auto wal_bytes = [&] {
        std::error_code ec;
        auto n = std::filesystem::file_size(path + "-wal", ec);
        return ec ? uintmax_t{0} : n;
    };
    uintmax_t biggest = 0;
    int64_t runs = 0;
    {
        Checkpointer cp(s, 20, 60);
        for (uint64_t u = 0; u < 40; ++u) {
            s.write(batch(run, u, 200));
            biggest = std::max(biggest, wal_bytes());
        }
        runs = cp.checkpoints();
        // a reader holding an old snapshot: checkpoints cannot finish, the writer must go on
        Connection reader(path, Connection::Mode::read_only);
        reader.exec("BEGIN");
        Statement before(reader, "SELECT count(*) FROM evaluations");
        before.step();
        int64_t seen = before.int64(0);
        before.reset();
        for (uint64_t u = 40; u < 60; ++u) s.write(batch(run, u, 200));
        Statement again(reader, "SELECT count(*) FROM evaluations");
        again.step();
        CHECK(again.int64(0) == seen);  // its snapshot
        again.reset();
        reader.exec("COMMIT");
    }
    CHECK(runs > 0);
    CHECK(biggest < uintmax_t{4} << 20);  // far below the 40 batches' worth of pages
    CHECK(count(s, "evaluations") == 60 * 200);
    CHECK(quick_check(s.connection()) == "ok");
    s.write(batch(run, 60, 10));  // automatic checkpoints again after it
    CHECK(s.done_units(run).size() == 61);
}
