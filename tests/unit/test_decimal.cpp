#include "src/decimal.hpp"

#include <catch2/catch.hpp>

using namespace cvg;

namespace {

// The ball [mid - rad, mid + rad] from decimal strings.
Ball ball(const char* mid, const char* rad) {
    Ball b, r;
    arb_set_str(b.get(), mid, 400);
    arb_set_str(r.get(), rad, 400);
    arb_get_mid_arb(b.get(), b.get());
    arb_add_error(b.get(), r.get());
    return b;
}

}  // namespace

TEST_CASE("decimal: certified digits are the truncated digits the whole ball shares", "[decimal]") {
    Decimal d = certified_decimal(ball("3.14159265358979", "1e-10"), 100);
    CHECK(d.digits == "3141592653");  // [3.14159265348979, 3.14159265368979]: 3.1415926534 vs ...36
    CHECK(d.str() == "3.141592653");
    CHECK(d.exp10 == 1);

    // a ball straddling a digit boundary keeps only the shared prefix
    CHECK(certified_decimal(ball("1.2999999", "5e-8"), 100).str() == "1.299999"); // [1.29999985, 1.29999995]
    CHECK(!certified_decimal(ball("1.2999999", "5e-8"), 100).rounded);

    // when truncation keeps far fewer digits than the ball's width allows (a decimal boundary
    // inside it), every point's rounding to nearest is reported instead
    Decimal r13 = certified_decimal(ball("1.2999999", "2e-7"), 100);  // [1.2999997, 1.3000001]
    CHECK(r13.str() == "1.30000");
    CHECK(r13.rounded);

    // at a decimal boundary no truncated digit is shared, but every point rounds alike
    Decimal one = certified_decimal(ball("1.0000001", "2e-7"), 100);  // [0.9999999, 1.0000003]
    CHECK(one.str() == "1.00000");
    CHECK(one.rounded);
    // 1 - 1e-20 within 1e-30: truncation keeps 19 nines (..98|99.. vs ..99|00..), rounding 29 digits
    Decimal near = certified_decimal(ball("0.99999999999999999999", "1e-30"), 100);
    CHECK(near.str() == "0.99999999999999999999000000000");
    CHECK(near.rounded);
    Decimal limit = certified_decimal(ball("1", "1e-475"), 1000);  // a limit of exactly 1
    CHECK(limit.count() == 474);
    CHECK(limit.digits == "1" + std::string(473, '0'));
    CHECK(limit.exp10 == 1);
    CHECK(limit.rounded);
    CHECK(certified_decimal(ball("1", "1e-475"), 50).count() == 50);  // capped by max_digits

    // negative values: digits of |x|, sign kept
    CHECK(certified_decimal(ball("-2.71828182845", "1e-9"), 100).str() == "-2.71828182");

    // max_digits caps the output
    CHECK(certified_decimal(ball("3.14159265358979", "1e-14"), 5).str() == "3.1415");

    // an exact value prints as many digits as asked, trailing zeros included
    Ball half;
    arb_set_d(half.get(), 0.5);
    CHECK(certified_decimal(half, 4).str() == "0.5000");

    // zero inside the ball, or not finite: no digit
    CHECK(certified_decimal(ball("1e-20", "1e-19"), 10).digits.empty());
    Ball inf;
    arb_pos_inf(inf.get());
    CHECK(certified_decimal(inf, 10).digits.empty());
}

TEST_CASE("decimal: formatting of small and large magnitudes", "[decimal]") {
    CHECK(certified_decimal(ball("0.0001234567", "1e-15"), 6).str() == "0.000123456");
    CHECK(certified_decimal(ball("0.000123456", "1e-15"), 6).str() == "0.00012345");  // 123455999.. vs 123456000..
    CHECK(certified_decimal(ball("1.5432e-20", "1e-30"), 3).str() == "1.54e-20");
    CHECK(certified_decimal(ball("123456.7891", "1e-9"), 9).str() == "123456.789");
    CHECK(certified_decimal(ball("123456789", "1e-3"), 4).str() == "1.234e8");
    CHECK(certified_decimal(ball("-0.5512", "1e-30"), 2).str() == "-0.55");
    CHECK(certified_decimal(ball("-0.5", "1e-30"), 2).str() == "-0.50");  // [-0.50..01, -0.49..99], rounded
    CHECK(certified_decimal(ball("-0.5", "1e-30"), 2).rounded);
}
