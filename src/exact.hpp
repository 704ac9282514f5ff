// Exact convergents of a PCF with GMP/FLINT integers.
//   M_n = [[0, b(n)], [1, a(n)]],  A = [[1, a(0)], [0, 1]],
//   A * M_1 * ... * M_N = [[p_{N-1}, p_N], [q_{N-1}, q_N]].
// Two ways: the plain three-term recurrence (reference, small N) and binary splitting over the
// matrix product, split where the entries' bit sizes balance, with the two halves and the big
// multiplications run as oneTBB tasks. Large 2x2 products transform each entry once and use
// Winograd's 7-product form (src/fft_mul.hpp). A deep value needs less than all four entries:
// top_convergents computes p_N, q_N exactly and q_{N-1} only as an enclosure.
#pragma once

#include "src/bigint.hpp"
#include "src/pcf.hpp"

#include <cstdint>
#include <string>

namespace cvg {

struct Mat2 {
    Int m00{1}, m01{0}, m10{0}, m11{1};  // identity
};

// How a 2x2 product is computed: four GMP dot products (their entries as parallel tasks when
// large), Winograd's 7 GMP products, or transforms shared by the entries (fft_mul.hpp).
// `automatic` picks by size (measured thresholds); the others are for tests and measurements.
enum class MulStrategy { automatic, classical, winograd, transform };

// out = x * y (out may alias neither).
void mat2_mul(Mat2& out, const Mat2& x, const Mat2& y);
void mat2_mul(Mat2& out, const Mat2& x, const Mat2& y, MulStrategy mul);

// M_lo * M_{lo+1} * ... * M_{hi-1}; the identity when lo >= hi.
Mat2 pcf_product(const Pcf& pcf, uint64_t lo, uint64_t hi);

struct Convergents {
    uint64_t n = 0;
    Int p_prev{1}, p{0}, q_prev{0}, q{1};  // p_{n-1}, p_n, q_{n-1}, q_n
};

Convergents convergents(const Pcf& pcf, uint64_t n);             // binary splitting
// The convergents at depth n > c.n from those at c.n: C_n = C_{c.n} * M_{c.n+1} ... M_n, so a
// deeper evaluation reuses all the work of a shallower one.
Convergents extend(const Pcf& pcf, const Convergents& c, uint64_t n);
Convergents convergents_recurrence(const Pcf& pcf, uint64_t n);  // plain loop, O(n^2) bit ops

// What a value at depth n needs: p_n and q_n exactly, q_{n-1} enclosed in a ball (the right
// half of the product tree computes only its last column exactly, the first one in ball
// arithmetic, which saves the largest products). Balls carry kTopPrevBits bits.
struct TopConvergents {
    uint64_t n = 0;
    Int p, q;      // p_n, q_n
    Ball q_prev;   // q_{n-1}
};
constexpr long kTopPrevBits = 256;
TopConvergents top_convergents(const Pcf& pcf, uint64_t n);
// The same with a(0) replaced by a0 (PCFs whose first term breaks the pattern, e.g. Brouncker's
// 4/pi = 1 + 1/(2 + 9/(2 + ...)) with a(n) = 2 for n >= 1).
TopConvergents top_convergents(const Pcf& pcf, uint64_t n, const Int& a0);
// The techniques can be switched off one by one to measure what each gains.
struct SplitOptions {
    MulStrategy mul = MulStrategy::automatic;
    bool column_spine = true;  // false: the full matrix product, then the column
};
TopConvergents top_convergents(const Pcf& pcf, uint64_t n, const Int& a0, const SplitOptions& opt);

// The digits depth n supports, as the peer scripts in ../shared/bench define them (pcfs.py):
// D = floor(log10|q_n| + log10|q_{n-1}| - sum_{i=1..n} log10|b(i)|) (= -log10 of the last step
// |p_n/q_n - p_{n-1}/q_{n-1}|), at least 1, in their double-precision arithmetic: log10 of an
// integer from its top 64 bits, the sum correctly rounded.
double log10_abs_prod_b(const Pcf& pcf, uint64_t n);
double log10_abs_peer(const Int& x);
// D from top_convergents; falls back to the exact q_{n-1} when the ball cannot decide the top
// 64 bits (not seen in practice). 1 when a term is infinite (q_n, q_{n-1} or some b(i) zero).
long supported_digits(const Pcf& pcf, const TopConvergents& c, double log10_prod_b);

// A deep value as the peer benchmarks report it: D and the first D significant digits of
// |p_n/q_n|, truncated (digits_out.hpp), for 1 <= |p_n/q_n| < 10 the digits of the value.
struct DeepValue {
    TopConvergents conv;
    long digits = 0;
    std::string value;  // D digits, no decimal point
};
DeepValue deep_value(const Pcf& pcf, uint64_t n, const Int& a0, double log10_prod_b,
                     const SplitOptions& opt = {});

// One step back: from (p_{n-1}, p_n) to (p_{n-2}, p_{n-1}), the same for q. Needs b(n) != 0.
// Linear time, since a(n), b(n) are small next to the convergents.
Convergents step_back(const Pcf& pcf, const Convergents& c);

}  // namespace cvg
