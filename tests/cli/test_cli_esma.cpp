// End-to-end: convergent esma.
#include "tests/support/run.hpp"
#include "tests/support/tempdir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using cvg::test::run_convergent;
using cvg::test::TempDir;
using Json = nlohmann::json;

TEST_CASE("cli esma: e with small coefficients, stored and queried, resumable", "[cli][esma]") {
    TempDir tmp;
    std::string db = tmp.path("e.db");
    auto r = run_convergent({"esma", "--constant", "e", "--coef", "-1:1", "--db", db, "--json"});
    REQUIRE(r.exit_code == 0);
    Json j = Json::parse(r.out);
    CHECK(j["candidates"] == 24);
    CHECK(j["sign_patterns"] == 4);
    CHECK(j["conjectures"].get<int>() >= 3);
    auto q = run_convergent({"query", "--db", db, "--all", "--format", "json"});
    REQUIRE(q.exit_code == 0);
    bool coth = false;
    for (const auto& row : Json::parse(q.out)) {
        CHECK(row["method"] == "esma");
        CHECK(row["digits_matched"].get<int>() >= 100);
        CHECK(row["verification_depth"].get<int>() >= 1000);
        if (row["a"] == "[2,4]" && row["b"] == "[1]") coth = true;  // (e+1)/(e-1) = [2; 6, 10, ...]
    }
    CHECK(coth);
    CHECK(j["conjectures"] == Json::parse(q.out).size());  // distinct: candidates x, x + 1 share theirs
    auto again = run_convergent({"esma", "--constant", "e", "--coef", "-1:1", "--db", db});
    CHECK(again.exit_code == 2);
    auto resumed = run_convergent({"esma", "--constant", "e", "--coef", "-1:1", "--db", db, "--resume", "--json"});
    REQUIRE(resumed.exit_code == 0);
    CHECK(Json::parse(resumed.out)["units_run"] == 0);
    CHECK(Json::parse(resumed.out)["conjectures"] == 0);
}

TEST_CASE("cli esma: bad input", "[cli][esma]") {
    TempDir tmp;
    struct Case { std::vector<std::string> a; std::string needle; };
    for (const Case& c : std::vector<Case>{
             {{"esma", "--db", tmp.path("x.db")}, "--constant"},
             {{"esma", "--constant", "tau", "--db", tmp.path("x.db")}, "--constant"},
             {{"esma", "--constant", "e", "--coef", "5:1", "--db", tmp.path("x.db")}, "--coef"},
             {{"esma", "--constant", "e", "--coef", "x", "--db", tmp.path("x.db")}, "--coef"},
             {{"esma", "--constant", "e", "--deg", "9", "--db", tmp.path("x.db")}, "--deg"},
             {{"esma", "--constant", "e", "--coef", "-999:999", "--db", tmp.path("x.db")}, "too large"},
             {{"esma", "--constant", "e", "--shard", "2/2", "--db", tmp.path("x.db")}, "--shard"},
         }) {
        auto r = run_convergent(c.a, 30);
        INFO(c.needle << ": " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::Contains(c.needle));
    }
}
