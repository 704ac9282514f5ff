// End-to-end: eval --metrics / --db and query, including databases that are broken, newer,
// read-only, locked or on a full disk.
#include "tests/support/run.hpp"
#include "tests/support/tempdir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

using cvg::test::run_convergent;
using cvg::test::run_process;
using cvg::test::TempDir;
using Json = nlohmann::json;

namespace {

const std::vector<std::string> kApery = {"--a", "34n^3+51n^2+27n+5", "--b", "-n^6"};

std::vector<std::string> args(std::vector<std::string> head, const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

int64_t count_rows(const std::string& db, const char* table) {
    sqlite3* h = nullptr;
    sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(h, (std::string("SELECT count(*) FROM ") + table).c_str(), -1, &s, nullptr);
    int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close(h);
    return n;
}

}  // namespace

TEST_CASE("cli eval --metrics: delta, trajectory and the other keys", "[cli]") {
    auto r = run_convergent(args({"eval"}, {"--a", "34n^3+51n^2+27n+5", "--b", "-n^6", "--depth", "500", "--metrics",
                                            "--limit", "6/zeta3", "--json"}));
    REQUIRE(r.exit_code == 0);
    Json o = Json::parse(r.out);
    CHECK(o["delta"].get<double>() == Approx(0.0858).margin(0.005));
    REQUIRE(o["delta_trajectory"].size() == 10);
    CHECK(o["delta_trajectory"][9][0] == 500);
    CHECK(o["rate"].get<double>() == Approx(3.062).margin(0.01));
    CHECK(o["convergence"] == "exponential");
    CHECK(o["fr_stable"] == true);
    CHECK(o["fr_k"].get<double>() > 2.0);
    CHECK(o["growth"].contains("n_log_n"));
    CHECK(o["limit_source"] == "given:6/zeta3");

    auto blind = run_convergent({"eval", "--a", "2", "--b", "1", "--depth", "1000", "--metrics", "--json"});
    REQUIRE(blind.exit_code == 0);
    Json b = Json::parse(blind.out);
    CHECK(b["limit_source"] == "blind");
    CHECK(b["limit_depth"].get<int>() > 1000);
    CHECK(b["limit_depth"].get<int>() <= 2000);
    CHECK(b["limit_reliable"] == true);
    CHECK(b["delta"].get<double>() == Approx(1.001).margin(0.005));

    auto text = run_convergent({"eval", "--a", "2", "--b", "(2n-1)^2", "--depth", "1000", "--metrics", "--limit", "4/pi+1"});
    REQUIRE(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("delta       -0.99"));
    CHECK_THAT(text.out, Catch::Contains("(polynomial)"));

    auto bad = run_convergent({"eval", "--a", "2", "--b", "1", "--metrics", "--limit", "6/zeta"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("--limit"));

    // --constant: the limit is the Moebius transform of the constant that identify finds
    auto byname = run_convergent(args({"eval"}, {"--a", "34n^3+51n^2+27n+5", "--b", "-n^6", "--depth", "500",
                                                 "--metrics", "--constant", "zeta3", "--json"}));
    REQUIRE(byname.exit_code == 0);
    Json z = Json::parse(byname.out);
    CHECK(z["limit_source"] == "constant:zeta3");
    CHECK(z["limit"] == "6/zeta3");
    CHECK(z["delta"].get<double>() == Approx(o["delta"].get<double>()).margin(1e-9));
    auto other = run_convergent({"eval", "--a", "1", "--b", "1", "--depth", "500", "--metrics", "--constant", "pi"});
    CHECK(other.exit_code == 1);
    CHECK_THAT(other.err, Catch::Contains("no Moebius transform of pi"));
    auto unknown = run_convergent({"eval", "--a", "1", "--b", "1", "--metrics", "--constant", "tau"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("--constant"));
}

TEST_CASE("cli eval --db then query in every format", "[cli]") {
    TempDir tmp;
    std::string db = tmp.path("r.db");
    REQUIRE(run_convergent(args({"eval"}, {"--a", "1", "--b", "1", "--depth", "1000", "--metrics", "--db", db})).exit_code == 0);
    REQUIRE(run_convergent(args(args({"eval"}, kApery), {"--digits", "100", "--db", db})).exit_code == 0);
    CHECK(count_rows(db, "evaluations") == 2);
    CHECK(count_rows(db, "runs") == 2);
    // the same evaluation again adds a run but no duplicate evaluation
    REQUIRE(run_convergent(args(args({"eval"}, kApery), {"--digits", "100", "--db", db})).exit_code == 0);
    CHECK(count_rows(db, "evaluations") == 2);

    auto table = run_convergent({"query", "--db", db, "--what", "evaluations"});
    REQUIRE(table.exit_code == 0);
    CHECK_THAT(table.out, Catch::Contains("5 - 1/(117 - 64/(535 - 729/(1463 + ...)))"));
    CHECK_THAT(table.out, Catch::Contains("(2 rows)"));

    auto json = run_convergent({"query", "--db", db, "--what", "evaluations", "--format", "json", "--sort", "digits"});
    REQUIRE(json.exit_code == 0);
    Json a = Json::parse(json.out);
    REQUIRE(a.size() == 2);
    CHECK(a[0]["a_expr"] == "1");          // 835 digits at depth 1000 beats 100
    CHECK(a[0]["delta"].get<double>() == Approx(1.0008).margin(0.001));
    CHECK(a[1]["value"].get<std::string>().substr(0, 12) == "4.9914442354");

    auto csv = run_convergent({"query", "--db", db, "--what", "evaluations", "--format", "csv", "--limit", "1"});
    REQUIRE(csv.exit_code == 0);
    CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 2);
    CHECK(csv.out.rfind("id,a_expr,b_expr", 0) == 0);

    auto latex = run_convergent({"query", "--db", db, "--what", "evaluations", "--format", "latex"});
    REQUIRE(latex.exit_code == 0);
    CHECK_THAT(latex.out, Catch::Contains("\\cfrac{1}{117 - \\cfrac{64}{535"));
    CHECK_THAT(latex.out, Catch::Contains("a(n) = 34n^{3}+51n^{2}+27n+5"));

    auto runs = run_convergent({"query", "--db", db, "--what", "runs"});
    REQUIRE(runs.exit_code == 0);
    CHECK_THAT(runs.out, Catch::Contains("(3 rows)"));

    auto empty = run_convergent({"query", "--db", db});  // no conjectures yet
    REQUIRE(empty.exit_code == 0);
    CHECK_THAT(empty.out, Catch::Contains("(0 rows)"));
}

TEST_CASE("cli query: bad arguments and bad databases", "[cli]") {
    TempDir tmp;
    std::string db = tmp.path("r.db");
    REQUIRE(run_convergent(args(args({"eval"}, kApery), {"--digits", "30", "--db", db})).exit_code == 0);

    struct Case { std::vector<std::string> a; std::string needle; };
    for (const Case& c : std::vector<Case>{
             {{"query", "--db", db, "--sort", "nonsense"}, "--sort"},
             {{"query", "--db", db, "--what", "things"}, "--what"},
             {{"query", "--db", db, "--format", "xml"}, "--format"},
             {{"query", "--db", db, "--constant", "tau!"}, "--constant"},
             {{"query", "--db", db, "--constant", "PI"}, "unknown constant 'PI' (known: pi, e, log2"},
             {{"query", "--db", db, "--constant", "pie"}, "--constant: unknown constant 'pie'"},
             {{"query", "--db", db, "--what", "clusters", "--constant", "PI"}, "--constant: unknown constant 'PI'"},
             {{"query", "--db", db, "--min-delta", "nan"}, "--min-delta: must be a finite number"},
             {{"query", "--db", db, "--what", "evaluations", "--min-delta", "inf"}, "--min-delta"},
             {{"query", "--db", db, "--min-delta", "-inf"}, "--min-delta"},
             {{"query", "--db", db, "--what", "runs", "--min-digits", "3"}, "--min-digits"},
             {{"query", "--db", tmp.path("missing.db")}, "no database"},
         }) {
        auto r = run_convergent(c.a);
        INFO(c.needle);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::Contains(c.needle));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }

    std::string junk = tmp.path("junk.db");
    cvg::test::write_file(junk, std::string(3000, 'z'));
    for (auto cmd : {std::vector<std::string>{"query", "--db", junk},
                     args(args({"eval"}, kApery), {"--digits", "20", "--db", junk})}) {
        auto r = run_convergent(cmd);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains("not an SQLite database"));
    }
    CHECK(cvg::test::read_file(junk) == std::string(3000, 'z'));

