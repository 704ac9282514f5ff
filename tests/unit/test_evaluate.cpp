#include "src/constants.hpp"
#include "src/evaluate.hpp"
#include "src/csv.hpp"
#include "tests/support/limit_expr.hpp"

#include <arb_hypgeom.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>

using namespace cvg;

namespace {

Pcf pcf_of(const char* a, const char* b) { return Pcf{Poly::parse(a), Poly::parse(b)}; }

// "1,-4,4" (ascending coefficients, as in the CSV) -> Poly
Poly poly_from_list(const std::string& s) {
    std::vector<Int> c;
    size_t i = 0;
    while (i <= s.size()) {
        size_t j = s.find(',', i);
        if (j == std::string::npos) j = s.size();
        c.emplace_back(std::stol(s.substr(i, j - i)));
        i = j + 1;
    }
    return Poly(c);
}

// The digits of `d` are a prefix of the true value's truncated expansion; `truth(prec)` gives
// the true value at a binary precision.
void check_digits_true(const Decimal& d, const std::function<Ball(slong)>& truth) {
    Decimal t = certified_decimal(truth(bits_for_digits(d.count() + 30)), d.count() + 5);
    REQUIRE(t.count() >= d.count());
    CHECK(t.negative == d.negative);
    CHECK(t.exp10 == d.exp10);
    CHECK(t.digits.substr(0, d.digits.size()) == d.digits);
}

}  // namespace

TEST_CASE("evaluate: 6/zeta(3) to 1000 digits", "[evaluate]") {
    EvalOptions opt;
    opt.digits = 1000;
    EvalResult r = evaluate(pcf_of("34n^3+51n^2+27n+5", "-n^6"), opt);
    REQUIRE(r.converges);
    CHECK(r.value.count() == 1000);
    CHECK(r.convergence == "exponential");
    CHECK(r.digits_per_term == Approx(3.06).margin(0.01));  // 4 log10(1+sqrt 2) = 3.0620...
    CHECK(r.depth < 400);
    check_digits_true(r.value, [](slong prec) { return test::limit_value("6/zeta(3)", prec); });
}

TEST_CASE("evaluate: every formula of known_pcfs.csv reaches its limit", "[evaluate][known]") {
    auto rows = read_csv(KNOWN_PCFS_CSV);
    REQUIRE(rows.size() >= 25);
    for (const auto& row : rows) {
        INFO(row.at("id") << ": " << row.at("limit"));
        Pcf pcf{poly_from_list(row.at("a")), poly_from_list(row.at("b"))};
        long want = std::stol(row.at("digits_verified"));
        uint64_t depth = std::stoull(row.at("depth_used"));
        // the limit column uses tan1's value cot(1) etc.; all are closed forms
        auto truth = [&](slong prec) { return test::limit_value(row.at("limit"), prec); };

        EvalOptions opt;  // adaptive, capped at the depth the CSV used
        opt.digits = want;
        opt.max_depth = depth;
        EvalResult r = evaluate(pcf, opt);
        REQUIRE(r.converges);
        check_digits_true(r.value, truth);
        // honest but not timid: at most 2 digits fewer than the CSV verified at that depth
        CHECK(r.value.count() >= want - 2);

        EvalOptions fixed;  // fixed depth 1000
        fixed.depth = 1000;
        EvalResult f = evaluate(pcf, fixed);
        long at1000 = std::stol(row.at("digits_at_1000"));
        check_digits_true(f.value, truth);
        CHECK(f.value.count() >= at1000 - 2);
    }
}

TEST_CASE("evaluate: a terminating PCF has an exact rational value", "[evaluate]") {
    // b(4) = 0: value = x_3 exactly
    Pcf pcf = pcf_of("n+1", "n-4");
    EvalOptions opt;
    opt.digits = 60;
    opt.keep_exact = true;
    EvalResult r = evaluate(pcf, opt);
    CHECK(r.terminated);
    CHECK(r.termination_index == 4);
    CHECK(r.convergence == "exact");
    REQUIRE(r.exact);
    Convergents c = convergents_recurrence(pcf, 3);
    CHECK(r.exact->p == c.p);
    CHECK(r.exact->q == c.q);
    CHECK(r.value.count() == 60);
    check_digits_true(r.value, [&](slong prec) {
        Ball t;
        arb_fmpz_div_fmpz(t.get(), c.p.get(), c.q.get(), prec);
        return t;
    });
    // b(n) = 0 at n = 1: the value is a(0)
    EvalResult r0 = evaluate(pcf_of("7", "n-1"), EvalOptions{});
    CHECK(r0.terminated);
    CHECK(r0.value.str().substr(0, 4) == "7.00");
}

