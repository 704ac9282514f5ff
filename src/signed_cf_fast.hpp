// The fast rigorous signed continued fraction expansion (ESMA's expand stage), one term at a time.
// It gives exactly the terms of signed_cf (src/signed_cf.hpp) on the same ball, much faster:
//   1. the ends of the ball are rounded outward to fractions p/q of a few limbs (`limbs` words;
//      a wider interval, so every term it determines is a term of every number in the ball);
//   2. Lehmer steps: the leading 63 bits of the ends bound them by single-word fractions, which
//      are expanded together in machine words while their partial quotients agree (each such
//      term is then a term of the whole interval); the 2x2 matrix of those steps is applied to
//      the multi-limb ends once per batch (mpn_mul_1, fixed arrays, no allocation);
//   3. when the rounded interval no longer determines a term (its precision is used up, or an end
//      is exactly rational), steps 1-2 start again with ends rounded to the full precision of
//      the ball (dropping the terms already given), and if that stops short as well, the exact
//      expansion signed_cf of the ball takes over from there.
// Terms are produced lazily, so a caller (the Berlekamp–Massey filter) can stop early.
#pragma once

#include "src/signed_cf.hpp"

#include <gmp.h>

#include <cstdint>
#include <vector>

namespace cvg {

class SignedCfExpander {
public:
    static constexpr int kMaxLimbs = 64;
    static constexpr int kDefaultLimbs = 8;  // 511 bits: ~80 terms or more for almost every x

    // Starts the expansion of every number in x (x must outlive the expansion) for the sign
    // pattern, at most `terms` terms; the ends rounded to `limbs` words (0: to the ball's own
    // precision). fallback = false: stop where the rounded ends stop (a caller with a more precise
    // ball to try next, tests).
    void start(const Ball& x, const SignPattern& signs, int terms, int limbs = kDefaultLimbs,
               bool fallback = true);
    // The next partial quotient; false once the ball does not determine it or `terms` were given.
    bool next(int64_t& a);
    // How many terms came from the fast path (the rest, if any, from the exact expansion), whether
    // the fast path was restarted at the ball's full precision, whether signed_cf took over.
    int fast_terms() const { return fast_terms_; }
    bool restarted() const { return limbs_ > first_limbs_; }
    bool used_fallback() const { return mode_ == Mode::exact; }

private:
    enum class Mode { fast, exact, done };
    bool start_fast();       // the first term and the rounded tail ends; false: not possible
    int batch();             // one Lehmer batch into buf_; the number of terms (0: stuck)
    void stuck();            // the fast path determines no more terms: restart or fall back
    void switch_to_exact();  // signed_cf of the ball, served from index k_ on
    int ball_limbs() const;  // limbs for the ends rounded at the ball's own precision

    const Ball* x_ = nullptr;
    SignPattern signs_;
    int terms_ = 0, limbs_ = kDefaultLimbs, first_limbs_ = kDefaultLimbs, full_limbs_ = kDefaultLimbs;
    int k_ = 0, fast_terms_ = 0, skip_ = 0;  // skip_: terms of a restart already given
    bool fallback_ = true;
    Mode mode_ = Mode::done;
    // The tail's interval after the terms the fast path found: between the fractions
    // p / q of ends_[cur_][e], e = 0, 1, n_ limbs each (p >= q >= 0); lower_ is the lower end.
    // Each batch writes the other half of ends_ (double buffer: no copies).
    struct End {
        mp_limb_t p[kMaxLimbs], q[kMaxLimbs];
    };
    End ends_[2][2];
    int cur_ = 0, n_ = 0, lower_ = 0;
    int next_index_ = 0, phase_ = 0;  // index of the next term a batch finds, and it mod period
    int64_t buf_[64];
    int buf_pos_ = 0, buf_len_ = 0;
    std::vector<int64_t> exact_;
};

// All terms at once (the same as signed_cf(x, signs, terms)).
std::vector<int64_t> signed_cf_fast(const Ball& x, const SignPattern& signs, int terms);

}  // namespace cvg