    std::string newer = tmp.path("newer.db");
    REQUIRE(run_process({"sqlite3", newer, "CREATE TABLE t(x); PRAGMA user_version = 7;"}).exit_code == 0);
    std::string before = cvg::test::read_file(newer);
    auto r = run_convergent(args(args({"eval"}, kApery), {"--digits", "20", "--db", newer}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("newer than this convergent"));
    CHECK(cvg::test::read_file(newer) == before);
}

TEST_CASE("cli eval --db: read-only, locked and full databases fail cleanly, data intact", "[cli]") {
    TempDir tmp;
    std::string db = tmp.path("r.db");
    REQUIRE(run_convergent(args(args({"eval"}, kApery), {"--digits", "30", "--db", db})).exit_code == 0);
    const std::vector<std::string> write = {"eval", "--a", "1", "--b", "1", "--digits", "30", "--db", db};

    SECTION("read-only file") {
        REQUIRE(chmod(db.c_str(), 0444) == 0);
        // root ignores file modes: drop CAP_DAC_OVERRIDE so the mode applies
        std::vector<std::string> cmd = {cvg::test::convergent_binary()};
        if (geteuid() == 0) cmd = {"setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search", cvg::test::convergent_binary()};
        cmd.insert(cmd.end(), write.begin(), write.end());
        auto r = run_process(cmd);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("read-only") || Catch::Contains("unable to open"));
        chmod(db.c_str(), 0644);
        CHECK(count_rows(db, "evaluations") == 1);
    }
    SECTION("locked by another process") {
        sqlite3* h = nullptr;
        REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
        REQUIRE(sqlite3_exec(h, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
        std::vector<std::string> cmd = {cvg::test::convergent_binary()};
        cmd.insert(cmd.end(), write.begin(), write.end());
        auto r = run_process(cmd, 60, "", {"CONVERGENT_BUSY_TIMEOUT_MS=300"});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("locked"));
        sqlite3_exec(h, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(h);
        CHECK(count_rows(db, "evaluations") == 1);
    }
    SECTION("full disk") {
        // a 200 KiB file system (root, private mount namespace) or a 200 KiB file size limit
        std::string small = tmp.path("small");
        REQUIRE(mkdir(small.c_str(), 0755) == 0);
        std::string sdb = small + "/full.db";
        std::string script;
        if (geteuid() == 0 && run_process({"unshare", "-m", "true"}).exit_code == 0) {
            script = "mount -t tmpfs -o size=200k tmpfs '" + small + "' && "
                     "'" + cvg::test::convergent_binary() + "' eval --a 2 --b 1 --depth 100 --db '" + sdb + "' && "
                     "'" + cvg::test::convergent_binary() + "' eval --a 3 --b 1 --depth 400000 --db '" + sdb + "'; "
                     "rc=$?; sqlite3 '" + sdb + "' 'SELECT count(*) FROM evaluations; PRAGMA integrity_check;'; exit $rc";
            auto r = run_process({"unshare", "-m", "sh", "-c", script}, 120);
            CHECK(r.exit_code == 1);
            CHECK_THAT(r.err, Catch::Contains("disk is full"));
            CHECK_THAT(r.out, Catch::Contains("1\nok"));
        } else {
            script = "ulimit -f 200; trap '' XFSZ; "
                     "'" + cvg::test::convergent_binary() + "' eval --a 2 --b 1 --depth 100 --db '" + sdb + "' && "
                     "'" + cvg::test::convergent_binary() + "' eval --a 3 --b 1 --depth 400000 --db '" + sdb + "'";
            auto r = run_process({"sh", "-c", script}, 120);
            CHECK(r.exit_code == 1);
            CHECK_THAT(r.err, Catch::Contains("I/O error") || Catch::Contains("disk is full"));
            CHECK(count_rows(sdb, "evaluations") == 1);
        }
    }
    SECTION("a new database that cannot be written is not left behind") {
        std::string fresh = tmp.path("fresh.db");
        auto r = run_process({"bash", "-c", "ulimit -f 0; trap '' XFSZ; '" + cvg::test::convergent_binary() +
                                                "' eval --a 2 --b 1 --depth 100 --db '" + fresh + "'"});
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Catch::Contains("File too large"));
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) CHECK(access((fresh + suffix).c_str(), F_OK) != 0);
    }
}

