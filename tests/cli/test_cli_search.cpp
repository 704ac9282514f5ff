// End-to-end: convergent search as a user runs it — presets, negative controls, determinism
// across thread counts, kill -9 and --resume, shards, bad input.
#include "tests/support/run.hpp"
#include "tests/support/tempdir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

using cvg::test::run_convergent;
using cvg::test::run_process;
using cvg::test::TempDir;
using Json = nlohmann::json;

namespace {

// (a, b, relation) of every conjecture in a database
std::set<std::string> formulas(const std::string& db) {
    auto r = run_convergent({"query", "--db", db, "--all", "--format", "json"});
    REQUIRE(r.exit_code == 0);
    std::set<std::string> out;
    for (const auto& row : Json::parse(r.out))
        out.insert(row["a"].get<std::string>() + ";" + row["b"].get<std::string>() + " " +
                   row["relation_text"].get<std::string>());
    return out;
}

Json search_json(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> cmd = {cvg::test::convergent_binary(), "search"};
    cmd.insert(cmd.end(), args.begin(), args.end());
    cmd.push_back("--json");
    auto r = run_process(cmd, 120, "", env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return Json::parse(r.out);
}

// pi to 100 digits (A000796)
const std::string kPi100 =
    "3.141592653589793238462643383279502884197169399375105820974944592307816406286208998628034825342117067";

}  // namespace

TEST_CASE("cli search: the e preset, then query", "[cli][search]") {
    TempDir tmp;
    std::string db = tmp.path("e.db");
    Json s = search_json({"--preset", "e", "--db", db});
    CHECK(s["domain_size"] == 6655);
    CHECK(s["conjectures"].get<int>() >= 20);
    auto f = formulas(db);
    CHECK(f.count("[3,1];[0,-1] e"));
    CHECK(f.count("[1,1];[1,1] -1 + e"));
    auto table = run_convergent({"query", "--db", db, "--constant", "e", "--min-digits", "1000"});
    REQUIRE(table.exit_code == 0);
    CHECK_THAT(table.out, Catch::Contains("3 - 1/(4 - 2/(5 - 3/(6 + ...)))"));
    CHECK_THAT(table.out, Catch::Contains("members"));
}

TEST_CASE("cli search: the zeta3, catalan and log2 presets find the classical formulas", "[cli][search]") {
    TempDir tmp;
    Json z = search_json({"--preset", "zeta3", "--db", tmp.path("z3.db")});
    CHECK(z["conjectures"] == 8);  // the Ramanujan Machine reports 8 results for this domain
    auto f = formulas(tmp.path("z3.db"));
    CHECK(f.count("[5,27,51,34];[0,0,0,0,0,0,-1] 6/zeta3"));          // Apery
    CHECK(f.count("[1,5,9,6];[0,0,0,0,0,0,-1] 8/(7*zeta3)"));       // (2n+1)(3n(n+1)+1)
    search_json({"--preset", "catalan", "--db", tmp.path("g.db")});
    CHECK(formulas(tmp.path("g.db")).count("[1,3,3];[0,0,0,0,-2] 1/(2*catalan)"));  // known_pcfs.csv
    search_json({"--preset", "log2", "--db", tmp.path("l2.db")});
    CHECK(formulas(tmp.path("l2.db")).count("[3,6];[0,0,-1] 2/log2"));              // known_pcfs.csv
}

TEST_CASE("cli search: no false conjectures from a random or a perturbed constant", "[cli][search]") {
    TempDir tmp;
    // a small box that holds 4/pi = 1 + 1/(3 + 4/(5 + 9/(7 + ...))): a = 2n+1, b = n^2
    const std::vector<std::string> box = {"--a-deg", "1", "--a-coef", "-3:3", "--b-deg", "2", "--b-coef", "-2:2"};
    auto with = [&](std::vector<std::string> head) {
        head.insert(head.end(), box.begin(), box.end());
        return head;
    };
    Json real = search_json(with({"--constant-value", kPi100, "--name", "pi", "--db", tmp.path("real.db")}));
    CHECK(real["conjectures"].get<int>() >= 1);
    CHECK(formulas(tmp.path("real.db")).count("[1,2];[0,0,1] 4/pi"));
    // a user's own name for the constant, then filtered by it
    search_json(with({"--constant-value", kPi100, "--name", "my_const", "--db", tmp.path("named.db")}));
    auto named = run_convergent({"query", "--db", tmp.path("named.db"), "--constant", "my_const", "--format", "csv"});
    CHECK(named.exit_code == 0);
    CHECK_THAT(named.out, Catch::Contains("4/my_const"));

    std::string perturbed = kPi100;
    perturbed[41] = perturbed[41] == '9' ? '8' : static_cast<char>(perturbed[41] + 1);  // the 40th decimal
    Json p = search_json(with({"--constant-value", perturbed, "--db", tmp.path("perturbed.db")}));
    CHECK(p["candidates"].get<int>() >= 1);  // the double screen cannot see the 40th digit...
    CHECK(p["conjectures"] == 0);            // ...the re-verification does

    std::string random = "0.";
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 100; ++i) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        random += static_cast<char>('0' + x % 10);
    }
    Json r = search_json({"--constant-value", random, "--preset", "e", "--db", tmp.path("random.db")});
    CHECK(r["conjectures"] == 0);
}

