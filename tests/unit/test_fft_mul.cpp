// The multiplication layer of exact evaluation (src/fft_mul.hpp, src/limb_mul.hpp) against
// plain FLINT/GMP products: random, huge, negative, zero and one-limb operands, sizes at the
// thresholds and at the transform sizes where FLINT switches to the matrix Fourier algorithm.
#include "src/fft_mul.hpp"
#include "src/limb_mul.hpp"

#include <catch2/catch.hpp>
#include <gmpxx.h>
#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <array>
#include <random>
#include <vector>

using namespace cvg;

namespace {

// A random integer of about `limbs` limbs (exactly that many when exact), random sign, with
// long runs of ones and zeros now and then (carry chains).
Int random_int(std::mt19937_64& rng, flint_rand_t st, long limbs, bool exact = false) {
    Int x;
    if (limbs == 0) return x;
    flint_bitcnt_t bits = static_cast<flint_bitcnt_t>(limbs) * FLINT_BITS - (exact ? 0 : rng() % FLINT_BITS);
    if (rng() % 4 == 0) fmpz_randtest_unsigned(x.get(), st, bits);  // sparse, runs of bits
    else fmpz_randbits(x.get(), st, bits);
    if (exact) fmpz_setbit(x.get(), bits - 1);
    if (rng() % 2) fmpz_neg(x.get(), x.get());
    return x;
}

Int dot(const Int& a, const Int& b, const Int& c, const Int& d) {
    Int r;
    fmpz_fmma(r.get(), a.get(), b.get(), c.get(), d.get());
    return r;
}

void check_mat2(const std::array<Int, 4>& x, const std::array<Int, 4>& y) {
    std::array<Int, 4> out;
    mat2_products(std::array<Int*, 4>{&out[0], &out[1], &out[2], &out[3]},
                  std::array<const Int*, 4>{&x[0], &x[1], &x[2], &x[3]},
                  std::array<const Int*, 4>{&y[0], &y[1], &y[2], &y[3]});
    CHECK(out[0] == dot(x[0], y[0], x[1], y[2]));
    CHECK(out[1] == dot(x[0], y[1], x[1], y[3]));
    CHECK(out[2] == dot(x[2], y[0], x[3], y[2]));
    CHECK(out[3] == dot(x[2], y[1], x[3], y[3]));
}

struct Rand {
    std::mt19937_64 rng;
    flint_rand_t st;
    explicit Rand(uint64_t seed) : rng(seed) { flint_randinit(st); }
    ~Rand() { flint_randclear(st); }
    Int operator()(long limbs, bool exact = false) { return random_int(rng, st, limbs, exact); }
};

}  // namespace

TEST_CASE("fft_mul: int_mul equals fmpz_mul on both sides of the FFT threshold", "[fft_mul]") {
    Rand r(11);
    const long t = static_cast<long>(kMulFftLimbs);
    std::vector<std::pair<long, long>> sizes = {{0, 5}, {1, 1}, {1, t + 3}, {t - 1, t - 1}, {t, t},
                                                {t + 1, 3 * t}, {90000, 7000}, {90000, t + 5000}};
    for (auto [a, b] : sizes) {
        INFO("limbs " << a << " x " << b);
        Int x = r(a, true), y = r(b, true), out, ref;
        fmpz_mul(ref.get(), x.get(), y.get());
        int_mul(out, x, y);
        CHECK(out == ref);
        int_mul(x, x, y);  // aliasing
        CHECK(x == ref);
        fmpz_mul(ref.get(), y.get(), y.get());
        int_mul(y, y, y);  // a square
        CHECK(y == ref);
    }
}