TEST_CASE("cli query --what evaluations: trajectory, numeric value order, the same rows with --limit", "[cli]") {
    TempDir tmp;
    std::string db = tmp.path("r.db");
    for (const char* a : {"2", "4", "12", "-3"})
        REQUIRE(run_convergent({"eval", "--a", a, "--b", "1", "--depth", "100", "--metrics", "--db", db}).exit_code == 0);

    // the trajectory as stored: a JSON array in JSON, its JSON text in CSV
    auto json = run_convergent({"query", "--db", db, "--what", "evaluations", "--format", "json"});
    REQUIRE(json.exit_code == 0);
    Json a = Json::parse(json.out);
    REQUIRE(a.size() == 4);
    REQUIRE(a[0]["delta_trajectory"].is_array());
    REQUIRE(a[0]["delta_trajectory"].size() == 10);
    CHECK(a[0]["delta_trajectory"][9][0] == 100);
    CHECK(a[0]["delta_trajectory"][9][1].get<double>() == Approx(a[0]["delta"].get<double>()));
    auto csv = run_convergent({"query", "--db", db, "--what", "evaluations", "--format", "csv", "--limit", "1"});
    REQUIRE(csv.exit_code == 0);
    CHECK_THAT(csv.out, Catch::Contains(",delta,delta_trajectory,rate,"));
    CHECK_THAT(csv.out, Catch::Contains(",\"[[4,1.30872609880416],[6,"));

    // value sorts as a number: 12.08 > 4.24 > 2.41 > -3.30 (as text: 4.2 > 2.4 > 12.0 > -3.3)
    auto order = [&](std::vector<std::string> extra) {
        auto r = run_convergent(args({"query", "--db", db, "--what", "evaluations", "--format", "json"}, extra));
        REQUIRE(r.exit_code == 0);
        std::vector<std::string> out;
        for (const auto& row : Json::parse(r.out)) out.push_back(row["a_expr"]);
        return out;
    };
    CHECK(order({"--sort", "value"}) == std::vector<std::string>{"12", "4", "2", "-3"});
    CHECK(order({"--sort", "value", "--asc"}) == std::vector<std::string>{"-3", "2", "4", "12"});
    CHECK(order({"--sort", "value", "--limit", "2"}) == std::vector<std::string>{"12", "4"});

    // with --limit the rows are chosen on the narrow columns, then read whole: the first rows of the
    // query without it, every column the same
    for (std::vector<std::string> sort : {std::vector<std::string>{}, {"--sort", "delta"}, {"--sort", "delta", "--asc"},
                                          {"--sort", "digits"}, {"--sort", "rate", "--min-delta", "1.0101"}}) {
        INFO(Json(sort).dump());
        auto all = run_convergent(args({"query", "--db", db, "--what", "evaluations", "--format", "json"}, sort));
        auto two = run_convergent(
            args({"query", "--db", db, "--what", "evaluations", "--format", "json", "--limit", "2"}, sort));
        REQUIRE(all.exit_code == 0);
        REQUIRE(two.exit_code == 0);
        Json x = Json::parse(all.out), y = Json::parse(two.out);
        REQUIRE(x.size() >= 2);
        CHECK(y == Json(std::vector<Json>{x[0], x[1]}));
    }
}

