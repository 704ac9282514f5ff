// Integer relations by PSLQ (Ferguson, Bailey and Arno 1999), in MPFR at an explicit working
// precision: the second method beside LLL (lll.hpp), used to cross-check what LLL finds.
// PSLQ also proves a bound: after any iteration, every relation has Euclidean norm at least
// 1 / max_j |H_jj| (up to the rounding of the working precision), so "no relation with
// coefficients below M" is a result, not just a failure.
#pragma once

#include "src/bigint.hpp"

#include <vector>

namespace cvg {

struct PslqOptions {
    slong input_bits = 0;     // bits to which the inputs are known, relative to the largest;
                              // 0: from the radii of the balls (as scale_for_relation)
    slong working_bits = 0;   // 0: input_bits + 32
    Int max_coef;             // > 0: stop once every relation must have a coefficient above it
    long max_iterations = 1'000'000;
};

struct PslqResult {
    std::vector<Int> relation;   // sum relation_i x_i ~ 0 to the input precision; empty if none
    double log2_norm_bound = 0;  // every relation has Euclidean norm >= 2^this
    long iterations = 0;
    bool bound_exceeded = false;       // stopped by max_coef
    bool precision_exhausted = false;  // the coefficients outgrew the precision: no relation
                                       // can be detected at this precision
};

// Throws std::invalid_argument for fewer than two numbers or fewer than 16 known bits.
PslqResult pslq(const std::vector<Ball>& x, const PslqOptions& opt = {});

}  // namespace cvg
