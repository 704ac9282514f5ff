// The relation value type: DESIGN.md's text and JSON forms, normalisation, the cost in digits,
// and exact evaluation against values computed independently with Arb's own functions.
#include "src/relation.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace cvg;

namespace {

std::vector<Int> ints(std::initializer_list<long> v) {
    std::vector<Int> r;
    for (long x : v) r.emplace_back(x);
    return r;
}

bool agree(const Ball& x, const Ball& y, slong bits) {
    Ball d;
    arb_sub(d.get(), x.get(), y.get(), bits + 64);
    arb_abs(d.get(), d.get());
    Ball tol;
    arb_set_ui(tol.get(), 1);
    arb_mul_2exp_si(tol.get(), tol.get(), -bits);
    return arb_lt(d.get(), tol.get()) != 0;
}

}  // namespace

TEST_CASE("relation: text and JSON of ratios (DESIGN.md)", "[relation]") {
    Relation r = Relation::ratio({"1", "pi"}, ints({12, -3}), ints({10, -3}));
    CHECK(r.text() == "(12 - 3*pi)/(10 - 3*pi)");
    CHECK(r.json() == R"({"basis":["1","pi"],"numerator":[12,-3],"denominator":[10,-3]})");
    CHECK(r.numerator() == ints({12, -3}));
    CHECK(r.denominator() == ints({10, -3}));
    CHECK(r.coefficient_digits() == 6);
    CHECK(r.digits_needed() == 22);

    CHECK(Relation::ratio({"1", "zeta3"}, ints({6, 0}), ints({0, 1})).text() == "6/zeta3");
    CHECK(Relation::ratio({"1", "catalan"}, ints({1, 0}), ints({0, 2})).text() == "1/(2*catalan)");
    CHECK(Relation::ratio({"1", "e"}, ints({-1, 1}), ints({1, 0})).text() == "-1 + e");
    CHECK(Relation::ratio({"1", "pi", "pi^2"}, ints({30, 0, 0}), ints({0, 0, 1})).text() == "30/pi^2");
    CHECK(Relation::ratio({"1", "e"}, ints({0, 1}), ints({-1, 1})).text() == "e/(-1 + e)");
    // big coefficients are JSON strings
    Relation big = Relation::ratio({"1"}, {Int(mpz_class("123456789012345678901234567890"))}, ints({7}));
    CHECK(big.json() == R"({"basis":["1"],"numerator":["123456789012345678901234567890"],"denominator":[7]})");
}

TEST_CASE("relation: normalisation (content, sign) and degenerate relations", "[relation]") {
    Relation r = Relation::ratio({"1", "pi"}, ints({-8, 0}), ints({0, -2}));
    r.normalize();
    CHECK(r.numerator() == ints({4, 0}));
    CHECK(r.denominator() == ints({0, 1}));
    Relation d = Relation::polynomial({"1", "sqrt2", "sqrt2^2"}, {ints({-2, 0, 1}), ints({0, 0, 0})});
    CHECK(d.degenerate());
    CHECK_THROWS_AS(d.value(64), std::domain_error);
    CHECK_THROWS_AS(Relation::ratio({"1", "pi"}, ints({1}), ints({1, 2})), std::invalid_argument);
    // the relation vector of [1, c, x, x c] is read as c0 + c1 K + x (d0 + d1 K) = 0
    Relation v = Relation::from_vector({"1", "pi"}, 1, ints({-12, 3, 10, -3}));
    v.normalize();
    CHECK(v.text() == "(12 - 3*pi)/(10 - 3*pi)");
}

TEST_CASE("relation: algebraic numbers carry their minimal polynomial", "[relation]") {
    Relation r = Relation::polynomial({"1"}, {ints({-5}), ints({9}), ints({-15}), ints({3})});
    CHECK(r.degree() == 3);
    CHECK(r.text() == "root of 3*x^3 - 15*x^2 + 9*x - 5");
    CHECK(r.json() == R"({"basis":["1"],"minimal_polynomial":[-5,9,-15,3]})");
    // (cbrt(4) + 1)/(cbrt(4) - 1), from Arb's cube root
    Ball c, x, num, den;
    arb_set_ui(c.get(), 4);
    arb_root_ui(c.get(), c.get(), 3, 300);
    arb_add_ui(num.get(), c.get(), 1, 300);
    arb_sub_ui(den.get(), c.get(), 1, 300);
    arb_div(x.get(), num.get(), den.get(), 300);
    CHECK(agree(r.value(256, &x), x, 250));

    Relation s = Relation::ratio({"1", "sqrt2"}, ints({1, 1}), ints({1, 0}));
    s.set_minimal_polynomial(ints({-1, -2, 1}));
    CHECK(s.text() == "1 + sqrt2");
    CHECK(s.json() == R"({"basis":["1","sqrt2"],"numerator":[1,1],"denominator":[1,0],"minimal_polynomial":[-1,-2,1]})");
}

TEST_CASE("relation: values against Arb's own functions", "[relation]") {
    const slong prec = 600;
    Ball want, t;
    // (e + 1)/(e - 1) = coth(1/2)
    arb_set_d(t.get(), 0.5);
    arb_coth(want.get(), t.get(), prec);
    CHECK(agree(Relation::ratio({"1", "e"}, ints({1, 1}), ints({-1, 1})).value(prec), want, prec - 8));
    // 4/pi + 1 = (4 + pi)/pi
    arb_const_pi(t.get(), prec);
    arb_ui_div(want.get(), 4, t.get(), prec);
    arb_add_ui(want.get(), want.get(), 1, prec);
    CHECK(agree(Relation::ratio({"1", "pi"}, ints({4, 1}), ints({0, 1})).value(prec), want, prec - 8));
    // coth(1/4) = (sqrt(e)+1)/(sqrt(e)-1) is the root of (e-1) x^2 - 2(e+1) x + (e-1) near 4.08
    arb_set_d(t.get(), 0.25);
    arb_coth(want.get(), t.get(), prec);
    Relation q = Relation::polynomial({"1", "e"}, {ints({-1, 1}), ints({-2, -2}), ints({-1, 1})});
    CHECK(q.text() == "root of (-1 + e)*x^2 + (-2 - 2*e)*x + (-1 + e)");
    CHECK(q.json() == R"({"basis":["1","e"],"minimal_polynomial":[[-1,1],[-2,-2],[-1,1]]})");
    CHECK(agree(q.value(prec, &want), want, prec - 8));
    // the other root is 1/coth(1/4) = tanh(1/4)
    Ball th;
    arb_tanh(th.get(), t.get(), prec);
    CHECK(agree(q.value(prec, &th), th, prec - 8));
    // 1/(pi log 2), a product monomial
    Ball l2;
    arb_const_log2(l2.get(), prec);
    arb_const_pi(t.get(), prec);
    arb_mul(t.get(), t.get(), l2.get(), prec);
    arb_inv(want.get(), t.get(), prec);
    CHECK(agree(Relation::ratio({"1", "pi*log2"}, ints({1, 0}), ints({0, 1})).value(prec), want, prec - 8));
}

TEST_CASE("relation: decimal digits of coefficients", "[relation]") {
    CHECK(decimal_digits(Int(0)) == 0);
    CHECK(decimal_digits(Int(9)) == 1);
    CHECK(decimal_digits(Int(-10)) == 2);
    CHECK(decimal_digits(Int(1000000)) == 7);
}