TEST_CASE("cli query --format latex: short values, every row, finite fractions", "[cli]") {
    TempDir tmp;
    std::string db = tmp.path("r.db");
    REQUIRE(run_convergent(args(args({"eval"}, kApery), {"--depth", "500", "--db", db})).exit_code == 0);
    REQUIRE(run_convergent({"eval", "--a", "1", "--b", "-n^2", "--depth", "100", "--db", db}).exit_code == 0);
    REQUIRE(run_convergent({"eval", "--a", "2", "--b", "n-3", "--depth", "100", "--db", db}).exit_code == 0);
    auto r = run_convergent({"query", "--db", db, "--what", "evaluations", "--format", "latex"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("% convergent query --what evaluations (3 rows)\n"));
    size_t equations = 0;
    for (size_t i = 0; (i = r.out.find("\\begin{equation}", i)) != std::string::npos; ++i) ++equations;
    CHECK(equations == 3);
    // 6/zeta(3) has some 1500 certain digits at depth 500: 50 are shown
    CHECK_THAT(r.out,
               Catch::Contains("\n  4.9914442354842448120987576729291844065023383864023\\ldots = 5 - \\cfrac{1}{117"));
    // no convergence: the fraction, said so
    CHECK_THAT(r.out, Catch::Contains("1 - \\cfrac{1}{1 - \\cfrac{4}{1 - \\cfrac{9}{1 + \\dotsb}}} \\quad "
                                      "\\text{(does not converge at depth 100)}"));
    // b(3) = 0 ends the fraction at a(2), as the table shows it
    CHECK_THAT(r.out, Catch::Contains("0.6666666666666666666666666666666666666666666666666\\ldots = "
                                      "2 - \\cfrac{2}{2 - \\cfrac{1}{2}}\n"));
    CHECK_THAT(r.out, !Catch::Contains("\\cfrac{0}"));
    auto table = run_convergent({"query", "--db", db, "--what", "evaluations"});
    CHECK_THAT(table.out, Catch::Contains("2 - 2/(2 - 1/(2))"));
}

TEST_CASE("cli query: a version-1 database (no cluster tables) reads as one without clusters", "[cli]") {
    TempDir tmp;
    std::string db = tmp.path("v1.db");
    REQUIRE(run_convergent({"eval", "--a", "2", "--b", "1", "--depth", "100", "--metrics", "--db", db}).exit_code == 0);
    REQUIRE(run_process({"sqlite3", db, "DROP TABLE cluster_members; DROP TABLE clusters; PRAGMA user_version = 1"})
                .exit_code == 0);
    for (const char* what : {"clusters", "members"}) {
        INFO(what);
        auto table = run_convergent({"query", "--db", db, "--what", what});
        CHECK(table.exit_code == 0);
        CHECK(table.err.empty());
        CHECK_THAT(table.out, Catch::EndsWith("(0 rows)\n"));
        auto json = run_convergent({"query", "--db", db, "--what", what, "--format", "json"});
        CHECK(json.exit_code == 0);
        CHECK(json.out == "[]\n");
    }
    auto csv = run_convergent({"query", "--db", db, "--what", "clusters", "--format", "csv"});
    CHECK(csv.out == "id,number,size,label,identified,label_text,stability,centroid,run_id,example\n");
    auto named = run_convergent({"query", "--db", db, "--what", "members", "--new", "--constant", "pi"});
    CHECK(named.exit_code == 0);
    CHECK_THAT(named.out, Catch::Contains("(0 rows)"));
    auto one = run_convergent({"query", "--db", db, "--what", "evaluations", "--cluster", "0"});
    CHECK(one.exit_code == 0);
    CHECK_THAT(one.out, Catch::Contains("(0 rows)"));
    CHECK(run_convergent({"query", "--db", db, "--what", "evaluations"}).out.find("(1 row)") != std::string::npos);
    // read, not migrated
    CHECK(run_process({"sqlite3", db, "PRAGMA user_version"}).out == "1\n");
}

TEST_CASE("cli query --constant: constant expressions and the names a database holds", "[cli]") {
    TempDir tmp;
    std::string db = tmp.path("r.db");
    REQUIRE(run_convergent({"eval", "--a", "2", "--b", "1", "--depth", "100", "--db", db}).exit_code == 0);
    // a conjecture for a constant named by search --constant-value --name
    REQUIRE(run_process({"sqlite3", db,
                         "INSERT INTO conjectures(pcf_id, run_id, method, constant, relation, relation_text, "
                         "digits_matched, verification_depth, status) VALUES (1, 1, 'mitm', 'my_const', "
                         "'{\"basis\":[\"1\",\"my_const\"],\"numerator\":[0,1],\"denominator\":[1,0]}', 'my_const', "
                         "40, 1000, 'verified')"})
                .exit_code == 0);
    for (const char* c : {"pi", "e", "zeta3", "log2", "ln2", "catalan", "pi*log2", "pi^2", "tan1", "lemniscate"}) {
        INFO(c);
        auto r = run_convergent({"query", "--db", db, "--constant", c});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("(0 rows)"));
    }
    auto mine = run_convergent({"query", "--db", db, "--constant", "my_const", "--format", "csv"});
    CHECK(mine.exit_code == 0);
    CHECK_THAT(mine.out, Catch::Contains(",my_const,my_const,"));
    auto other = run_convergent({"query", "--db", db, "--constant", "my_konst"});
    CHECK(other.exit_code == 2);
    CHECK_THAT(other.err, Catch::Contains("--constant: unknown constant 'my_konst'"));
    // clusters and members: a constant or a kind of algebraic number
    for (const char* c : {"pi", "quadratic", "rational", "tan1"})
        CHECK(run_convergent({"query", "--db", db, "--what", "clusters", "--constant", c}).exit_code == 0);
    auto kind = run_convergent({"query", "--db", db, "--what", "members", "--constant", "quadratics"});
    CHECK(kind.exit_code == 2);
    CHECK_THAT(kind.err, Catch::Contains("rational, quadratic, cubic, quartic, algebraic"));
}
