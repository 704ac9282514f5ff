#include "src/exact.hpp"
#include "src/digits_out.hpp"

#include <catch2/catch.hpp>
#include <oneapi/tbb/global_control.h>

#include <cmath>
#include <random>

using namespace cvg;

namespace {

Pcf random_pcf(std::mt19937_64& rng) {
    auto poly = [&](int maxdeg, long range) {
        int deg = static_cast<int>(rng() % (maxdeg + 1));
        std::vector<Int> c;
        for (int i = 0; i <= deg; ++i) c.emplace_back(static_cast<slong>(rng() % (2 * range + 1)) - range);
        return Poly(c);
    };
    return Pcf{poly(3, 20), poly(4, 20)};
}

}  // namespace

TEST_CASE("exact: binary splitting equals the recurrence on random PCFs", "[exact]") {
    std::mt19937_64 rng(2024);
    for (int trial = 0; trial < 300; ++trial) {
        Pcf pcf = random_pcf(rng);
        uint64_t n = rng() % 400;
        INFO(pcf.describe() << " n=" << n);
        Convergents x = convergents(pcf, n), y = convergents_recurrence(pcf, n);
        CHECK(x.n == n);
        CHECK(x.p == y.p);
        CHECK(x.q == y.q);
        CHECK(x.p_prev == y.p_prev);
        CHECK(x.q_prev == y.q_prev);
    }
}

TEST_CASE("exact: the first convergents of Apery's PCF", "[exact]") {
    Pcf apery{Poly::parse("34n^3+51n^2+27n+5"), Poly::parse("-n^6")};
    // p_0 = 5, q_0 = 1; p_1 = 117*5 - 1 = 584, q_1 = 117; p_2 = 535*584 - 64*5 = 312120, q_2 = 535*117 - 64 = 62531
    Convergents c = convergents(apery, 2);
    CHECK(c.p.str() == "312120");
    CHECK(c.q.str() == "62531");
    CHECK(c.p_prev.str() == "584");
    CHECK(c.q_prev.str() == "117");
    // determinant identity p_{n-1} q_n - p_n q_{n-1} = prod(-b(i)) at a deep level
    Convergents d = convergents(apery, 1500);
    Int lhs, t, prod(1);
    fmpz_mul(lhs.get(), d.p_prev.get(), d.q.get());
    fmpz_mul(t.get(), d.p.get(), d.q_prev.get());
    fmpz_sub(lhs.get(), lhs.get(), t.get());
    for (slong i = 1; i <= 1500; ++i) {
        Int bi = apery.b.eval(i);
        fmpz_neg(bi.get(), bi.get());
        fmpz_mul(prod.get(), prod.get(), bi.get());
    }
    CHECK(lhs == prod);
}

TEST_CASE("exact: extend and step_back agree with direct evaluation", "[exact]") {
    std::mt19937_64 rng(7);
    for (int trial = 0; trial < 100; ++trial) {
        Pcf pcf = random_pcf(rng);
        if (pcf.b.is_zero()) continue;
        uint64_t n1 = 2 + rng() % 200, n2 = n1 + rng() % 300;
        Convergents direct = convergents(pcf, n2);
        Convergents ext = extend(pcf, convergents(pcf, n1), n2);
        CHECK(ext.p == direct.p);
        CHECK(ext.q == direct.q);
        CHECK(ext.q_prev == direct.q_prev);
        if (pcf.b.eval(static_cast<slong>(n2)).is_zero()) continue;
        Convergents back = step_back(pcf, direct), before = convergents(pcf, n2 - 1);
        CHECK(back.p == before.p);
        CHECK(back.q_prev == before.q_prev);
        CHECK(back.p_prev == before.p_prev);
    }
}

TEST_CASE("exact: the parallel product equals the one-thread product", "[exact]") {
    Pcf pcf{Poly::parse("3n^2+3n+1"), Poly::parse("-2n^4")};
    Convergents one, many;
    {
        tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
        one = convergents(pcf, 30000);
    }
    many = convergents(pcf, 30000);
    CHECK(one.p == many.p);
    CHECK(one.q == many.q);
    CHECK(one.q.bits() > 100000);  // big enough that large products took the parallel path
}

