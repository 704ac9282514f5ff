// End-to-end: the real binary, as a user runs it.
#include "tests/support/run.hpp"
#include "tests/support/tempdir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>

using cvg::test::run_convergent;
using cvg::test::TempDir;
using Json = nlohmann::json;

namespace {

// 6/zeta(3), first 120 digits (mpmath, 200 dps)
const std::string kSixOverZeta3 =
    "4.991444235484244812098757672929184406502338386402368475678021997186747275034087932928194013939791824589744171736621379";

}  // namespace

TEST_CASE("cli eval: Apery's PCF to 1000 digits, text and JSON", "[cli]") {
    auto r = run_convergent({"eval", "--a", "34n^3+51n^2+27n+5", "--b", "-n^6", "--digits", "1000"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("value       " + kSixOverZeta3));
    CHECK_THAT(r.out, Catch::Contains("digits      1000 certain"));

    auto j = run_convergent({"eval", "--a", "34n^3+51n^2+27n+5", "--b", "-n^6", "--digits", "1000", "--json"});
    REQUIRE(j.exit_code == 0);
    Json o = Json::parse(j.out);
    CHECK(o["a"] == "34n^3+51n^2+27n+5");
    CHECK(o["b"] == "-n^6");
    CHECK(o["a_coeffs"] == Json::array({5, 27, 51, 34}));
    CHECK(o["b_coeffs"] == Json::array({0, 0, 0, 0, 0, 0, -1}));
    CHECK(o["digits"] == 1000);
    CHECK(o["converges"] == true);
    std::string v = o["value"];
    CHECK(v.size() == 1001);  // 1000 digits and the point
    CHECK(v.substr(0, kSixOverZeta3.size()) == kSixOverZeta3);
    CHECK(o["depth"].get<int>() > 300);
    CHECK_FALSE(o.contains("p"));
}

TEST_CASE("cli eval: --exact prints p and q of the depth used", "[cli]") {
    auto r = run_convergent({"eval", "--a", "34n^3+51n^2+27n+5", "--b", "-n^6", "--depth", "2", "--exact", "--json"});
    REQUIRE(r.exit_code == 0);
    Json o = Json::parse(r.out);
    CHECK(o["depth"] == 2);
    CHECK(o["p"] == "312120");
    CHECK(o["q"] == "62531");
}

TEST_CASE("cli eval: fixed depth reports the digits that depth supports", "[cli]") {
    auto r = run_convergent({"eval", "--a", "2", "--b", "(2n-1)^2", "--depth", "1000", "--json"});
    REQUIRE(r.exit_code == 0);
    Json o = Json::parse(r.out);
    CHECK(o["depth"] == 1000);
    CHECK(o["digits"].get<int>() >= 2);
    CHECK(o["digits"].get<int>() <= 4);
    CHECK(std::string("2.2732395447").substr(0, o["value"].get<std::string>().size()) == o["value"]);
}

TEST_CASE("cli eval: unreachable digits are said on stderr, exit 0", "[cli]") {
    auto r = run_convergent({"eval", "--a", "2", "--b", "(2n-1)^2", "--digits", "30", "--max-depth", "20000"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("of 30 digits are certain at --max-depth 20000"));
    CHECK_THAT(r.out, Catch::Contains("value       2.273"));
}

TEST_CASE("cli eval: a divergent PCF is reported as not converging", "[cli]") {
    auto r = run_convergent({"eval", "--a", "1", "--b", "-1", "--json", "--max-depth", "100000"});
    CHECK(r.exit_code == 0);
    Json o = Json::parse(r.out);
    CHECK(o["converges"] == false);
    CHECK(o["value"].is_null());
    CHECK(o["digits"] == 0);
}

TEST_CASE("cli eval: a limit on a decimal boundary gets its rounded digits", "[cli]") {
    // 4n+2, -3n^2-n converges to exactly 1 from below: no truncated digit is ever certain
    // (0.999... vs 1.000...), but every point of the enclosure rounds to 1.000...
    auto r = run_convergent({"eval", "--a", "4n+2", "--b", "-3n^2-n", "--digits", "40", "--json"});
    REQUIRE(r.exit_code == 0);
    Json o = Json::parse(r.out);
    CHECK(o["converges"] == true);
    CHECK(o["digits"] == 40);
    CHECK(o["value"] == "1." + std::string(39, '0'));
    CHECK(o["rounded"] == true);
    CHECK(o["depth"].get<int>() < 200);
    CHECK(r.err.empty());

    auto t = run_convergent({"eval", "--a", "4n+2", "--b", "-3n^2-n", "--depth", "1000"});
    REQUIRE(t.exit_code == 0);
    CHECK_THAT(t.out, Catch::Contains("value       1.000000000"));
    CHECK_THAT(t.out, Catch::Contains("(rounded: the value is at a decimal boundary)"));

    auto e = run_convergent({"eval", "--a", "34n^3+51n^2+27n+5", "--b", "-n^6", "--digits", "50", "--json"});
    CHECK_FALSE(Json::parse(e.out).contains("rounded"));  // ordinary values keep truncated digits
}

TEST_CASE("cli eval: a terminating PCF prints its exact rational value", "[cli]") {
    auto r = run_convergent({"eval", "--a", "2", "--b", "n-3", "--json"});
    REQUIRE(r.exit_code == 0);
    Json o = Json::parse(r.out);
    CHECK(o["terminated"] == true);
    CHECK(o["rational"] == "2/3");
    CHECK(o["value"].get<std::string>().substr(0, 12) == "0.6666666666");
}

TEST_CASE("cli: bad input exits 2 with one line naming the argument, nothing on stdout", "[cli]") {
    struct Case { std::vector<std::string> args; std::string needle; };
    const std::vector<Case> cases = {
        {{"eval", "--a", "3n^", "--b", "1"}, "--a"},
        {{"eval", "--a", "n^-1", "--b", "1"}, "--a"},
        {{"eval", "--a", "1", "--b", "x+1"}, "--b"},
        {{"eval", "--a", "1.5n", "--b", "1"}, "--a"},
        {{"eval", "--a", "n^100000", "--b", "1"}, "--a"},
        {{"eval", "--a", "", "--b", "1"}, "--a"},
        {{"eval", "--a", "1"}, "--b"},
        {{"eval", "--b", "1"}, "--a"},
        {{"eval", "--a", "1", "--b", "1", "--digits", "0"}, "--digits"},
        {{"eval", "--a", "1", "--b", "1", "--depth", "-5"}, "--depth"},
        {{"eval", "--a", "1", "--b", "1", "--depth", "abc"}, "--depth"},
        {{"eval", "--a", "1", "--b", "1", "--digits", "1000000000000"}, "--digits"},
        {{"eval", "--a", "1", "--b", "1", "--depth", "99999999999999999999"}, "--depth"},
        {{"eval", "--a", "1", "--b", "1", "--depth", "10", "--digits", "5"}, "--depth"},
        {{"eval", "--a", "1", "--b", "1", "--depth", "200", "--max-depth", "100"}, "--depth"},
        {{"eval", "--a", "1", "--b", "1", "--method", "magic"}, "--method"},
        {{"eval", "--a", "1", "--b", "1", "--frobnicate"}, "--frobnicate"},
        {{"frobnicate"}, "frobnicate"},
        {{}, "subcommand"},
        {{"constants", "tau"}, "tau"},
        {{"constants", "--digits", "0"}, "--digits"},
    };
    for (const Case& c : cases) {
        std::string shown;
        for (auto& a : c.args) shown += "'" + a + "' ";
        INFO(shown);
        auto r = run_convergent(c.args, 20);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::Contains(c.needle));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
}

TEST_CASE("cli: --help of every subcommand shows an example and exits 0", "[cli]") {
    for (std::string sub : {"eval", "constants"}) {
        auto r = run_convergent({sub, "--help"});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("Examples:"));
        CHECK_THAT(r.out, Catch::Contains("convergent " + sub));
    }
    auto top = run_convergent({"--help"});
    CHECK(top.exit_code == 0);
    CHECK_THAT(top.out, Catch::Contains("eval"));
}

TEST_CASE("cli constants: values and JSON", "[cli]") {
    auto r = run_convergent({"constants", "--digits", "50", "--json"});
    REQUIRE(r.exit_code == 0);
    Json a = Json::parse(r.out);
    REQUIRE(a.size() == 15);
    CHECK(a[0]["name"] == "pi");
    CHECK(a[0]["value"] == "3.1415926535897932384626433832795028841971693993751");
    CHECK(a[0]["digits"] == 50);
    auto t = run_convergent({"constants", "gauss", "pi^2", "--digits", "20"});
    REQUIRE(t.exit_code == 0);
    CHECK_THAT(t.out, Catch::Contains("gauss  0.83462684167407318628"));
    CHECK_THAT(t.out, Catch::Contains("pi^2   9.8696044010893586188"));
}

namespace {

// The first row of a query on a database, as "|"-joined text.
std::string first_row(const std::string& db, const std::string& sql) {
    sqlite3* h = nullptr;
    sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    std::string row;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        for (int i = 0; i < sqlite3_column_count(s); ++i) {
            const unsigned char* t = sqlite3_column_text(s, i);
            row += (i ? "|" : "") + std::string(t ? reinterpret_cast<const char*>(t) : "NULL");
        }
    sqlite3_finalize(s);
    sqlite3_close(h);
    return row;
}

}  // namespace

TEST_CASE("cli eval --metrics: no numbers for fractions that end or diverge, one convergence type", "[cli]") {
    // b(50) = 0: the value is p_49/q_49, reached at depth 49; no error is left to measure
    auto t = run_convergent({"eval", "--a", "2", "--b", "n-50", "--metrics", "--json"});
    REQUIRE(t.exit_code == 0);
    Json o = Json::parse(t.out);
    CHECK(o["delta"].is_null());
    CHECK(o["metrics_note"] == "the fraction terminates at n = 50");
    CHECK(o["convergence"] == "exact");
    auto t3 = run_convergent({"eval", "--a", "2", "--b", "n-3", "--depth", "100", "--metrics"});
    CHECK_THAT(t3.out, Catch::Contains("metrics     none: the fraction terminates at n = 3"));
    // b = n^3: no digit is certain, so no delta and no type
    auto d = run_convergent({"eval", "--a", "1", "--b", "n^3", "--depth", "1000", "--metrics", "--json"});
    REQUIRE(d.exit_code == 0);
    Json dj = Json::parse(d.out);
    CHECK(dj["converges"] == false);
    CHECK(dj["delta"].is_null());
    CHECK(dj["convergence"] == "none");
    CHECK(dj["metrics_note"] == "the fraction does not converge (no certain digit at depth 1000)");
    // e = n+3 | -n converges factorially: the fit says so on both lines
    auto e = run_convergent({"eval", "--a", "n+3", "--b", "-n", "--depth", "1000", "--metrics"});
    REQUIRE(e.exit_code == 0);
    CHECK_THAT(e.out, Catch::Contains("convergence factorial, 2.869 digits/term"));
    CHECK_THAT(e.out, Catch::Contains("digits/term (factorial)"));
    // Brouncker's 4/pi + 1: the ratio k is 0.78 at depth 1000, the fit over the trajectory finds 1
    auto br = run_convergent({"eval", "--a", "2", "--b", "(2n-1)^2", "--depth", "1000", "--metrics", "--limit",
                              "4/pi+1", "--json"});
    REQUIRE(br.exit_code == 0);
    Json bj = Json::parse(br.out);
    CHECK(bj["fr_k"].get<double>() == Approx(0.7822).margin(0.0001));
    CHECK(bj["fr_k_fit"].get<double>() == Approx(0.9889).margin(0.0001));
    // a trajectory point without a reduced denominator is undefined, not nan or inf
    auto u = run_convergent({"eval", "--a", "n-1", "--b", "1", "--depth", "20", "--metrics"});
    REQUIRE(u.exit_code == 0);
    CHECK_THAT(u.out, Catch::Contains("trajectory  1:undefined 2:undefined 3:2.9024"));
    CHECK_THAT(u.out, !Catch::Contains("nan") && !Catch::Contains("inf"));
}

TEST_CASE("cli eval --metrics: a limit that disagrees with the certain digits is refused", "[cli]") {
    auto pi = run_convergent({"eval", "--a", "2", "--b", "1", "--depth", "100", "--metrics", "--limit", "pi"});
    CHECK(pi.exit_code == 2);
    CHECK(pi.out.empty());
    CHECK_THAT(pi.err, Catch::Contains("--limit: pi disagrees with the value of the PCF, 2.41421356237309504880"));
    CHECK_THAT(pi.err, Catch::Contains("(75 certain digits)"));
    // off in the 700th digit of 1529 certain ones
    auto near = run_convergent({"eval", "--a", "34n^3+51n^2+27n+5", "--b", "-n^6", "--depth", "500", "--metrics",
                                "--limit", "6/zeta3+1/10^700"});
    CHECK(near.exit_code == 2);
    CHECK_THAT(near.err, Catch::Contains("(1529 certain digits)"));
    auto ok = run_convergent({"eval", "--a", "2", "--b", "1", "--depth", "100", "--metrics", "--limit", "sqrt2+1"});
    CHECK(ok.exit_code == 0);
    CHECK_THAT(ok.out, Catch::Contains("delta       1.01182 at depth 100 (limit: given:sqrt2+1)"));
    for (std::vector<std::string> bad : {std::vector<std::string>{"--metrics", "--limit", "1/0"},
                                         {"--metrics", "--limit", ""}, {"--limit", "1+sqrt2"}, {"--constant", "sqrt2"}}) {
        std::vector<std::string> cmd{"eval", "--a", "2", "--b", "1", "--depth", "100"};
        cmd.insert(cmd.end(), bad.begin(), bad.end());
        auto r = run_convergent(cmd);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, Catch::Contains(bad[bad.size() - 2]));  // names the option
    }
}

