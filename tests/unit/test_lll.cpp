// LLL integer relations against independently known relations (Machin's formula, zeta(2) =
// pi^2/6, the minimal polynomial x^4 - 10x^2 + 1 of sqrt2 + sqrt3, a Moebius transform of pi
// from the Ramanujan Machine), against fplll, and against FLINT's exact reducedness test.
#include "src/lll.hpp"

#include <catch2/catch.hpp>
#include <flint/flint.h>

#include <vector>

using namespace cvg;

namespace {

constexpr slong kPrec = 400;  // ~120 digits

Ball pi() {
    Ball b;
    arb_const_pi(b.get(), kPrec);
    return b;
}

Ball atan_inv(ulong k) {
    Ball b;
    arb_set_ui(b.get(), k);
    arb_inv(b.get(), b.get(), kPrec);
    arb_atan(b.get(), b.get(), kPrec);
    return b;
}

Ball mul(const Ball& x, const Ball& y) {
    Ball r;
    arb_mul(r.get(), x.get(), y.get(), kPrec);
    return r;
}

Ball one() {
    Ball b;
    arb_one(b.get());
    return b;
}

// x = (12 - 3 pi)/(10 - 3 pi), the Ramanujan Machine's PCF a(n) = 3n+6, b(n) = -2n^2-5n-3
Ball mobius_pi() {
    Ball p = pi(), n, d, x;
    arb_mul_si(n.get(), p.get(), -3, kPrec);
    arb_add_si(d.get(), n.get(), 10, kPrec);
    arb_add_si(n.get(), n.get(), 12, kPrec);
    arb_div(x.get(), n.get(), d.get(), kPrec);
    return x;
}

std::vector<long> as_longs(const std::vector<Int>& v) {
    std::vector<long> r;
    for (const Int& c : v) r.push_back(fmpz_fits_si(c.get()) ? fmpz_get_si(c.get()) : 999999999);
    return r;
}

// the relation up to sign
bool same_up_to_sign(const std::vector<Int>& got, std::vector<long> want) {
    std::vector<long> g = as_longs(got);
    if (g == want) return true;
    for (long& w : want) w = -w;
    return g == want;
}

Int dot(const std::vector<Int>& m, const std::vector<Int>& X) {
    Int s;
    for (size_t i = 0; i < m.size(); ++i) fmpz_addmul(s.get(), m[i].get(), X[i].get());
    return s;
}

}  // namespace

TEST_CASE("lll: Machin's formula pi = 16 atan(1/5) - 4 atan(1/239)", "[lll]") {
    ScaledVector s = scale_for_relation({pi(), atan_inv(5), atan_inv(239)});
    LllResult r = lll_relation(s);
    CHECK(same_up_to_sign(r.relation, {1, -16, 4}));
    CHECK(r.holds);
    CHECK(r.early);
}

TEST_CASE("lll: zeta(2) = pi^2 / 6", "[lll]") {
    Ball z;
    arb_zeta_ui(z.get(), 2, kPrec);
    LllResult r = lll_relation(scale_for_relation({z, mul(pi(), pi())}));
    CHECK(same_up_to_sign(r.relation, {6, -1}));
}

TEST_CASE("lll: the Moebius relation -12 + 10x + 3pi - 3x pi = 0", "[lll]") {
    Ball x = mobius_pi();
    std::vector<Ball> v{one(), x, pi(), mul(x, pi())};
    LllResult r = lll_relation(scale_for_relation(v));
    CHECK(same_up_to_sign(r.relation, {-12, 10, 3, -3}));
    CHECK(r.holds);
    LllOptions fp;
    fp.force_fplll = true;
    LllResult f = lll_relation(scale_for_relation(v), fp);
    CHECK(f.used_fplll);
    CHECK(same_up_to_sign(f.relation, {-12, 10, 3, -3}));
}

TEST_CASE("lll: algdep of sqrt2 + sqrt3 is x^4 - 10x^2 + 1", "[lll]") {
    Ball x, t;
    arb_sqrt_ui(x.get(), 2, kPrec);
    arb_sqrt_ui(t.get(), 3, kPrec);
    arb_add(x.get(), x.get(), t.get(), kPrec);
    std::vector<Ball> v{one()};
    for (int k = 1; k <= 4; ++k) v.push_back(mul(v.back(), x));
    LllResult r = lll_relation(scale_for_relation(v));
    CHECK(same_up_to_sign(r.relation, {1, 0, -10, 0, 1}));
}

TEST_CASE("lll: dimension 8, a ratio over 1, pi, e, pi*e", "[lll]") {
    // x = (1 + 2 pi - e) / (3 + pi e): 1 + 2pi - e + 0 pi e - 3x - 0 x pi - 0 x e - x pi e = 0
    Ball p = pi(), e, pe, n, d, x;
    arb_const_e(e.get(), kPrec);
    pe = mul(p, e);
    arb_mul_2exp_si(n.get(), p.get(), 1);
    arb_add_ui(n.get(), n.get(), 1, kPrec);
    arb_sub(n.get(), n.get(), e.get(), kPrec);
    arb_add_ui(d.get(), pe.get(), 3, kPrec);
    arb_div(x.get(), n.get(), d.get(), kPrec);
    std::vector<Ball> v{one(), p, e, pe, x, mul(x, p), mul(x, e), mul(x, pe)};
    LllResult r = lll_relation(scale_for_relation(v));
    CHECK(same_up_to_sign(r.relation, {1, 2, -1, 0, -3, 0, 0, -1}));
}