TEST_CASE("fft_mul: dot_products equals separate products", "[fft_mul]") {
    Rand r(12);
    static constexpr DotTerm terms[2] = {{0, 0, 1, 1}, {2, 0, 3, 1}};
    for (long limbs : {1L, 2L, 7L, 64L, 300L, 2000L, 6000L, 33000L, 70000L}) {
        for (int trial = 0; trial < (limbs > 10000 ? 1 : 4); ++trial) {
            INFO("limbs " << limbs << " trial " << trial);
            std::array<Int, 4> x;
            std::array<Int, 2> y;
            for (auto& v : x) v = r(limbs);
            for (auto& v : y) v = r(limbs);
            if (trial == 1) x[1] = 0;           // a zero operand
            if (trial == 2) y[0] = 1;           // a one-limb operand among large ones
            if (trial == 3) fmpz_neg(x[3].get(), x[2].get());  // cancelling products
            Int top, bottom;
            dot_products(std::array<Int*, 2>{&top, &bottom}, std::array<const Int*, 4>{&x[0], &x[1], &x[2], &x[3]},
                         std::array<const Int*, 2>{&y[0], &y[1]}, terms);
            CHECK(top == dot(x[0], y[0], x[1], y[1]));
            CHECK(bottom == dot(x[2], y[0], x[3], y[1]));
        }
    }
}

TEST_CASE("fft_mul: a matrix times a column may write over its x operands", "[fft_mul]") {
    Rand r(17);
    std::array<Int, 4> x;
    std::array<Int, 2> y;
    for (auto& v : x) v = r(6000);
    for (auto& v : y) v = r(6000);
    Int ref0 = dot(x[0], y[0], x[1], y[1]), ref1 = dot(x[2], y[0], x[3], y[1]);
    static constexpr DotTerm terms[2] = {{0, 0, 1, 1}, {2, 0, 3, 1}};
    // out[0] is x[2], which the second output still needs
    dot_products(std::array<Int*, 2>{&x[2], &x[0]}, std::array<const Int*, 4>{&x[0], &x[1], &x[2], &x[3]},
                 std::array<const Int*, 2>{&y[0], &y[1]}, terms);
    CHECK(x[2] == ref0);
    CHECK(x[0] == ref1);
}

TEST_CASE("fft_mul: dot_products may write over its inputs and sizes may differ", "[fft_mul]") {
    Rand r(13);
    Int a = r(5000), b = r(9000), c = r(7000), d = r(12000);
    Int ref0 = dot(a, b, c, d), ref1 = dot(c, b, a, d);
    static constexpr DotTerm terms[2] = {{0, 0, 1, 1}, {1, 0, 0, 1}};
    dot_products(std::array<Int*, 2>{&a, &c}, std::array<const Int*, 2>{&a, &c},
                 std::array<const Int*, 2>{&b, &d}, terms);
    CHECK(a == ref0);
    CHECK(c == ref1);
}

TEST_CASE("fft_mul: mat2_products equals the classical 2x2 product", "[fft_mul]") {
    Rand r(14);
    // small, at the thresholds, radix-2 transforms, and past FLINT's matrix Fourier depth
    for (long limbs : {1L, 3L, 100L, static_cast<long>(kDotFftLimbs) - 1, static_cast<long>(kDotFftLimbs),
                       20000L, 64000L, 130000L}) {
        INFO("limbs " << limbs);
        std::array<Int, 4> x, y;
        for (auto& v : x) v = r(limbs, true);
        for (auto& v : y) v = r(limbs, true);
        check_mat2(x, y);
    }
}

TEST_CASE("fft_mul: mat2_products with zero, one and extreme entries", "[fft_mul]") {
    Rand r(15);
    std::array<Int, 4> x, y;
    for (auto& v : x) v = r(8000);
    for (auto& v : y) v = r(8000);
    SECTION("zeros") { x[1] = 0; y[0] = 0; y[3] = 0; check_mat2(x, y); }
    SECTION("ones and minus ones") { x[0] = 1; x[3] = -1; y[2] = 1; check_mat2(x, y); }
    SECTION("all zero") { for (auto& v : x) v = 0; check_mat2(x, y); }
    SECTION("powers of two (all-zero limbs)") {
        fmpz_one(x[2].get());
        fmpz_mul_2exp(x[2].get(), x[2].get(), 8000 * 64 - 1);
        fmpz_neg(y[1].get(), x[2].get());
        check_mat2(x, y);
    }
    SECTION("all ones (maximal coefficients)") {
        for (auto* v : {&x[0], &x[1], &y[0], &y[2]}) {
            fmpz_one(v->get());
            fmpz_mul_2exp(v->get(), v->get(), 8000 * 64);
            fmpz_sub_ui(v->get(), v->get(), 1);
        }
        check_mat2(x, y);
    }
}

