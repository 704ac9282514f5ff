// End-to-end: convergent identify (and eval --identify) as a user runs them.
#include "tests/support/run.hpp"
#include "tests/support/tempdir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using cvg::test::run_convergent;
using Json = nlohmann::json;

namespace {

// 4/pi, the issue's example (74 digits, as pasted with an ellipsis)
const std::string kFourOverPi = "1.2732395447351626861510701069801148962756771659236515899813387524711743810\xE2\x80\xA6";

// 6/zeta(3) to 100 digits, and the same with its 60th digit changed by one unit
const std::string kSixOverZeta3 =
    "4.991444235484244812098757672929184406502338386402368475678021997186747275034087932928194013939791824";
const std::string kPerturbed =
    "4.991444235484244812098757672929184406502338386402368475678031997186747275034087932928194013939791824";

void check_usage_error(const std::vector<std::string>& args, const std::string& names) {
    auto r = run_convergent(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::StartsWith("convergent identify: error: "));
    CHECK_THAT(r.err, Catch::Contains(names));
    CHECK(r.err.find('\n') == r.err.size() - 1);  // one line
}

}  // namespace

TEST_CASE("cli identify: 4/pi from a pasted decimal, text and JSON", "[cli]") {
    auto r = run_convergent({"identify", kFourOverPi});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("identified  4/pi\n"));
    CHECK_THAT(r.out, Catch::Contains(R"(relation    {"basis":["1","pi"],"numerator":[4,0],"denominator":[0,1]})"));
    CHECK_THAT(r.out, Catch::Contains("holds to all 74 digits; believing it needs 14"));
    CHECK_THAT(r.out, Catch::Contains("a decimal has no deeper evaluation"));
    CHECK_THAT(r.out, Catch::Contains("pslq finds the same relation"));
    CHECK_THAT(r.out, Catch::Contains("rule        identified = "));

    auto j = run_convergent({"identify", kFourOverPi, "--json"});
    REQUIRE(j.exit_code == 0);
    Json a = Json::parse(j.out);
    REQUIRE(a.is_array());
    REQUIRE(a.size() == 1);
    CHECK(a[0]["status"] == "identified");
    CHECK(a[0]["text"] == "4/pi");
    CHECK(a[0]["relation"] == Json::parse(R"({"basis":["1","pi"],"numerator":[4,0],"denominator":[0,1]})"));
    CHECK(a[0]["digits_available"] == 74);
    CHECK(a[0]["digits_matched"] == 74);
    CHECK(a[0]["digits_needed"] == 14);
    CHECK(a[0]["coefficient_digits"] == 2);
    CHECK(a[0]["deeper"].is_null());
    CHECK(a[0]["input"]["kind"] == "decimal");
    CHECK(a[0]["input"]["digits"] == 74);
    CHECK(a[0]["cross_check_agrees"] == true);
}

TEST_CASE("cli identify: a PCF, verified twice as deep", "[cli]") {
    auto r = run_convergent({"identify", "--a", "34n^3+51n^2+27n+5", "--b", "-n^6", "--json"});
    REQUIRE(r.exit_code == 0);
    Json a = Json::parse(r.out);
    REQUIRE(a.size() == 1);
    CHECK(a[0]["status"] == "identified");
    CHECK(a[0]["text"] == "6/zeta3");
    CHECK(a[0]["input"]["kind"] == "pcf");
    CHECK(a[0]["input"]["digits"] == 100);
    CHECK(a[0]["input"]["certified"] == true);
    CHECK(a[0]["deeper"]["holds"] == true);
    CHECK(a[0]["deeper"]["digits"].get<int>() > 150);
    CHECK(a[0]["deeper"]["depth"].get<int>() == 2 * a[0]["input"]["depth"].get<int>());

    auto t = run_convergent({"identify", "--a", "34n^3+51n^2+27n+5", "--b", "-n^6"});
    REQUIRE(t.exit_code == 0);
    CHECK_THAT(t.out, Catch::Contains("identified  6/zeta3\n"));
    CHECK_THAT(t.out, Catch::Contains("(all)"));
}

TEST_CASE("cli identify: a slowly converging PCF is extrapolated, and says so", "[cli]") {
    auto r = run_convergent({"identify", "--a", "2", "--b", "(2n-1)^2", "--json"});
    REQUIRE(r.exit_code == 0);
    Json a = Json::parse(r.out);
    REQUIRE(a.size() == 1);
    CHECK(a[0]["status"] == "identified");
    CHECK(a[0]["text"] == "(4 + pi)/pi");
    CHECK(a[0]["input"]["certified"] == false);
    CHECK_THAT(a[0]["input"]["origin"].get<std::string>(), Catch::Contains("ESTIMATED"));
}