TEST_CASE("lll: no relation: the final basis is reduced and agrees with fplll in size", "[lll]") {
    // 6/zeta(3) against pi: [1, y, pi, y pi] has no relation (the peers' negative control)
    Ball y;
    arb_zeta_ui(y.get(), 3, kPrec);
    arb_inv(y.get(), y.get(), kPrec);
    arb_mul_ui(y.get(), y.get(), 6, kPrec);
    std::vector<Ball> v{one(), y, pi(), mul(y, pi())};
    ScaledVector s = scale_for_relation(v);
    LllResult r = lll_relation(s);
    CHECK_FALSE(r.early);
    CHECK(r.rounds > 1);
    // the whole lattice basis [U | U X] is LLL-reduced (checked exactly by FLINT, delta 0.75)
    std::vector<std::vector<Int>> rows = r.basis;
    for (size_t i = 0; i < rows.size(); ++i) {
        rows[i].push_back(r.residuals[i]);
        CHECK(r.residuals[i] == dot(r.basis[i], s.X));
    }
    CHECK(is_lll_reduced(rows, 0.75, 0.55));
    // the shortest vector is as short as fplll's (both within the LLL factor of lambda_1)
    LllOptions fp;
    fp.force_fplll = true;
    LllResult f = lll_relation(s, fp);
    auto norm_bits = [](const std::vector<Int>& m) {
        flint_bitcnt_t b = 0;
        for (const Int& c : m) b = std::max(b, c.bits());
        return static_cast<long>(b);
    };
    CHECK(std::abs(norm_bits(r.relation) - norm_bits(f.relation)) <= 4);
    CHECK(norm_bits(r.relation) > 70);  // ~ 2^(P/4): 24-25 digits, as PARI's lindep
}

TEST_CASE("lll: a coefficient bound stops the search", "[lll]") {
    Ball x = mobius_pi();
    std::vector<Ball> v{one(), x, pi(), mul(x, pi())};
    LllOptions o;
    o.max_coef = Int(5);  // the relation needs 12
    LllResult r = lll_relation(scale_for_relation(v), o);
    CHECK(r.bound_exceeded);
    o.max_coef = Int(12);
    r = lll_relation(scale_for_relation(v), o);
    CHECK_FALSE(r.bound_exceeded);
    CHECK(same_up_to_sign(r.relation, {-12, 10, 3, -3}));
}

TEST_CASE("lll: precision from the radii; bad input", "[lll]") {
    Ball a = pi(), b = atan_inv(5);
    arb_add_error_2exp_si(a.get(), -100);
    ScaledVector s = scale_for_relation({a, b});
    CHECK(s.bits >= 95);
    CHECK(s.bits <= 101);
    CHECK(scale_for_relation({a, b}, 60).bits == 60);
    CHECK_THROWS_AS(scale_for_relation({a}), std::invalid_argument);
    Ball zero, vague;
    CHECK_THROWS_AS(scale_for_relation({zero, zero}), std::invalid_argument);
    arb_set_d(vague.get(), 0.5);
    arb_add_error_2exp_si(vague.get(), -8);
    CHECK_THROWS_AS(scale_for_relation({vague, vague}), std::invalid_argument);
}

TEST_CASE("lll: fplll wrapper reduces and returns the transform", "[lll]") {
    // a knapsack-type lattice
    std::vector<std::vector<Int>> rows = {{Int(1), Int(0), Int(0), Int(1000003)},
                                          {Int(0), Int(1), Int(0), Int(1414214)},
                                          {Int(0), Int(0), Int(1), Int(1732051)}};
    auto before = rows;
    CHECK_FALSE(is_lll_reduced(rows));
    std::vector<std::vector<Int>> T;
    lll_reduce_fplll(rows, &T);
    CHECK(is_lll_reduced(rows, 0.99, 0.51));
    for (size_t i = 0; i < rows.size(); ++i)
        for (size_t c = 0; c < rows[i].size(); ++c) {
            Int s;
            for (size_t j = 0; j < rows.size(); ++j) fmpz_addmul(s.get(), T[i][j].get(), before[j][c].get());
            CHECK(s == rows[i][c]);
        }
}

TEST_CASE("lll: random planted relations are found, fast path and fplll alike", "[lll]") {
    flint_rand_t st;
    flint_randinit(st);
    for (int trial = 0; trial < 40; ++trial) {
        INFO("trial " << trial);
        const int n = 3 + trial % 6;  // 3..8
        // x_0..x_{n-2} random, x_{n-1} = -(sum m_i x_i) / m_{n-1}
        std::vector<Ball> v(n);
        std::vector<long> m(n);
        Ball acc;
        for (int i = 0; i < n - 1; ++i) {
            arb_urandom(v[i].get(), st, kPrec);
            m[i] = static_cast<long>(n_randint(st, 41)) - 20;
            Ball t;
            arb_mul_si(t.get(), v[i].get(), m[i], kPrec);
            arb_add(acc.get(), acc.get(), t.get(), kPrec);
        }
        m[n - 1] = 1 + static_cast<long>(n_randint(st, 9));
        arb_div_si(v[n - 1].get(), acc.get(), -m[n - 1], kPrec);
        ScaledVector s = scale_for_relation(v);
        LllResult r = lll_relation(s);
        Int res = dot(r.relation, s.X);
        CHECK(r.holds);
        CHECK(res == r.residual);
        // the planted relation, or one at least as short that also holds
        long maxp = 0, maxr = 0;
        for (long c : m) maxp = std::max(maxp, std::labs(c));
        for (long c : as_longs(r.relation)) maxr = std::max(maxr, std::labs(c));
        CHECK(maxr <= maxp);
        LllOptions fp;
        fp.force_fplll = true;
        CHECK(lll_relation(s, fp).holds);
    }
    flint_randclear(st);
}
