// Berlekamp–Massey: the shortest linear recurrence a_k = c_1 a_{k-1} + ... + c_L a_{k-L} that
// generates a sequence, over a prime field F_p (a fast filter) and over Q (the exact answer).
// A sequence of n terms from a random source has linear complexity about n/2; a short one
// (L < n/4, say) is a pattern worth a conjecture.
#pragma once

#include "src/bigint.hpp"

#include <flint/fmpq.h>

#include <cstdint>
#include <vector>

namespace cvg {

// Connection polynomial over F_p (p prime < 2^62; the Mersenne prime 2^61 - 1 is fastest): C[0] = 1,
// and for k >= L sum_{i=0..L} C[i] a_{k-i} = 0 (mod p); L = C.size() - 1. seq[i] must be < p.
std::vector<uint64_t> berlekamp_massey_mod(const std::vector<uint64_t>& seq, uint64_t p);

// Only the linear complexity L over F_p, stopping as soon as L > cap (then returns L so far, > cap).
// No allocation per step: the fast filter of a search.
int linear_complexity_mod(const uint64_t* seq, size_t n, uint64_t p, int cap);

// The linear complexity over F_p, p = 2^61 - 1, of a sequence given one term at a time, so that
// a search can stop producing terms as soon as the complexity is too high (ESMA's filter).
// Inverse-free Berlekamp–Massey: C <- b C - d x^m B only rescales the connection polynomial of
// the textbook update C <- C - (d/b) x^m B, so L is the same and no inverse mod p is needed; one
// reduction per coefficient (Mersenne folding of 128-bit sums). No allocation per term once the
// arrays have grown to the sequence's length.
class LinearComplexity61 {
public:
    static constexpr uint64_t kP = (uint64_t{1} << 61) - 1;
    LinearComplexity61() { reset(); }
    void reset();                    // the empty sequence
    int push(int64_t term);          // appends term (any int64, reduced mod p); returns L so far
    int complexity() const { return L_; }
    size_t size() const { return n_; }

private:
    std::vector<uint64_t> rev_, C_, B_, T_;  // rev_: the terms mod p, backwards from the end
    size_t n_ = 0, m_ = 1, lenC_ = 1, lenB_ = 1;  // lenC_, lenB_: stored coefficients
    int L_ = 0;
    uint64_t b_ = 1;
};

// The linear complexity over F_p, p = 2^31 - 1, of kComplexityLanes sequences of n terms at once:
// the update of LinearComplexity61 on SIMD lanes (ESMA's filter over the sign patterns of a few
// candidates), per-lane choices as blends. L[j] is that of seq[j] after n terms, or, once every
// lane's exceeds cap, a value > cap (the computation stops there).
#if defined(__AVX512F__)
constexpr int kComplexityLanes = 8;  // 64-bit lanes of one vector register
#elif defined(__AVX2__)
constexpr int kComplexityLanes = 4;
#else
constexpr int kComplexityLanes = 2;
#endif
void linear_complexity_lanes(const int64_t* const seq[kComplexityLanes], size_t n, int cap, int L[kComplexityLanes]);

// The same over Q: coefficients c_1..c_L (a_k = sum c_i a_{k-i}) as exact rationals.
class Rational {
public:
    Rational() { fmpq_init(v_); }
    Rational(const Rational& o) { fmpq_init(v_); fmpq_set(v_, o.v_); }
    Rational& operator=(const Rational& o) { fmpq_set(v_, o.v_); return *this; }
    ~Rational() { fmpq_clear(v_); }
    fmpq* get() { return v_; }
    const fmpq* get() const { return v_; }

private:
    fmpq_t v_;
};

std::vector<Rational> berlekamp_massey_q(const std::vector<Int>& seq);

// Does a_k = sum c_i a_{k-i} hold for every k >= c.size() in seq?
bool satisfies(const std::vector<Int>& seq, const std::vector<Rational>& c);

}  // namespace cvg
