#include "src/const_expr.hpp"
#include "src/decimal.hpp"

#include <catch2/catch.hpp>

using namespace cvg;

namespace {
std::string digits(const char* e, long n) { return certified_decimal(ConstExpr::parse(e).value(300), n).str(); }
}

TEST_CASE("const_expr: closed forms evaluate to their known digits", "[const_expr]") {
    CHECK(digits("6/zeta3", 20) == "4.9914442354842448120");
    CHECK(digits("4/pi + 1", 20) == "2.2732395447351626861");
    CHECK(digits("(e+1)/(e-1)", 20) == "2.1639534137386528487");
    CHECK(digits("sqrt(2)+1", 20) == "2.4142135623730950488");
    CHECK(digits("2pi", 10) == "6.283185307");
    CHECK(digits("pi^-1", 10) == "0.3183098861");
    CHECK(digits("-3*log(2)", 10) == "-2.079441541");
    CHECK(digits("cbrt(4)", 10) == "1.587401051");
    CHECK(digits("exp(1) - e + 1/3", 10) == "0.3333333333");
}

TEST_CASE("const_expr: malformed or impossible expressions are errors", "[const_expr]") {
    for (const char* bad : {"", "tau", "1.5", "pi +", "(pi", "sqrt 2", "pi^x", "2^99999", "pi $"}) {
        INFO(bad);
        CHECK_THROWS_AS(ConstExpr::parse(bad), ParseError);
    }
    CHECK_THROWS_AS(ConstExpr::parse("1/(pi-pi)").value(100), std::domain_error);
    CHECK_THROWS_AS(ConstExpr::parse("log(0)").value(100), std::domain_error);
}