TEST_CASE("fft_mul: one and two threads give the same products", "[fft_mul]") {
    Rand r(16);
    std::array<Int, 4> x, y, one, two;
    for (auto& v : x) v = r(30000);
    for (auto& v : y) v = r(30000);
    auto run = [&](std::array<Int, 4>& out) {
        mat2_products(std::array<Int*, 4>{&out[0], &out[1], &out[2], &out[3]},
                      std::array<const Int*, 4>{&x[0], &x[1], &x[2], &x[3]},
                      std::array<const Int*, 4>{&y[0], &y[1], &y[2], &y[3]});
    };
    {
        tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
        run(one);
    }
    {
        tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 2);
        run(two);
    }
    for (int i = 0; i < 4; ++i) CHECK(one[i] == two[i]);
    CHECK(one[0] == dot(x[0], y[0], x[1], y[2]));
}

namespace {

// The residue a (limbs + 1 words, normalised) as an integer in [0, B^limbs].
mpz_class residue(const std::vector<mp_limb_t>& a) {
    mpz_class r;
    mpz_import(r.get_mpz_t(), a.size(), -1, sizeof(mp_limb_t), 0, 0, a.data());
    return r;
}

}  // namespace

TEST_CASE("limb_mul: products equal GMP's for every size through the Karatsuba threshold", "[fft_mul]") {
    std::mt19937_64 rng(21);
    INFO("ADX kernel compiled in: " << limb_mul_uses_adx());
    for (mp_size_t n = 1; n <= 300; n += (n < 70 ? 1 : 17)) {
        for (int kind = 0; kind < 3; ++kind) {
            std::vector<mp_limb_t> a(static_cast<std::size_t>(n)), b(a.size()), r(2 * a.size()), ref(r.size());
            for (auto& x : a) x = kind == 1 ? ~mp_limb_t{0} : rng();  // all ones: longest carries
            for (auto& x : b) x = kind == 2 ? mp_limb_t{0} : rng();
            if (kind == 2) b.back() = 1;
            limb_mul_n(r.data(), a.data(), b.data(), n);
            mpn_mul_n(ref.data(), a.data(), b.data(), n);
            INFO("n " << n << " kind " << kind);
            CHECK(r == ref);
        }
    }
}

TEST_CASE("limb_mul: products modulo B^l + 1, including the residue B^l = -1", "[fft_mul]") {
    std::mt19937_64 rng(22);
    for (mp_size_t l : {1L, 2L, 5L, 16L, 23L, 24L, 48L, 64L, 128L}) {
        mpz_class p = 1;
        p = (p << static_cast<mp_bitcnt_t>(64 * l)) + 1;
        std::vector<mp_limb_t> scratch(static_cast<std::size_t>(mulmod_fermat_scratch(l)));
        for (int kind = 0; kind < 6; ++kind) {
            std::vector<mp_limb_t> a(static_cast<std::size_t>(l + 1), 0), b(a.size(), 0), r(a.size());
            for (mp_size_t i = 0; i < l; ++i) { a[i] = rng(); b[i] = kind == 3 ? 0 : rng(); }
            if (kind == 1 || kind == 4) { std::fill(a.begin(), a.end(), 0); a[l] = 1; }  // a = -1
            if (kind == 2 || kind == 4) { std::fill(b.begin(), b.end(), 0); b[l] = 1; }  // b = -1
            if (kind == 5) { std::fill(a.begin(), a.end() - 1, ~mp_limb_t{0}); }         // a = B^l - 1
            mulmod_fermat(r.data(), a.data(), b.data(), l, scratch.data());
            INFO("limbs " << l << " kind " << kind);
            mpz_class expect = residue(a) * residue(b) % p;
            CHECK(residue(r) == expect);
            CHECK(r[l] <= 1);  // normalised
            if (r[l] == 1) CHECK(std::all_of(r.begin(), r.end() - 1, [](mp_limb_t x) { return x == 0; }));
        }
    }
}
