// Equivalent PCFs: (a, b) and (c a, c^2 b) have values x and c x, and (-a, b) has -x, so their
// formulas are one formula. The family key is the canonical representative: divide out the
// largest c with c | a and c^2 | b, and make the leading coefficient of a positive.
#pragma once

#include "src/pcf.hpp"

#include <string>

namespace cvg::search {

std::string family_key(const Pcf& pcf);

}  // namespace cvg::search
