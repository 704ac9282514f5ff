// Exact truncated decimal output (src/digits_out.hpp) against the naive exact computation.
#include "src/digits_out.hpp"

#include <catch2/catch.hpp>
#include <oneapi/tbb/global_control.h>

#include <random>
#include <stdexcept>

using namespace cvg;

namespace {

// floor(|p| 10^(k-1) / |q|) the obvious way
std::string naive_digits(const Int& p, const Int& q, long k) {
    Int P, Q, T;
    fmpz_abs(P.get(), p.get());
    fmpz_abs(Q.get(), q.get());
    fmpz_ui_pow_ui(T.get(), 10, static_cast<ulong>(k - 1));
    fmpz_mul(P.get(), P.get(), T.get());
    fmpz_tdiv_q(P.get(), P.get(), Q.get());
    return P.str();
}

// a non-negative random integer of `bits` bits
Int random_bits(flint_rand_t st, flint_bitcnt_t bits) {
    Int x;
    fmpz_randbits(x.get(), st, bits);
    fmpz_abs(x.get(), x.get());
    return x;
}

}  // namespace

TEST_CASE("digits_out: truncated digits equal the naive exact quotient", "[digits_out]") {
    flint_rand_t st;
    flint_randinit(st);
    std::mt19937_64 rng(5);
    for (int trial = 0; trial < 200; ++trial) {
        // q much longer than the digits asked for (the truncated path) and the other way round
        flint_bitcnt_t qbits = 1 + rng() % 20000, pbits = qbits + (rng() % 8) - 4;
        long k = 1 + static_cast<long>(rng() % (trial % 2 ? 50 : 3000));
        Int p = random_bits(st, std::max<flint_bitcnt_t>(pbits, 1)), q = random_bits(st, qbits);
        if (q.is_zero()) q = 7;
        if (rng() % 2) fmpz_neg(p.get(), p.get());
        if (rng() % 2) fmpz_neg(q.get(), q.get());
        INFO("trial " << trial << " k " << k);
        CHECK(truncated_digits(p, q, k) == naive_digits(p, q, k));
    }
    flint_randclear(st);
}

TEST_CASE("digits_out: values next to a digit boundary take the exact fallback", "[digits_out]") {
    flint_rand_t st;
    flint_randinit(st);
    // p/q = m + 1/q and m - 1/q with q huge: the truncated operands cannot decide the last digit
    Int q = random_bits(st, 200000), m(31415926), p;
    fmpz_mul(p.get(), q.get(), m.get());
    fmpz_add_ui(p.get(), p.get(), 1);
    CHECK(truncated_digits(p, q, 1) == "31415926");
    CHECK(truncated_digits(p, q, 3) == "3141592600");
    fmpz_sub_ui(p.get(), p.get(), 2);
    CHECK(truncated_digits(p, q, 1) == "31415925");
    CHECK(truncated_digits(p, q, 3) == "3141592599");
    CHECK(truncated_digits(p, q, 9) == naive_digits(p, q, 9));
    // exact integers: 10^(k-1) p / q lands on an integer
    fmpz_mul(p.get(), q.get(), m.get());
    CHECK(truncated_digits(p, q, 1) == "31415926");
    CHECK(truncated_digits(p, q, 3) == "3141592600");
    flint_randclear(st);
}

TEST_CASE("digits_out: edge cases", "[digits_out]") {
    CHECK(truncated_digits(Int(22), Int(7), 0).empty());
    CHECK(truncated_digits(Int(22), Int(7), 5) == "31428");
    CHECK(truncated_digits(Int(-22), Int(7), 5) == "31428");
    CHECK(truncated_digits(Int(0), Int(7), 3) == "0");
    CHECK(truncated_digits(Int(1), Int(700), 3) == "0");  // 100/700
    CHECK_THROWS_AS(truncated_digits(Int(1), Int(0), 3), std::domain_error);
}

TEST_CASE("digits_out: decimal_string equals GMP's conversion, split or not", "[digits_out]") {
    flint_rand_t st;
    flint_randinit(st);
    CHECK(decimal_string(Int(0)) == "0");
    CHECK(decimal_string(Int(-12345)) == "-12345");
    // big enough to be split (and split again) in parallel; zeros at the split points
    Int big = random_bits(st, 1500000), ten_pow;
    fmpz_ui_pow_ui(ten_pow.get(), 10, 200000);
    Int with_zeros;
    fmpz_mul(with_zeros.get(), big.get(), ten_pow.get());
    for (const Int* x : {&big, &with_zeros}) {
        std::string ref = x->str();
        CHECK(decimal_string(*x) == ref);
        Int neg;
        fmpz_neg(neg.get(), x->get());
        std::string neg_str = decimal_string(neg);
        CHECK(neg_str.size() == ref.size() + 1);
        CHECK(neg_str == "-" + ref);
        tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
        CHECK(decimal_string(*x) == ref);
    }
    flint_randclear(st);
}