TEST_CASE("evaluate: a terminating PCF with q = 0 there has no value", "[evaluate]") {
    // a = 1, b = n - 3: q_2 = 0 and b(3) = 0, so the value is infinite
    EvalResult r = evaluate(pcf_of("1", "n-3"), EvalOptions{});
    CHECK(r.terminated);
    CHECK_FALSE(r.converges);
    CHECK_THAT(r.note, Catch::Contains("infinite"));
}

TEST_CASE("evaluate: a singular step q_n = 0 is passed over", "[evaluate]") {
    // a(n) = n - 1, b(n) = 1: q_1 = 0. Value = -1 + [1; 2, 3, 4, ...] = -1 + I0(2)/I1(2)
    EvalOptions opt;
    opt.digits = 40;
    EvalResult r = evaluate(pcf_of("n-1", "1"), opt);
    REQUIRE(r.converges);
    CHECK(r.value.count() == 40);
    check_digits_true(r.value, [](slong prec) {
        Ball i0, i1, two, nu;
        arb_set_ui(two.get(), 2);
        arb_set_ui(nu.get(), 0);
        arb_hypgeom_bessel_i(i0.get(), nu.get(), two.get(), prec);
        arb_set_ui(nu.get(), 1);
        arb_hypgeom_bessel_i(i1.get(), nu.get(), two.get(), prec);
        arb_div(i0.get(), i0.get(), i1.get(), prec);
        arb_sub_ui(i0.get(), i0.get(), 1, prec);
        return i0;
    });
}

TEST_CASE("evaluate: divergent and oscillating PCFs get no value", "[evaluate]") {
    for (auto [a, b] : {std::pair{"1", "-1"}, std::pair{"0", "1"}, std::pair{"1", "-n^2"}, std::pair{"n", "-n^2-n"}}) {
        INFO(a << " / " << b);
        EvalOptions opt;
        opt.max_depth = 100000;
        EvalResult r = evaluate(pcf_of(a, b), opt);
        CHECK_FALSE(r.converges);
        CHECK(r.value.count() == 0);
        CHECK_FALSE(r.note.empty());
    }
}

TEST_CASE("evaluate: fewer digits than asked are reported honestly", "[evaluate]") {
    // Brouncker converges like 1/n: 50 digits are out of reach at depth 10^4
    EvalOptions opt;
    opt.digits = 50;
    opt.max_depth = 10000;
    EvalResult r = evaluate(pcf_of("2", "(2n-1)^2"), opt);
    REQUIRE(r.converges);
    CHECK(r.value.count() < 10);
    CHECK(r.value.count() >= 3);
    CHECK_THAT(r.note, Catch::Contains("of 50 digits"));
    check_digits_true(r.value, [](slong prec) { return test::limit_value("4/pi + 1", prec); });
}

TEST_CASE("evaluate: the exact and MPFR methods agree", "[evaluate]") {
    for (auto [a, b] : {std::pair{"3n^2+3n+1", "-2n^4"}, std::pair{"2n+1", "n^2"}, std::pair{"5+10n", "1-9n^2"}}) {
        INFO(a << " / " << b);
        EvalOptions e, m;
        e.digits = m.digits = 80;
        e.method = EvalMethod::exact;
        m.method = EvalMethod::mpfr;
        EvalResult re = evaluate(pcf_of(a, b), e), rm = evaluate(pcf_of(a, b), m);
        REQUIRE(re.converges);
        REQUIRE(rm.converges);
        CHECK(re.method == "exact");
        CHECK(rm.method == "mpfr");
        CHECK(re.value.str() == rm.value.str());
    }
}