namespace {

Mat2 random_mat2(flint_rand_t st, flint_bitcnt_t bits) {
    Mat2 m;
    for (Int* e : {&m.m00, &m.m01, &m.m10, &m.m11}) {
        fmpz_randbits(e->get(), st, bits);  // exactly that many bits, random sign
    }
    return m;
}

Mat2 classical(const Mat2& x, const Mat2& y) {
    Mat2 r;
    fmpz_fmma(r.m00.get(), x.m00.get(), y.m00.get(), x.m01.get(), y.m10.get());
    fmpz_fmma(r.m01.get(), x.m00.get(), y.m01.get(), x.m01.get(), y.m11.get());
    fmpz_fmma(r.m10.get(), x.m10.get(), y.m00.get(), x.m11.get(), y.m10.get());
    fmpz_fmma(r.m11.get(), x.m10.get(), y.m01.get(), x.m11.get(), y.m11.get());
    return r;
}

bool same(const Mat2& a, const Mat2& b) {
    return a.m00 == b.m00 && a.m01 == b.m01 && a.m10 == b.m10 && a.m11 == b.m11;
}

Pcf apery() { return Pcf{Poly::parse("34n^3+51n^2+27n+5"), Poly::parse("-n^6")}; }

}  // namespace

TEST_CASE("exact: mat2_mul is the classical product on every path (GMP, Winograd, FFT)", "[exact]") {
    flint_rand_t st;
    flint_randinit(st);
    // sizes below, at and above the Winograd (300 limbs) and transform (kDotFftLimbs) thresholds
    for (flint_bitcnt_t bits : {10u, 64u, 99u * 64, 101u * 64, 1499u * 64, 1501u * 64, 2100u * 64, 20000u * 64}) {
        INFO("bits " << bits);
        Mat2 x = random_mat2(st, bits), y = random_mat2(st, bits), out;
        Mat2 ref = classical(x, y);
        mat2_mul(out, x, y);
        CHECK(same(out, ref));
        for (MulStrategy m : {MulStrategy::classical, MulStrategy::winograd, MulStrategy::transform}) {
            INFO("strategy " << static_cast<int>(m));
            Mat2 o;
            mat2_mul(o, x, y, m);
            CHECK(same(o, ref));
        }
    }
    // unbalanced factors (GMP below the threshold, transforms up to 8:1, GMP again beyond) and
    // a zero entry
    for (flint_bitcnt_t ybits : {100u, 2000u * 64, 12000u * 64}) {
        INFO("x 20000 limbs, y bits " << ybits);
        Mat2 x = random_mat2(st, 20000 * 64), y = random_mat2(st, ybits), out;
        x.m10 = 0;
        mat2_mul(out, x, y);
        CHECK(same(out, classical(x, y)));
        mat2_mul(out, y, x);
        CHECK(same(out, classical(y, x)));
    }
    flint_randclear(st);
}

TEST_CASE("exact: top_convergents has p_n, q_n exactly and q_{n-1} in its ball", "[exact]") {
    std::mt19937_64 rng(99);
    auto check = [](const Pcf& pcf, uint64_t n) {
        INFO(pcf.describe() << " n=" << n);
        TopConvergents t = top_convergents(pcf, n);
        Convergents c = convergents_recurrence(pcf, n);
        CHECK(t.n == n);
        CHECK(t.p == c.p);
        CHECK(t.q == c.q);
        Ball exact;
        arb_set_fmpz(exact.get(), c.q_prev.get());
        CHECK(arb_contains(t.q_prev.get(), exact.get()));
        if (!c.q_prev.is_zero()) CHECK(arb_rel_accuracy_bits(t.q_prev.get()) > 100);
    };
    for (int trial = 0; trial < 100; ++trial) {
        Pcf pcf = random_pcf(rng);
        check(pcf, rng() % 300);
    }
    // long enough for the right spine (column-only products with ball first columns)
    check(apery(), 9000);
    check(Pcf{Poly::parse("3n^2+3n+1"), Poly::parse("-2n^4")}, 12345);
    check(Pcf{Poly::parse("n"), Poly::parse("-n^2+7")}, 10000);  // sign changes in b
}

TEST_CASE("exact: top_convergents is the same with every technique switched off", "[exact]") {
    Pcf a = apery();
    TopConvergents fast = top_convergents(a, 9000);
    for (bool spine : {true, false})
        for (MulStrategy m : {MulStrategy::classical, MulStrategy::winograd, MulStrategy::transform}) {
            INFO("spine " << spine << " strategy " << static_cast<int>(m));
            TopConvergents t = top_convergents(a, 9000, a.a.eval(0), SplitOptions{m, spine});
            CHECK(t.p == fast.p);
            CHECK(t.q == fast.q);
            CHECK(arb_overlaps(t.q_prev.get(), fast.q_prev.get()));
        }
}

