// Exact truncated decimal output of a fraction: the digit strings of deep values.
//
// floor(|p| 10^(k-1) / |q|) needs only the top ~3.33 k + 64 bits of p and q when q is much
// longer than k digits (a deep convergent's q_N has ~6 times more digits than the value it
// supports): the quotient of the truncated operands is checked to be the exact one, with the
// full-size division as the fallback.
#pragma once

#include "src/bigint.hpp"

#include <string>

namespace cvg {

// The decimal digits of floor(|p| * 10^(k-1) / |q|): for 1 <= |p/q| < 10 the first k significant
// digits of |p/q|, truncated. k <= 0 gives "". Throws std::domain_error when q = 0.
std::string truncated_digits(const Int& p, const Int& q, long k);

// The decimal string of x (with a leading '-' when negative). Large numbers are split by a
// power of ten and the halves converted as parallel oneTBB tasks.
std::string decimal_string(const Int& x);

}  // namespace cvg