TEST_CASE("cli search: one thread or two give the same rows", "[cli][search]") {
    TempDir tmp;
    search_json({"--preset", "pi", "--db", tmp.path("t1.db"), "--threads", "1"});
    search_json({"--preset", "pi", "--db", tmp.path("t2.db"), "--threads", "2"});
    auto a = run_convergent({"query", "--db", tmp.path("t1.db"), "--all", "--format", "csv"});
    auto b = run_convergent({"query", "--db", tmp.path("t2.db"), "--all", "--format", "csv"});
    REQUIRE(a.exit_code == 0);
    CHECK(a.out == b.out);
    CHECK(std::count(a.out.begin(), a.out.end(), '\n') > 20);
}

TEST_CASE("cli search: kill -9 after any unit, --resume, same rows as an uninterrupted run", "[cli][search]") {
    TempDir tmp;
    search_json({"--preset", "pi", "--db", tmp.path("full.db")});
    auto full = run_convergent({"query", "--db", tmp.path("full.db"), "--all", "--format", "csv"});
    for (int k : {1, 35, 70}) {
        std::string db = tmp.path("killed" + std::to_string(k) + ".db");
        auto killed = run_process({cvg::test::convergent_binary(), "search", "--preset", "pi", "--db", db}, 120, "",
                                  {"CONVERGENT_TEST_KILL_AFTER_UNITS=" + std::to_string(k)});
        CHECK(killed.exit_code == -1);  // died by SIGKILL
        auto again = run_convergent({"search", "--preset", "pi", "--db", db});
        CHECK(again.exit_code == 2);  // an existing run needs --resume
        CHECK_THAT(again.err, Catch::Contains("--resume"));
        Json resumed = search_json({"--preset", "pi", "--db", db, "--resume"});
        CHECK(resumed["units_run"] == 71 - k);
        CHECK(resumed["units_done_total"] == 71);
        auto rows = run_convergent({"query", "--db", db, "--all", "--format", "csv"});
        CHECK(rows.out == full.out);
        auto integrity = run_process({"sqlite3", db, "PRAGMA integrity_check"});
        CHECK(integrity.out == "ok\n");
    }
}

TEST_CASE("cli search: shards cover the domain exactly once", "[cli][search]") {
    TempDir tmp;
    search_json({"--preset", "pi", "--db", tmp.path("full.db")});
    std::set<std::string> all = formulas(tmp.path("full.db")), merged;
    int units = 0;
    for (int i = 0; i < 3; ++i) {
        std::string db = tmp.path("part" + std::to_string(i) + ".db");
        Json s = search_json({"--preset", "pi", "--db", db, "--shard", std::to_string(i) + "/3"});
        units += s["units_run"].get<int>();
        for (const auto& f : formulas(db)) CHECK(merged.insert(f).second);  // no formula in two shards
    }
    CHECK(units == 71);
    CHECK(merged == all);
}

TEST_CASE("cli search: bad input is one line and exit 2", "[cli][search]") {
    TempDir tmp;
    std::string db = tmp.path("x.db");
    struct Case { std::vector<std::string> args; std::string needle; };
    for (const Case& c : std::vector<Case>{
             {{"--preset", "tau", "--db", db}, "--preset"},
             {{"--constant", "tau", "--a-deg", "1", "--a-coef", "-1:1", "--b-deg", "1", "--b-coef", "-1:1", "--db", db}, "--constant"},
             {{"--constant", "pi", "--a-deg", "1", "--a-coef", "5:1", "--b-deg", "1", "--b-coef", "-1:1", "--db", db}, "--a-coef"},
             {{"--constant", "pi", "--a-deg", "1", "--a-coef", "-1:1", "--b-deg", "1", "--db", db}, "--b-coef"},
             {{"--constant", "pi", "--a-deg", "1", "--a-coef", "-1:1,0:1,2:3", "--b-deg", "1", "--b-coef", "0:1", "--db", db}, "--a-coef"},
             {{"--preset", "pi", "--shard", "3/2", "--db", db}, "--shard"},
             {{"--preset", "pi", "--shard", "x", "--db", db}, "--shard"},
             {{"--constant-value", "3.14159", "--preset", "e", "--db", db}, "at least 50"},
             {{"--constant-value", "3.14x59", "--preset", "e", "--db", db}, "--constant-value"},
             {{"--constant-value", "@" + tmp.path("missing.txt"), "--preset", "e", "--db", db}, "cannot read"},
             {{"--domain", tmp.path("missing.json"), "--constant", "pi", "--db", db}, "--domain"},
             {{"--constant", "pi", "--db", db}, "no domain"},
             {{"--preset", "pi", "--lhs-coef", "0", "--db", db}, "--lhs-coef"},
         }) {
        std::vector<std::string> a = {"search"};
        a.insert(a.end(), c.args.begin(), c.args.end());
        auto r = run_convergent(a, 30);
        INFO(c.needle << ": " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::Contains(c.needle));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    cvg::test::write_file(tmp.path("bad.json"), "{\"params\": {\"x\": [1, 2]}, \"a\": \"x+\", \"b\": \"1\"}");
    auto r = run_convergent({"search", "--domain", tmp.path("bad.json"), "--constant", "pi", "--db", db});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--domain"));
}