TEST_CASE("exact: top_convergents with a(0) replaced (Brouncker's 4/pi)", "[exact]") {
    Pcf b{Poly::parse("2"), Poly::parse("(2n-1)^2")};
    // 1 + 1/(2 + 9/(2 + 25/2)) = 105/76 (the first convergents of 4/pi)
    TopConvergents t = top_convergents(b, 3, Int(1));
    CHECK(t.p.str() == "105");
    CHECK(t.q.str() == "76");
    TopConvergents deep = top_convergents(b, 6000, Int(1)), plain = top_convergents(b, 6000);
    CHECK(deep.q == plain.q);  // a(0) only changes p_n = p'_n - (a(0) - 1) q_n
    Int diff;
    fmpz_sub(diff.get(), plain.p.get(), deep.p.get());
    CHECK(diff == plain.q);
}

TEST_CASE("exact: supported digits and deep values agree with the peer scripts", "[exact]") {
    // RESULT lines of ../shared/bench/deep_gmpy2.py and deep_pari.sh at N = 1000
    Pcf a = apery();
    DeepValue v = deep_value(a, 1000, a.a.eval(0), log10_abs_prod_b(a, 1000));
    CHECK(v.digits == 3061);
    CHECK(v.value.substr(0, 50) == "49914442354842448120987576729291844065023383864023");
    CHECK(v.value.substr(v.value.size() - 10) == "7652960246");
    Pcf b{Poly::parse("2"), Poly::parse("(2n-1)^2")};
    DeepValue w = deep_value(b, 1000, Int(1), log10_abs_prod_b(b, 1000));
    CHECK(w.digits == 3);
    CHECK(w.value == "127");
}

TEST_CASE("exact: supported_digits from the ball equals the exact formula", "[exact]") {
    std::mt19937_64 rng(5);
    for (int trial = 0; trial < 60; ++trial) {
        Pcf pcf = random_pcf(rng);
        uint64_t n = 50 + rng() % 400;
        if (pcf.termination_index() && *pcf.termination_index() <= n) continue;
        Convergents c = convergents(pcf, n);
        if (c.q.is_zero() || c.q_prev.is_zero()) continue;
        INFO(pcf.describe() << " n=" << n);
        double lpb = log10_abs_prod_b(pcf, n);
        long expect = std::max(1L, static_cast<long>(std::floor(log10_abs_peer(c.q) + log10_abs_peer(c.q_prev) - lpb)));
        CHECK(supported_digits(pcf, top_convergents(pcf, n), lpb) == expect);
    }
    // log10 of a product of b(i) from its terms
    Pcf a = apery();
    double direct = 0;
    for (int i = 1; i <= 100; ++i) direct += 6 * std::log10(static_cast<double>(i));
    CHECK(log10_abs_prod_b(a, 100) == Approx(direct).epsilon(1e-14));
}

TEST_CASE("exact: supported_digits falls back to exact q_{n-1} when its ball holds zero", "[exact]") {
    // a(n) = 0, b(n) = 1: q_n = 0 for odd n, so q_{n-1} = 0 at even n (past the spine threshold)
    Pcf pcf{Poly::parse("0"), Poly::parse("1")};
    TopConvergents t = top_convergents(pcf, 6000);
    CHECK(t.q == Int(1));
    CHECK(arb_contains_zero(t.q_prev.get()));
    CHECK(supported_digits(pcf, t, log10_abs_prod_b(pcf, 6000)) == 1);
}

TEST_CASE("exact: deep values are identical on one and two threads", "[exact]") {
    Pcf a = apery();
    DeepValue one, two;
    double lpb = log10_abs_prod_b(a, 20000);
    {
        tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
        one = deep_value(a, 20000, a.a.eval(0), lpb);
    }
    {
        tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 2);
        two = deep_value(a, 20000, a.a.eval(0), lpb);
    }
    CHECK(one.conv.p == two.conv.p);
    CHECK(one.conv.q == two.conv.q);
    CHECK(one.digits == two.digits);
    CHECK(one.value == two.value);
    CHECK(one.conv.q.bits() > 5000 * 64);  // the transform path ran
}
