// Signed continued fractions (ESMA): x = a0 + s1/(a1 + s2/(a2 + ...)) with signs s_k = +-1 given
// by a periodic pattern; a_k = floor(x_k) when the next sign is +, ceil(x_k) when it is -, so
// every tail x_{k+1} = s_{k+1} / (x_k - a_k) exceeds 1.
// The expansion is rigorous: it runs on both ends of an interval known to contain x, as exact
// fractions, and stops at the first partial quotient on which they disagree.
#pragma once

#include "src/bigint.hpp"

#include <cstdint>
#include <vector>

namespace cvg {

// Sign pattern as bits: bit (k mod period) set means s_{k+1} = -1.
struct SignPattern {
    int period = 1;
    uint32_t minus = 0;
    int sign(int k) const { return (minus >> (k % period)) & 1 ? -1 : 1; }  // s_{k+1}
};

// Every distinct periodic pattern of period <= max_period (period-2 "++" is "+", and so on).
std::vector<SignPattern> sign_patterns(int max_period);

// The partial quotients a_0, a_1, ... (at most `terms`) of every x in the ball, for the pattern.
// Small partial quotients (the usual case) stay in machine words.
std::vector<int64_t> signed_cf(const Ball& x, const SignPattern& signs, int terms);

}  // namespace cvg
