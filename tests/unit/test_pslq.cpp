// PSLQ against the same independently known relations as LLL, its norm bound, and agreement
// with LLL on planted relations.
#include "src/lll.hpp"
#include "src/pslq.hpp"

#include <catch2/catch.hpp>
#include <flint/flint.h>

#include <cmath>
#include <vector>

using namespace cvg;

namespace {

constexpr slong kPrec = 400;

Ball constant(void (*f)(arb_t, slong)) {
    Ball b;
    f(b.get(), kPrec);
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

std::vector<long> as_longs(const std::vector<Int>& v) {
    std::vector<long> r;
    for (const Int& c : v) r.push_back(fmpz_fits_si(c.get()) ? fmpz_get_si(c.get()) : 999999999);
    return r;
}

bool same_up_to_sign(const std::vector<Int>& got, std::vector<long> want) {
    std::vector<long> g = as_longs(got);
    if (g == want) return true;
    for (long& w : want) w = -w;
    return g == want;
}

}  // namespace

TEST_CASE("pslq: Machin's formula and zeta(2) = pi^2/6", "[pslq]") {
    Ball pi = constant(arb_const_pi), a5, a239, z2;
    arb_set_ui(a5.get(), 5);
    arb_inv(a5.get(), a5.get(), kPrec);
    arb_atan(a5.get(), a5.get(), kPrec);
    arb_set_ui(a239.get(), 239);
    arb_inv(a239.get(), a239.get(), kPrec);
    arb_atan(a239.get(), a239.get(), kPrec);
    PslqResult r = pslq({pi, a5, a239});
    CHECK(same_up_to_sign(r.relation, {1, -16, 4}));
    arb_zeta_ui(z2.get(), 2, kPrec);
    CHECK(same_up_to_sign(pslq({z2, mul(pi, pi)}).relation, {6, -1}));
}

TEST_CASE("pslq: the Moebius relation of the peers' benchmark, and algdep of sqrt2 + sqrt3", "[pslq]") {
    Ball pi = constant(arb_const_pi), x, t;
    arb_mul_si(t.get(), pi.get(), -3, kPrec);
    arb_add_si(x.get(), t.get(), 12, kPrec);
    arb_add_si(t.get(), t.get(), 10, kPrec);
    arb_div(x.get(), x.get(), t.get(), kPrec);
    CHECK(same_up_to_sign(pslq({one(), x, pi, mul(x, pi)}).relation, {-12, 10, 3, -3}));

    Ball s;
    arb_sqrt_ui(s.get(), 2, kPrec);
    arb_sqrt_ui(t.get(), 3, kPrec);
    arb_add(s.get(), s.get(), t.get(), kPrec);
    std::vector<Ball> v{one()};
    for (int k = 1; k <= 4; ++k) v.push_back(mul(v.back(), s));
    CHECK(same_up_to_sign(pslq(v).relation, {1, 0, -10, 0, 1}));
}

TEST_CASE("pslq: no relation comes with a proven norm bound", "[pslq]") {
    Ball pi = constant(arb_const_pi), y;
    arb_zeta_ui(y.get(), 3, kPrec);
    arb_inv(y.get(), y.get(), kPrec);
    arb_mul_ui(y.get(), y.get(), 6, kPrec);
    PslqOptions o;
    o.max_coef = Int(1000000);
    PslqResult r = pslq({one(), y, pi, mul(y, pi)}, o);
    CHECK(r.relation.empty());
    CHECK(r.bound_exceeded);
    CHECK(r.log2_norm_bound > std::log2(1e6));
    // with the precision as the only limit, it stops when the coefficients outgrow it
    PslqOptions low;
    low.input_bits = 100;
    PslqResult r2 = pslq({one(), y, pi, mul(y, pi)}, low);
    CHECK(r2.relation.size() <= 4);
    if (!r2.relation.empty()) {  // a relation at 100 bits has ~25-bit coefficients: generic
        flint_bitcnt_t b = 0;
        for (const Int& c : r2.relation) b = std::max(b, c.bits());
        CHECK(b >= 16);
    } else {
        CHECK(r2.precision_exhausted);
    }
}

TEST_CASE("pslq: dimension 2 is Euclid: 1/5 and 355/113", "[pslq]") {
    for (slong prec : {200, 400}) {
        Ball x;
        arb_set_ui(x.get(), 1);
        arb_div_ui(x.get(), x.get(), 5, prec);
        CHECK(same_up_to_sign(pslq({one(), x}).relation, {1, -5}));
        arb_set_ui(x.get(), 355);
        arb_div_ui(x.get(), x.get(), 113, prec);
        CHECK(same_up_to_sign(pslq({one(), x}).relation, {355, -113}));
    }
}

TEST_CASE("pslq: an exact zero is a relation by itself; bad input", "[pslq]") {
    Ball z, pi = constant(arb_const_pi);
    PslqResult r = pslq({pi, z, pi});
    CHECK(same_up_to_sign(r.relation, {0, 1, 0}));
    CHECK_THROWS_AS(pslq({pi}), std::invalid_argument);
}

TEST_CASE("pslq: agrees with LLL on planted relations", "[pslq]") {
    flint_rand_t st;
    flint_randinit(st);
    for (int trial = 0; trial < 24; ++trial) {
        INFO("trial " << trial);
        const int n = 3 + trial % 5;
        std::vector<Ball> v(n);
        Ball acc;
        long last = 1 + static_cast<long>(n_randint(st, 9));
        for (int i = 0; i < n - 1; ++i) {
            arb_urandom(v[i].get(), st, kPrec);
            Ball t;
            arb_mul_si(t.get(), v[i].get(), static_cast<long>(n_randint(st, 31)) - 15, kPrec);
            arb_add(acc.get(), acc.get(), t.get(), kPrec);
        }
        arb_div_si(v[n - 1].get(), acc.get(), -last, kPrec);
        PslqResult p = pslq(v);
        LllResult l = lll_relation(scale_for_relation(v));
        REQUIRE(p.relation.size() == static_cast<size_t>(n));
        std::vector<long> pl = as_longs(p.relation);
        CHECK(same_up_to_sign(l.relation, pl));
    }
    flint_randclear(st);
}
