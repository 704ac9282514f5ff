#include "search/esma.hpp"
#include "src/berlekamp_massey.hpp"
#include "src/constants.hpp"
#include "src/evaluate.hpp"
#include "src/signed_cf.hpp"
#include "src/signed_cf_fast.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

using namespace cvg;
using namespace cvg::search;

namespace {

std::vector<int64_t> expand(const char* constant, SignPattern s, int terms) {
    return signed_cf(constant_value(constant, 4000), s, terms);
}

}  // namespace

TEST_CASE("signed cf: classical expansions", "[esma]") {
    SignPattern plus{1, 0}, minus{1, 1};
    CHECK(expand("e", plus, 12) == std::vector<int64_t>{2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8});
    CHECK(expand("sqrt2", plus, 6) == std::vector<int64_t>{1, 2, 2, 2, 2, 2});
    CHECK(expand("pi", plus, 6) == std::vector<int64_t>{3, 7, 15, 1, 292, 1});
    // minus signs: a_k = ceil(x_k); sqrt 2 = 2 - 1/(2 - 1/(4 - 1/(2 - ...)))? check the identity instead
    std::vector<int64_t> m = expand("sqrt2", minus, 20);
    REQUIRE(m.size() == 20);
    Ball x = constant_value("sqrt2", 400), back;  // rebuild x from the last term backwards
    arb_set_si(back.get(), m.back());
    for (size_t k = m.size() - 1; k-- > 0;) {
        arb_inv(back.get(), back.get(), 400);
        arb_neg(back.get(), back.get());
        arb_add_si(back.get(), back.get(), m[k], 400);
    }
    arb_sub(back.get(), back.get(), x.get(), 400);
    CHECK(arf_cmpabs_2exp_si(arb_midref(back.get()), -10) < 0);
    CHECK(sign_patterns(1).size() == 2);
    CHECK(sign_patterns(2).size() == 4);  // +, -, +-, -+
    CHECK(sign_patterns(3).size() == 10);
}

TEST_CASE("signed cf: precision runs out honestly", "[esma]") {
    Ball wide = constant_value("e", 4000);
    mag_set_ui_2exp_si(arb_radref(wide.get()), 1, -60);  // e +- 2^-60: only ~18 digits
    std::vector<int64_t> q = signed_cf(wide, SignPattern{1, 0}, 100);
    CHECK(q.size() < 40);
    CHECK(q.size() > 10);
    std::vector<int64_t> full = expand("e", SignPattern{1, 0}, static_cast<int>(q.size()));
    CHECK(q == full);  // every term it gives is right
    Ball third;
    arb_set_ui(third.get(), 1);
    arb_div_ui(third.get(), third.get(), 3, 200);  // not exact: a ball around 1/3
    CHECK(signed_cf(third, SignPattern{1, 0}, 100).size() < 60);
}

