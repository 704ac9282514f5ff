// Numeric edge cases (issue #11): the double screens with coefficients up to 10^6 and depths up to
// 10^5 never turn inf/NaN into a value; machine-integer polynomial evaluation (int64 in
// Poly::eval_i64, __int128 in the exact leaves) detects or avoids overflow, checked against exact
// FLINT arithmetic; a search for a random 100-digit constant, or for pi wrong in its 40th digit,
// finds nothing while the same search for pi finds 4/pi.
#include "search/domain.hpp"
#include "search/lhs.hpp"
#include "search/mitm.hpp"
#include "src/exact.hpp"
#include "src/identify.hpp"
#include "src/screen.hpp"
#include "src/screen_batch.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

using namespace cvg;

namespace {

Poly random_poly(std::mt19937_64& rng, int degree, slong max_abs) {
    std::vector<Int> c;
    for (int i = 0; i <= degree; ++i) c.emplace_back(static_cast<slong>(rng() % (2 * max_abs + 1)) - max_abs);
    return Poly(std::move(c));
}

// M_lo * ... * M_{hi-1} with plain FLINT arithmetic: the reference for the machine-integer leaves.
Mat2 naive_product(const Pcf& pcf, uint64_t lo, uint64_t hi) {
    Mat2 m;
    Int an, bn, t;
    for (uint64_t n = lo; n < hi; ++n) {
        pcf.a.eval(an.get(), static_cast<slong>(n));
        pcf.b.eval(bn.get(), static_cast<slong>(n));
        for (fmpz* row : {m.m00.get(), m.m10.get()}) {  // [x y] -> [y, x b + y a]
            fmpz* x = row;
            fmpz* y = row == m.m00.get() ? m.m01.get() : m.m11.get();
            fmpz_mul(t.get(), x, bn.get());
            fmpz_addmul(t.get(), y, an.get());
            fmpz_swap(x, y);
            fmpz_swap(y, t.get());
        }
    }
    return m;
}

bool same(const Mat2& x, const Mat2& y) {
    return x.m00 == y.m00 && x.m01 == y.m01 && x.m10 == y.m10 && x.m11 == y.m11;
}

// Horner in exact arithmetic: does any step leave int64?
bool horner_leaves_int64(const Poly& p, slong n) {
    Int r, t;
    for (int i = p.degree(); i >= 0; --i) {
        const fmpz* c = p.coeffs()[static_cast<size_t>(i)].get();
        fmpz_mul_si(t.get(), r.get(), n);
        fmpz_add(r.get(), t.get(), c);
        if (!fmpz_fits_si(c) || !fmpz_fits_si(t.get()) || !fmpz_fits_si(r.get())) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("numerics: the scalar screen with |coefficients| up to 10^6 at depths 10^4 and 10^5", "[numerics]") {
    // 1000 x Apery's PCF (a -> 1000 a, b -> 10^6 b) converges to 1000 * 6/zeta(3)
    Pcf scaled{Poly::parse("34000n^3+51000n^2+27000n+5000"), Poly::parse("-1000000n^6")};
    const double expected = 1000 * 6 / 1.2020569031595942854;
    for (uint32_t depth : {10000u, 100000u}) {
        ScreenResult r = screen(scaled, depth);
        INFO("depth " << depth);
        REQUIRE(r.status == ScreenStatus::ok);
        CHECK(r.value == Approx(expected).epsilon(1e-12));
        CHECK(r.rel_step < 1e-12);
    }
    // random PCFs with coefficients in [-10^6, 10^6]: a finite value whenever the status is ok
    std::mt19937_64 rng(11);
    int ok = 0;
    for (int trial = 0; trial < 200; ++trial) {
        Pcf pcf{random_poly(rng, 3, 1000000), random_poly(rng, 6, 1000000)};
        ScreenResult r = screen(pcf, 10000);
        INFO(pcf.a.to_expr() << " / " << pcf.b.to_expr() << ": " << to_string(r.status));
        if (r.status == ScreenStatus::ok) {
            ++ok;
            CHECK(std::isfinite(r.value));
            CHECK_FALSE(std::isnan(r.rel_step));
        }
    }
    CHECK(ok > 100);  // the rescaling keeps most of them in range
}

TEST_CASE("numerics: the scalar screen reports overflow and NaN, never a value", "[numerics]") {
    // |a(n)| ~ 10^300: one step overflows even after rescaling
    Pcf huge{Poly::parse("10^300*n+1"), Poly::parse("n")};
    ScreenResult r = screen(huge, 100);
    CHECK(r.status == ScreenStatus::overflow);
    // coefficients that are inf or NaN in double precision (a caller's bad table)
    for (double bad : {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
        ScreenPoly a(Poly::parse("2n+1")), b(Poly::parse("n^2"));
        a.c[0] = bad;
        CHECK(screen(a, b, 50).status == ScreenStatus::overflow);
        ScreenPoly a2(Poly::parse("2n+1")), b2(Poly::parse("n^2"));
        b2.c[2] = bad;
        CHECK(screen(a2, b2, 50).status == ScreenStatus::overflow);
    }
}

TEST_CASE("numerics: the SIMD screen at depth 10^4 with 10^6 coefficients agrees with the scalar one", "[numerics]") {
    std::mt19937_64 rng(5);
    const int depth = 10000;
    const size_t lanes = 21;  // one block of 16 and a remainder of 5
    Poly a = random_poly(rng, 2, 1000000);
    std::vector<Poly> bs;
    std::vector<double> av(depth + 1), bv(static_cast<size_t>(depth + 1) * lanes);
    double max_a = 0, max_b = 0;
    for (int n = 0; n <= depth; ++n) max_a = std::max(max_a, std::fabs(av[n] = a.eval_d(n)));
    for (size_t j = 0; j < lanes; ++j) {
        bs.push_back(random_poly(rng, 4, 1000000));
        for (int n = 0; n <= depth; ++n)
            max_b = std::max(max_b, std::fabs(bv[static_cast<size_t>(n) * lanes + j] = bs[j].eval_d(n)));
    }
    std::vector<LaneResult> out(lanes);
    screen_lanes(av.data(), bv.data(), lanes, lanes, depth, rescale_interval(max_a, max_b), out.data());
    for (size_t j = 0; j < lanes; ++j) {
        ScreenResult s = screen(Pcf{a, bs[j]}, depth);
        INFO(a.to_expr() << " / " << bs[j].to_expr() << " lane " << to_string(s.status));
        if (out[j].status == lane_ok) CHECK(std::isfinite(out[j].value));
        if (s.status == ScreenStatus::ok && s.rel_step < 1e-12 && out[j].status == lane_ok)
            CHECK(out[j].value == Approx(s.value).epsilon(1e-9));
        if (s.status == ScreenStatus::overflow) CHECK(out[j].status != lane_ok);
    }
    // every entry inf or NaN: every lane says overflow
    for (double bad : {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
        std::vector<double> b2 = bv;
        for (size_t j = 0; j < lanes; ++j) b2[static_cast<size_t>(7) * lanes + j] = bad;
        screen_lanes(av.data(), b2.data(), lanes, lanes, depth, rescale_interval(max_a, max_b), out.data());
        for (const LaneResult& r : out) CHECK(r.status == lane_overflow);
    }
}

TEST_CASE("numerics: the SIMD rescaling handles magnitudes up to the top of the double range", "[numerics]") {
    // p_1 = a1 a0 + b1, q_1 = a1 with a1 = 1.5 x 2^1023: the largest binade, where the rescaling
    // factor 2^(1023 - e) is subnormal. The value p_1/q_1 = 1 + 2^-1023/1.5 ~ 1 must come out.
    const double a1 = std::ldexp(1.5, 1023);
    std::vector<double> av = {1.0, a1};
    for (size_t lanes : {size_t{16}, size_t{1}}) {  // the SIMD block and the scalar remainder
        std::vector<double> bv(2 * lanes, 1.0);
        std::vector<LaneResult> out(lanes);
        screen_lanes(av.data(), bv.data(), lanes, lanes, 1, 1, out.data());
        for (const LaneResult& r : out) {
            CHECK(r.status == lane_ok);
            CHECK(r.value == 1.0);
        }
    }
    // a bound of inf or NaN (an overflowing b(n) table) still gives a usable interval
    CHECK(rescale_interval(std::numeric_limits<double>::infinity(), 1) == 1);
    CHECK(rescale_interval(std::numeric_limits<double>::quiet_NaN(), 1) == 1);
    CHECK(rescale_interval(1e6, 1e6) >= 16);
}

TEST_CASE("numerics: Poly::eval_i64 refuses exactly when a Horner step leaves int64", "[numerics]") {
    std::mt19937_64 rng(3);
    const slong ns[] = {0, 1, -1, 2, 1000, -1000, 1000000, 3037000499LL, 3037000500LL, 9223372036854775807LL};
    int refused = 0, answered = 0;
    for (int trial = 0; trial < 400; ++trial) {
        int degree = static_cast<int>(rng() % 6);
        slong bound = trial % 4 == 0 ? std::numeric_limits<slong>::max() : static_cast<slong>(1) << (rng() % 62);
        std::vector<Int> c;
        for (int i = 0; i <= degree; ++i) c.emplace_back(static_cast<slong>(rng() % static_cast<uint64_t>(bound)) * (rng() % 2 ? 1 : -1));
        Poly p(std::move(c));
        for (slong n : ns) {
            int64_t v = 0;
            bool ok = p.eval_i64(n, v);
            INFO(p.to_expr() << " at n = " << n);
            if (ok) {
                Int exact = p.eval(n);
                REQUIRE(fmpz_fits_si(exact.get()));
                CHECK(fmpz_get_si(exact.get()) == v);
                ++answered;
            } else {
                CHECK(horner_leaves_int64(p, n));
                ++refused;
            }
        }
    }
    CHECK(answered > 500);
    CHECK(refused > 500);
    // the extremes: INT64_MIN as a coefficient, and a value that is exactly INT64_MAX
    int64_t v = 0;
    Poly m({Int(std::numeric_limits<slong>::min())});
    CHECK(m.eval_i64(5, v));
    CHECK(v == std::numeric_limits<int64_t>::min());
    Poly top = Poly::parse("9223372036854775806 + n");
    CHECK(top.eval_i64(1, v));
    CHECK(v == std::numeric_limits<int64_t>::max());
    CHECK_FALSE(top.eval_i64(2, v));
}

TEST_CASE("numerics: the exact leaves (__int128 with a FLINT fallback) equal plain FLINT arithmetic", "[numerics]") {
    const slong big = std::numeric_limits<slong>::max(), small = std::numeric_limits<slong>::min();
    struct Case {
        Pcf pcf;
        uint64_t lo;
    };
    std::vector<Case> cases = {
        // coefficients at the int64 limits, n near 2^40: a(n) needs ~190 bits, beyond __int128
        {{Poly({Int(big), Int(small), Int(big), Int(big)}), Poly({Int(small), Int(big)})}, uint64_t{1} << 40},
        // degree 15 (the largest the 128-bit path takes) at n where n^15 crosses 2^127
        {{Poly::parse("n^15 - 1"), Poly::parse("-n^15 + n")}, 360},
        // values that stay just inside __int128: (2^63 - 1) n with n ~ 2^62
        {{Poly({Int(big), Int(big)}), Poly({Int(0), Int(small)})}, uint64_t{1} << 62},
        // a random PCF with 10^6 coefficients at n ~ 10^6
        {{Poly::parse("999999n^3-1000000n^2+3"), Poly::parse("-1000000n^6+999999n")}, 1000000},
    };
    for (const Case& c : cases) {
        INFO(c.pcf.a.to_expr() << " / " << c.pcf.b.to_expr() << " from n = " << c.lo);
        for (uint64_t len : {uint64_t{1}, uint64_t{7}, uint64_t{24}, uint64_t{60}})
            CHECK(same(pcf_product(c.pcf, c.lo, c.lo + len), naive_product(c.pcf, c.lo, c.lo + len)));
    }
}

namespace {

// Runs the meet-in-the-middle search over a box domain for a constant given as decimal digits.
struct Outcome {
    uint64_t candidates = 0;   // passed the double screen and went to re-verification
    uint64_t conjectures = 0;  // survived it
};

Outcome search_for(const std::string& digits, const search::Domain& d) {
    Target t = parse_decimal_target(digits);
    Ball value = t.value;
    search::ConstantFn fn = [value](slong) { return value; };
    long double k = std::strtold(digits.c_str(), nullptr);
    search::LhsTable lhs(k, 20);
    search::MitmConfig cfg;
    cfg.verify.digits = t.digits - 5;  // as `search --constant-value` does
    search::MitmSearch s(d, lhs, fn, cfg);
    Outcome o;
    for (uint64_t u = 0; u < s.units(); ++u) {
        search::UnitResult r = s.run_unit(u);
        o.candidates += r.stats.candidates;
        o.conjectures += r.conjectures.size();
    }
    return o;
}

std::string random_digits(uint64_t seed) {
    std::string r = "0.";
    for (int i = 0; i < 100; ++i) {
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
        r += static_cast<char>('0' + seed % 10);
    }
    return r;
}

const std::string kPi100 =
    "3.141592653589793238462643383279502884197169399375105820974944592307816406286208998628034825342117067";

// pi with its 40th decimal changed: the double screen cannot tell, the re-verification must
std::string perturbed_pi() {
    std::string p = kPi100;
    p[41] = p[41] == '9' ? '8' : static_cast<char>(p[41] + 1);
    return p;
}

}  // namespace

TEST_CASE("numerics: a random 100-digit constant gives no conjecture, pi does (positive control)", "[numerics]") {
    // a = a0 + a1 n in [-6, 6]^2, b = b0 + b1 n + b2 n^2 in [-6, 6]^3: 169 x 2197 = 371293 PCFs
    auto d = search::Domain::box({{-6, 6}, {-6, 6}}, {{-6, 6}, {-6, 6}, {-6, 6}});
    REQUIRE(d.size() == 371293);
    CHECK(search_for(kPi100, d).conjectures >= 1);  // 4/pi = 1 + 1/(3 + 4/(5 + ...)) is in the box
    Outcome r = search_for(random_digits(0x9e3779b97f4a7c15ULL), d);
    INFO(r.candidates << " candidates");
    CHECK(r.conjectures == 0);
    Outcome p = search_for(perturbed_pi(), d);
    CHECK(p.candidates >= 1);  // the screen passes 4/pi on...
    CHECK(p.conjectures == 0);  // ...and the re-verification rejects it
}

TEST_CASE("numerics: random 100-digit constants over 86 million PCFs give no conjecture", "[numerics][.long]") {
    // a of degree 2 in [-10, 10]^3, b of degree 2 in [-10, 10]^3: 9261^2 = 85766121 PCFs per constant
    auto d = search::Domain::box({{-10, 10}, {-10, 10}, {-10, 10}}, {{-10, 10}, {-10, 10}, {-10, 10}});
    REQUIRE(d.size() == 85766121);
    Outcome pi = search_for(kPi100, d);
    WARN("pi: " << pi.candidates << " candidates re-verified, " << pi.conjectures << " conjectures");
    CHECK(pi.conjectures >= 1);  // the box holds 4/pi: the search can find things
    Outcome p = search_for(perturbed_pi(), d);
    WARN("pi perturbed at the 40th digit: " << p.candidates << " candidates re-verified, " << p.conjectures
                                            << " conjectures");
    CHECK(p.candidates >= 1);
    CHECK(p.conjectures == 0);
    for (uint64_t seed : {1ULL, 2ULL, 3ULL}) {
        Outcome r = search_for(random_digits(seed * 0x9e3779b97f4a7c15ULL), d);
        WARN("random constant " << seed << ": " << r.candidates << " candidates re-verified, " << r.conjectures
                                << " conjectures");
        CHECK(r.conjectures == 0);
    }
}