TEST_CASE("cli eval --db: the store is opened first, unreliable limits, timing and --constant are recorded", "[cli]") {
    TempDir tmp;
    std::string notdb = tmp.path("notes.txt");
    { FILE* f = std::fopen(notdb.c_str(), "w"); std::fputs("not a database\n", f); std::fclose(f); }
    auto r = run_convergent({"eval", "--a", "2", "--b", "(2n-1)^2", "--depth", "1000", "--metrics", "--db", notdb});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("is not an SQLite database"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one line, no status of work done first

    std::string db = tmp.path("e.db");
    REQUIRE(run_convergent({"eval", "--a", "2", "--b", "(2n-1)^2", "--depth", "1000", "--metrics", "--db", db}).exit_code == 0);
    // the blind limit of Brouncker's slow fraction is flagged in the text; the row says so too, as blind runs do
    CHECK(first_row(db, "SELECT limit_source FROM evaluations") == "blind-unreliable");
    CHECK(first_row(db, "SELECT wall_seconds > 0, cpu_seconds > 0 FROM runs") == "1|1");
    REQUIRE(run_convergent({"eval", "--a", "2", "--b", "1", "--depth", "100", "--metrics", "--constant", "sqrt2",
                            "--db", db}).exit_code == 0);
    CHECK(first_row(db, "SELECT e.limit_source, json_extract(r.params, '$.constant') FROM evaluations e "
                        "JOIN runs r ON r.id = e.run_id WHERE e.depth = 100") == "constant:sqrt2|sqrt2");
}