namespace {

// The fast expansion with the given first precision, all terms.
std::vector<int64_t> fast(const Ball& x, SignPattern s, int terms, int limbs = SignedCfExpander::kDefaultLimbs,
                          bool fallback = true) {
    SignedCfExpander ex;
    ex.start(x, s, terms, limbs, fallback);
    std::vector<int64_t> out;
    for (int64_t a; ex.next(a);) out.push_back(a);
    return out;
}

bool is_prefix(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
    return a.size() <= b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// x = n + s 2^-k exactly (radius 0), or that with a radius of 2^-r.
Ball near_integer(slong n, int s, slong k, slong r = 0) {
    Ball x;
    arb_set_si(x.get(), s);
    arb_mul_2exp_si(x.get(), x.get(), -k);
    arb_add_si(x.get(), x.get(), n, ARF_PREC_EXACT);
    if (r) mag_set_ui_2exp_si(arb_radref(x.get()), 1, -r);
    return x;
}

}  // namespace

TEST_CASE("signed cf: the fast expansion gives exactly the exact expansion's terms", "[esma]") {
    // Random x = P(K)/Q(K) (degree <= 2, coefficients in [-20, 20]) at random precisions, every sign
    // pattern of period <= 2 (and two of period 3): the fast expansion returns exactly the terms of
    // the exact two-ended expansion of the same ball (which stops where the ball stops deciding),
    // and those are the terms of a far more precise ball of the same x (they are right).
    std::mt19937_64 rng(2024);
    std::vector<SignPattern> pats = sign_patterns(2);
    pats.push_back(SignPattern{3, 0b010});
    pats.push_back(SignPattern{3, 0b110});
    const char* names[] = {"e", "pi", "sqrt2", "catalan", "zeta3", "log2"};
    std::vector<Ball> K, Khigh;
    for (const char* n : names) {
        K.push_back(constant_value(n, 2200));
        Khigh.push_back(constant_value(n, 6000));
    }
    int compared = 0, restarts = 0, short_ones = 0;
    for (int trial = 0; trial < 2000; ++trial) {
        const size_t ki = rng() % K.size();
        search::Relation r;
        const int deg = static_cast<int>(rng() % 3);
        for (int i = 0; i <= deg; ++i) {
            r.num.push_back(static_cast<int64_t>(rng() % 41) - 20);
            r.den.push_back(static_cast<int64_t>(rng() % 41) - 20);
        }
        if (r.den.back() == 0) r.den.back() = 1;
        if (r.num.back() == 0) r.num.back() = 3;
        const slong prec = 64 + static_cast<slong>(rng() % 2000);  // sometimes too short for 100 terms
        Ball x = search::relation_value(r, K[ki], prec), xh = search::relation_value(r, Khigh[ki], 6000);
        if (!arb_is_finite(x.get())) continue;
        for (const SignPattern& s : pats) {
            std::vector<int64_t> want = signed_cf(x, s, 100), got = fast(x, s, 100);
            REQUIRE(got == want);
            CHECK(is_prefix(got, signed_cf(xh, s, 100)));
            // the fast path alone, at a very low first precision: never a wrong term
            CHECK(is_prefix(fast(x, s, 100, 1, false), want));
            CHECK(is_prefix(fast(x, s, 100, 2, false), want));
            CHECK(fast(x, s, 100, 2, true) == want);
            ++compared;
            short_ones += want.size() < 100;
            SignedCfExpander ex;
            ex.start(x, s, 100);
            for (int64_t a; ex.next(a);) {
            }
            restarts += ex.restarted();
        }
    }
    CHECK(compared > 10000);
    CHECK(short_ones > 100);  // balls too narrow for 100 terms were tried
    CHECK(restarts > 100);    // and the restart at the ball's full precision
}

TEST_CASE("signed cf: the fast expansion at integers, boundaries and extreme balls", "[esma]") {
    std::vector<SignPattern> pats = sign_patterns(2);
    std::vector<Ball> xs;
    for (slong n : {-7, -1, 0, 1, 2, 5, 1000003})
        for (int s : {-1, 1})
            for (slong k : {1, 2, 3, 30, 62, 63, 64, 65, 200, 510, 511, 512, 700, 2000}) {
                xs.push_back(near_integer(n, s, k));        // exactly n +- 2^-k
                xs.push_back(near_integer(n, s, k, k + 3));  // a ball around it
                xs.push_back(near_integer(n, s, k, 900));
            }
    for (slong n : {-3, 0, 1, 2, 7}) {
        xs.push_back(near_integer(n, 1, 10, 0));
        Ball exact;
        arb_set_si(exact.get(), n);  // an integer, exactly
        xs.push_back(exact);
        Ball around = exact;
        mag_set_ui_2exp_si(arb_radref(around.get()), 1, -100);  // a ball straddling the integer
        xs.push_back(around);
    }
    Ball q;  // exact rationals: finite expansions
    arb_set_si(q.get(), 7);
    arb_mul_2exp_si(q.get(), q.get(), -2);  // 7/4
    xs.push_back(q);
    arb_set_si(q.get(), -13);
    arb_mul_2exp_si(q.get(), q.get(), -5);  // -13/32
    xs.push_back(q);
    Ball big;  // beyond 2^62: the exact expansion takes over
    arb_set_ui(big.get(), 1);
    arb_mul_2exp_si(big.get(), big.get(), 70);
    arb_add(big.get(), big.get(), constant_value("pi", 500).get(), 500);
    xs.push_back(big);
    arb_neg(big.get(), big.get());
    xs.push_back(big);
    Ball wide = constant_value("e", 500);
    mag_set_ui_2exp_si(arb_radref(wide.get()), 1, -40);
    xs.push_back(wide);
    Ball tiny = constant_value("pi", 3000);  // pi 2^-1000: 1/x beyond every first precision
    arb_mul_2exp_si(tiny.get(), tiny.get(), -1000);
    xs.push_back(tiny);
    arb_neg(tiny.get(), tiny.get());
    xs.push_back(tiny);
    Ball inf;
    arb_indeterminate(inf.get());
    xs.push_back(inf);
    size_t nonempty = 0;
    for (const Ball& x : xs)
        for (const SignPattern& s : pats) {
            std::vector<int64_t> want = signed_cf(x, s, 100);
            nonempty += !want.empty();
            CHECK(fast(x, s, 100) == want);
            for (int limbs : {1, 2, 3, 9}) {
                CHECK(fast(x, s, 100, limbs, true) == want);
                CHECK(is_prefix(fast(x, s, 100, limbs, false), want));
            }
            CHECK(fast(x, s, 0).empty());
            CHECK(fast(x, s, 1) == std::vector<int64_t>(want.begin(), want.begin() + std::min<size_t>(1, want.size())));
        }
    CHECK(nonempty > xs.size() * 3);
    // values: 1 + 2^-3 = [1; 8] with +; with -: ceil gives 2 - 1/(1/(1 - 2^-3))... check one by hand
    CHECK(fast(near_integer(1, 1, 3), SignPattern{1, 0}, 100) == std::vector<int64_t>{1, 8});
    CHECK(fast(near_integer(2, -1, 3), SignPattern{1, 1}, 100) == std::vector<int64_t>{2, 8});  // 2 - 1/8
    CHECK(fast(near_integer(-1, 1, 1), SignPattern{1, 0}, 100) == std::vector<int64_t>{-1, 2});  // -1/2
}

TEST_CASE("berlekamp-massey: the incremental filter equals the textbook algorithm term by term", "[esma]") {
    const uint64_t p = LinearComplexity61::kP;
    std::mt19937_64 rng(77);
    LinearComplexity61 lc;
    for (int trial = 0; trial < 300; ++trial) {
        std::vector<int64_t> seq;
        const int kind = trial % 5;
        const size_t n = 1 + rng() % 120;
        if (kind == 0) {  // small partial-quotient-like values
            for (size_t i = 0; i < n; ++i) seq.push_back(1 + static_cast<int64_t>(rng() % 7));
        } else if (kind == 1) {  // any 64-bit values, negative ones too
            for (size_t i = 0; i < n; ++i) seq.push_back(static_cast<int64_t>(rng()));
        } else if (kind == 2) {  // a planted recurrence of order <= 10, then noise
            size_t L = 1 + rng() % 10;
            std::vector<uint64_t> c(L);
            for (auto& x : c) x = rng() % p;
            for (size_t i = 0; i < L; ++i) seq.push_back(static_cast<int64_t>(rng() % 1000));
            while (seq.size() < n) {
                unsigned __int128 s = 0;
                for (size_t i = 0; i < L; ++i) s += static_cast<unsigned __int128>(c[i]) * static_cast<uint64_t>(seq[seq.size() - 1 - i]) % p;
                seq.push_back(static_cast<int64_t>(s % p));
            }
            if (trial % 2) seq.back() ^= 1;
        } else if (kind == 3) {  // zeros with a few nonzero terms: jumps of the complexity
            for (size_t i = 0; i < n; ++i) seq.push_back(rng() % 9 == 0 ? static_cast<int64_t>(rng() % 5) - 2 : 0);
        } else {  // polynomials in k, periodic patterns (ESMA's own kind): low complexity
            for (size_t i = 0; i < n; ++i) seq.push_back(i % 3 == 1 ? static_cast<int64_t>(2 * i + 2) : -1);
        }
        lc.reset();
        for (size_t k = 0; k < seq.size(); ++k) {
            int L = lc.push(seq[k]);
            std::vector<uint64_t> prefix;
            for (size_t i = 0; i <= k; ++i) {
                const int64_t v = seq[i] % static_cast<int64_t>(p);
                prefix.push_back(static_cast<uint64_t>(v < 0 ? v + static_cast<int64_t>(p) : v));
            }
            REQUIRE(L == static_cast<int>(berlekamp_massey_mod(prefix, p).size()) - 1);
        }
        CHECK(lc.size() == seq.size());
    }
    // the known values: e's quotients from index 1 have complexity 6; noise about n/2
    auto e = expand("e", SignPattern{1, 0}, 100);
    lc.reset();
    for (size_t i = 1; i < e.size(); ++i) lc.push(e[i]);
    CHECK(lc.complexity() == 6);
    lc.reset();
    for (int i = 0; i < 100; ++i) lc.push(static_cast<int64_t>(rng() % 1000));
    CHECK(lc.complexity() == 50);
}

TEST_CASE("berlekamp-massey: the SIMD lanes give each sequence's complexity over F_(2^31-1)", "[esma]") {
    const uint64_t p = (uint64_t{1} << 31) - 1;
    constexpr int W = kComplexityLanes;
    std::mt19937_64 rng(31);
    auto ref = [&](const std::vector<int64_t>& seq, size_t n) {  // the textbook algorithm
        std::vector<uint64_t> r;
        for (size_t i = 0; i < n; ++i) {
            const int64_t v = seq[i] % static_cast<int64_t>(p);
            r.push_back(static_cast<uint64_t>(v < 0 ? v + static_cast<int64_t>(p) : v));
        }
        return static_cast<int>(berlekamp_massey_mod(r, p).size()) - 1;
    };
    int mixed = 0;  // groups whose lanes end with different complexities
    for (int trial = 0; trial < 400; ++trial) {
        const size_t n = 1 + rng() % 100;
        std::vector<std::vector<int64_t>> seqs(W);
        for (auto& seq : seqs) {
            switch (rng() % 6) {
            case 0:  // partial-quotient-like values
                for (size_t i = 0; i < n; ++i) seq.push_back(1 + static_cast<int64_t>(rng() % 7));
                break;
            case 1:  // any 64-bit values, negative ones too
                for (size_t i = 0; i < n; ++i) seq.push_back(static_cast<int64_t>(rng()));
                break;
            case 2: {  // a planted recurrence of order <= 12 mod p, sometimes broken at the end
                const size_t L = 1 + rng() % 12;
                std::vector<uint64_t> c(L);
                for (auto& x : c) x = rng() % p;
                for (size_t i = 0; i < L && seq.size() < n; ++i) seq.push_back(static_cast<int64_t>(rng() % 1000));
                while (seq.size() < n) {
                    uint64_t t = 0;
                    for (size_t i = 0; i < L; ++i) t = (t + c[i] * static_cast<uint64_t>(seq[seq.size() - 1 - i]) % p) % p;
                    seq.push_back(static_cast<int64_t>(t));
                }
                if (rng() % 2) seq.back() += 1;
                break;
            }
            case 3:  // zeros with a few nonzero terms (zero discrepancies, jumps of L)
                for (size_t i = 0; i < n; ++i) seq.push_back(rng() % 9 == 0 ? static_cast<int64_t>(rng() % 5) - 2 : 0);
                break;
            case 4:  // runs of 2 (the all-minus patterns' quotients), then noise
                for (size_t i = 0; i < n; ++i) seq.push_back(i < n / 2 || rng() % 3 ? 2 : static_cast<int64_t>(rng() % 50));
                break;
            default:  // ESMA's kind: a polynomial on one residue class, constant on the other
                for (size_t i = 0; i < n; ++i) seq.push_back(i % 3 == 1 ? static_cast<int64_t>(2 * i + 2) : -1);
            }
        }
        const int64_t* ptr[W];
        for (int j = 0; j < W; ++j) ptr[j] = seqs[static_cast<size_t>(j)].data();
        int L[W];
        linear_complexity_lanes(ptr, n, 1000, L);  // no cap: every lane's exact complexity
        std::set<int> distinct;
        for (int j = 0; j < W; ++j) {
            REQUIRE(L[j] == ref(seqs[static_cast<size_t>(j)], n));
            distinct.insert(L[j]);
        }
        mixed += distinct.size() > 1;
        const int cap = static_cast<int>(rng() % 30);  // with a cap: the same verdict, exact unless all exceed it
        int Lc[W];
        linear_complexity_lanes(ptr, n, cap, Lc);
        const bool all_over = std::all_of(L, L + W, [&](int x) { return x > cap; });
        for (int j = 0; j < W; ++j) {
            CHECK((Lc[j] > cap) == (L[j] > cap));
            if (!all_over) CHECK(Lc[j] == L[j]);
        }
    }
    CHECK(mixed > 200);  // the lanes took different paths through the algorithm
}

TEST_CASE("esma: the interleaved filter keeps the statistics and verdicts of the full expansion", "[esma]") {
    // Reference: every candidate expanded fully at prec (exact code), then the capped filter.
    EsmaConfig cfg;
    cfg.coef_lo = -3;
    cfg.coef_hi = 3;
    cfg.prefilter_only = true;
    for (const char* k : {"e", "pi"}) {
        EsmaSearch s([k](slong p) { return constant_value(k, p); }, cfg);
        const slong prec = 16 * cfg.terms + 256;
        Ball K = constant_value(k, prec);
        uint64_t screened = 0, overflow = 0, passed = 0;
        LinearComplexity61 lc;
        for (const auto& c : esma_candidates(cfg.deg, cfg.coef_lo, cfg.coef_hi)) {
            Ball x = search::relation_value(search::Relation{c.num, c.den}, K, prec);
            for (const SignPattern& sp : s.patterns()) {
                std::vector<int64_t> q = signed_cf(x, sp, cfg.terms);
                if (static_cast<int>(q.size()) < std::min(cfg.terms, 40)) {
                    ++overflow;
                    continue;
                }
                ++screened;
                lc.reset();
                for (int64_t a : q) lc.push(a);
                passed += lc.complexity() <= static_cast<int>(q.size()) / 4 + cfg.max_offset;
            }
        }
        UnitStats st;
        for (uint64_t u = 0; u < s.units(); ++u) st.add(s.run_unit(u).stats);
        CHECK(st.screened == screened);
        CHECK(st.overflow == overflow);
        CHECK(st.pcfs == screened + overflow);
        CHECK(st.candidates == passed);  // the SIMD and interleaved filters pass what the full one passes
        CHECK(passed > 50);
    }
}

TEST_CASE("berlekamp-massey: random recurrences recovered, random sequences rejected", "[esma]") {
    const uint64_t p = (uint64_t{1} << 61) - 1;
    std::mt19937_64 rng(5);
    for (int trial = 0; trial < 50; ++trial) {
        size_t L = 1 + rng() % 8;
        std::vector<uint64_t> c(L), seq;
        for (auto& x : c) x = rng() % p;
        for (size_t i = 0; i < L; ++i) seq.push_back(rng() % p);
        while (seq.size() < 60) {
            unsigned __int128 s = 0;
            for (size_t i = 0; i < L; ++i) s += static_cast<unsigned __int128>(c[i]) * seq[seq.size() - 1 - i] % p;
            seq.push_back(static_cast<uint64_t>(s % p));
        }
        std::vector<uint64_t> C = berlekamp_massey_mod(seq, p);
        REQUIRE(C.size() == L + 1);
        for (size_t i = 0; i < L; ++i) CHECK(C[i + 1] == (p - c[i]) % p);
        CHECK(linear_complexity_mod(seq.data(), seq.size(), p, 100) == static_cast<int>(L));
    }
    std::vector<uint64_t> noise;
    for (int i = 0; i < 100; ++i) noise.push_back(rng() % p);
    CHECK(linear_complexity_mod(noise.data(), noise.size(), p, 1000) == 50);
    CHECK(linear_complexity_mod(noise.data(), noise.size(), p, 10) > 10);  // stops early

    // over Q: Fibonacci, and a recurrence with rational coefficients (2 a_k = a_{k-1} + a_{k-2}) times 2^k
    std::vector<Int> fib{Int(0), Int(1)};
    for (int i = 2; i < 40; ++i) {
        Int t;
        fmpz_add(t.get(), fib[i - 1].get(), fib[i - 2].get());
        fib.push_back(t);
    }
    std::vector<Rational> cf = berlekamp_massey_q(fib);
    REQUIRE(cf.size() == 2);
    CHECK(fmpq_is_one(cf[0].get()));
    CHECK(fmpq_is_one(cf[1].get()));
    CHECK(satisfies(fib, cf));
    std::vector<Int> poly;  // n^3: complexity 4, characteristic (x - 1)^4
    for (slong n = 0; n < 30; ++n) poly.push_back(Int(n * n * n));
    CHECK(berlekamp_massey_q(poly).size() == 4);
}

TEST_CASE("esma: patterns of the partial quotients", "[esma]") {
    auto e = expand("e", SignPattern{1, 0}, 100);
    auto pat = find_pattern(e, 4, 6, 3);
    REQUIRE(pat);
    CHECK(pat->offset == 1);
    CHECK(pat->period == 3);
    CHECK(pat->polys[0].to_expr() == "1");
    CHECK(pat->polys[1].to_expr() == "2n+2");
    CHECK(pat->polys[2].to_expr() == "1");
    CHECK(linear_complexity_mod_p(e, 1) == 6);  // (x^3 - 1)^2
    auto pi = expand("pi", SignPattern{1, 0}, 100);
    CHECK_FALSE(find_pattern(pi, 4, 6, 3));
    CHECK(linear_complexity_mod_p(pi, 0) >= 45);
    // tan 1 = [1; 1, 1, 3, 1, 5, 1, 7, ...]
    auto t = find_pattern(expand("tan1", SignPattern{1, 0}, 60), 4, 6, 3);
    REQUIRE(t);
    CHECK(t->period == 2);
}

TEST_CASE("esma: contraction turns a periodic pattern into an equivalent PCF", "[esma]") {
    // e's simple continued fraction: contracted by 3, value related to the tail by the matrix L
    auto e = expand("e", SignPattern{1, 0}, 60);
    auto pat = find_pattern(e, 4, 6, 3);
    REQUIRE(pat);
    auto con = contract(*pat, SignPattern{1, 0});
    REQUIRE(con);
    EvalOptions o;
    o.digits = 60;
    EvalResult y = evaluate(con->pcf, o);
    REQUIRE(y.converges);
    // t = [1; 2, 1, 1, 4, ...] = 1/(e - 2); t = (l0 y + l1)/(l2 y + l3)
    const auto& L = con->tail_of_value;
    Ball t, num, den;
    arb_mul_fmpz(num.get(), y.ball.get(), L[0].get(), 300);
    arb_add_fmpz(num.get(), num.get(), L[1].get(), 300);
    arb_mul_fmpz(den.get(), y.ball.get(), L[2].get(), 300);
    arb_add_fmpz(den.get(), den.get(), L[3].get(), 300);
    arb_div(t.get(), num.get(), den.get(), 300);
    Ball want = constant_value("e", 300);
    arb_sub_ui(want.get(), want.get(), 2, 300);
    arb_inv(want.get(), want.get(), 300);
    CHECK(arb_overlaps(t.get(), want.get()));
    // period 1: the PCF is the tail itself
    auto coth = expand("e", SignPattern{1, 0}, 1);
    (void)coth;
    QuotientPattern lin{0, 1, {Poly::parse("4n+2")}};
    auto c1 = contract(lin, SignPattern{1, 0});
    REQUIRE(c1);
    CHECK(c1->pcf.a.to_expr() == "4n+2");
    CHECK(c1->pcf.b.to_expr() == "1");
}

TEST_CASE("esma: candidates are reduced and unique", "[esma]") {
    auto c1 = esma_candidates(1, -1, 1);
    // (c0 + c1 K)/(d0 + d1 K) with entries in {-1, 0, 1}: 48 integer matrices of nonzero determinant,
    // each map counted once for M and -M
    CHECK(c1.size() == 24);
    auto c2 = esma_candidates(2, -1, 1);
    std::set<std::pair<std::vector<int64_t>, std::vector<int64_t>>> seen;
    for (const auto& c : c2) CHECK(seen.insert({c.num, c.den}).second);
    // (K^2 - 1)/(K - 1) reduces to K + 1 = (1 + K)/1, listed once
    CHECK(std::count_if(c2.begin(), c2.end(), [](const EsmaCandidate& c) {
              return c.num == std::vector<int64_t>{1, 1} && c.den == std::vector<int64_t>{1};
          }) == 1);
}

TEST_CASE("esma: classical conjectures for e, e^2, tanh 1 and tan 1", "[esma]") {
    auto run = [](const char* k, int deg, int lo, int hi) {
        EsmaConfig cfg;
        cfg.deg = deg;
        cfg.coef_lo = lo;
        cfg.coef_hi = hi;
        EsmaSearch s([k](slong p) { return constant_value(k, p); }, cfg);
        std::set<std::string> found;
        for (uint64_t u = 0; u < s.units(); ++u)
            for (const Conjecture& c : s.run_unit(u).conjectures) {
                CHECK(c.v.digits_matched >= 100);
                found.insert(c.pcf.key() + " " + relation_text(c.v.relation, k));
            }
        return found;
    };
    auto e = run("e", 1, -1, 1);
    CHECK(e.count("[2,4];[1] (1 + e)/(-1 + e)"));  // (e+1)/(e-1) = [2; 6, 10, 14, ...]
    auto e2 = run("e", 2, -1, 1);
    bool tanh1 = false, esq = false;
    for (const auto& f : e2) {
        if (f.rfind("[1,2];[1] ", 0) == 0) tanh1 = true;  // coth 1 = [1; 3, 5, 7, ...]
        if (f.find("e^2") != std::string::npos && f.find("[") == 0) esq = esq || f.find("e^2") != std::string::npos;
    }
    CHECK(tanh1);
    CHECK(esq);
    auto t = run("tan1", 1, -1, 1);
    CHECK(!t.empty());
}

TEST_CASE("esma: a random constant gives no conjecture", "[esma]") {
    std::mt19937_64 rng(11);
    std::string digits = "0.";
    for (int i = 0; i < 500; ++i) digits += static_cast<char>('0' + rng() % 10);
    ConstantFn random = [digits](slong prec) {
        Ball b;
        arb_set_str(b.get(), digits.c_str(), prec);
        mag_set_ui_2exp_si(arb_radref(b.get()), 1, -1650);  // 500 digits
        return b;
    };
    EsmaConfig cfg;
    cfg.coef_lo = -3;
    cfg.coef_hi = 3;
    EsmaSearch s(random, cfg);
    uint64_t conjectures = 0, complete = 0;
    for (uint64_t u = 0; u < s.units(); ++u) {
        UnitResult r = s.run_unit(u);
        conjectures += r.conjectures.size();
        complete += r.stats.screened;
    }
    CHECK(complete > 1000);
    CHECK(conjectures == 0);
}