TEST_CASE("cli identify: algebraic numbers and an explicit basis", "[cli]") {
    auto r = run_convergent({"identify", "--a", "5(2n+1)", "--b", "1-9n^2", "--json"});
    REQUIRE(r.exit_code == 0);
    Json a = Json::parse(r.out);
    REQUIRE(a.size() == 1);
    CHECK(a[0]["relation"] == Json::parse(R"({"basis":["1"],"minimal_polynomial":[-5,9,-15,3]})"));
    CHECK(a[0]["family"] == "algebraic degree 3");

    cvg::test::TempDir dir;
    // 30/pi^2 to 80 digits, broken over lines as a file
    cvg::test::write_file(dir.path("v.txt"),
                          "3.03963550927013314331638389629182916713076324016739\n"
                          "  64653682709568251936288670632\n");
    auto b = run_convergent({"identify", "@" + dir.path("v.txt"), "--basis", "pi,pi^2", "--json"});
    REQUIRE(b.exit_code == 0);
    Json o = Json::parse(b.out);
    REQUIRE(o.size() == 1);
    CHECK(o[0]["status"] == "identified");
    CHECK(o[0]["relation"] == Json::parse(R"({"basis":["1","pi","pi^2"],"numerator":[30,0,0],"denominator":[0,0,1]})"));
    CHECK(o[0]["family"] == "basis");
}

TEST_CASE("cli identify: nothing for a random number, a candidate for a perturbed one", "[cli]") {
    auto r = run_convergent({"identify",
                             "3.8415923104857261940017364559120938475610293847561029384756102938475610298374561092837465"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("result      no relation found"));
    CHECK(r.out.find("identified  ") == std::string::npos);
    auto j = run_convergent({"identify", "3.8415923104857261940017364559120938475610293847561029384756102938475610298374561092837465", "--json"});
    REQUIRE(j.exit_code == 0);
    CHECK(Json::parse(j.out) == Json::array());

    auto p = run_convergent({"identify", kPerturbed, "--json"});
    REQUIRE(p.exit_code == 0);
    Json a = Json::parse(p.out);
    REQUIRE(a.size() >= 1);
    for (const Json& o : a) CHECK(o["status"] == "candidate");
    CHECK(a[0]["text"] == "6/zeta3");
    CHECK(a[0]["digits_matched"] == 59);
    auto t = run_convergent({"identify", kPerturbed});
    CHECK_THAT(t.out, Catch::Contains("candidate   6/zeta3"));
    CHECK_THAT(t.out, Catch::Contains("fails at digit 60"));
    CHECK_THAT(t.out, Catch::Contains("not identified"));

    auto ok = run_convergent({"identify", kSixOverZeta3, "--json"});
    CHECK(Json::parse(ok.out)[0]["status"] == "identified");
}

TEST_CASE("cli eval --identify", "[cli]") {
    auto r = run_convergent({"eval", "--a", "2n+1", "--b", "1", "--identify"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("value       1.31303528549933130363616124693"));  // coth(1)
    CHECK_THAT(r.out, Catch::Contains("identified  (1 + e^2)/(-1 + e^2)"));
    auto j = run_convergent({"eval", "--a", "2n+1", "--b", "1", "--identify", "--json"});
    REQUIRE(j.exit_code == 0);
    Json o = Json::parse(j.out);
    CHECK(o["identify"][0]["status"] == "identified");
    CHECK(o["identify"][0]["text"] == "(1 + e^2)/(-1 + e^2)");
}

TEST_CASE("cli identify: bad input is one line naming the argument, exit 2", "[cli]") {
    check_usage_error({"identify", "1.23abc456789012345"}, "VALUE");
    check_usage_error({"identify", "1.2345"}, "VALUE: only 5 significant digits");
    check_usage_error({"identify", kFourOverPi, "--basis", "pi,foo"}, "--basis");
    check_usage_error({"identify", "@/nonexistent/file.txt"}, "VALUE: cannot read");
    cvg::test::TempDir dir;
    cvg::test::write_file(dir.path("empty.txt"), "\n  \n");
    check_usage_error({"identify", "@" + dir.path("empty.txt")}, "is empty");
    check_usage_error({"identify"}, "VALUE");
    check_usage_error({"identify", kFourOverPi, "--a", "2", "--b", "1"}, "VALUE");
    check_usage_error({"identify", "--a", "2"}, "--b");
    check_usage_error({"identify", "--a", "2n+", "--b", "1"}, "--a");
    check_usage_error({"identify", kFourOverPi, "--max-coef", "-5"}, "--max-coef");
    check_usage_error({"identify", kFourOverPi, "--digits", "50"}, "--digits");
    check_usage_error({"identify", kFourOverPi, "--basis", "pi", "--auto"}, "--auto");
    check_usage_error({"identify", kFourOverPi, "--basis", "pi^2,zeta2"}, "--basis: the basis is dependent");
}

TEST_CASE("cli identify: a divergent PCF is a runtime failure, exit 1", "[cli]") {
    auto r = run_convergent({"identify", "--a", "1", "--b", "-1"});
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("does not converge"));
}

TEST_CASE("cli identify: --help has examples and the rule", "[cli]") {
    auto r = run_convergent({"identify", "--help"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("Examples:"));
    CHECK_THAT(r.out, Catch::Contains("2 x (decimal digits of all its coefficients) + 10"));
    CHECK_THAT(r.out, Catch::Contains("--basis"));
}
