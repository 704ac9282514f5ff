// End-to-end: the real binary, as a user runs it.
#include "tests/support/run.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using cvg::test::run_convergent;
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
