// PCF convergents in MPFR floating point at an explicit precision: the three-term recurrence
// with exact power-of-two rescaling, so nothing overflows, resumable to greater depths.
// Rounding errors are not tracked here: callers that report digits compare two precisions
// (see evaluate.cpp).
#pragma once

#include "src/pcf.hpp"
#include "src/real.hpp"

#include <cstdint>

namespace cvg {

class FloatRecurrence {
public:
    FloatRecurrence(const Pcf& pcf, mpfr_prec_t prec);
    void advance_to(uint64_t n);  // n >= this->n()

    uint64_t n() const { return n_; }
    // The stored values times 2^scale2() are p_n, q_n, q_{n-1}, q_{n-2}.
    const Real& p() const { return p_; }
    const Real& q() const { return q_; }
    const Real& q_prev() const { return q1_; }
    const Real& q_prev2() const { return q2_; }
    long scale2() const { return scale2_; }

private:
    const Pcf& pcf_;
    uint64_t n_ = 0;
    Real p1_, p_, q2_, q1_, q_, an_, bn_, t_;
    long scale2_ = 0;
    Int ai_, bi_;
};

}  // namespace cvg
