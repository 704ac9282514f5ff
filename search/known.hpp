// The classical formulas a discovery is compared with (search/known_pcfs.csv, built into the
// binary): a formula found blind is "known" when it is one of them up to the transformations that
// leave the formula's content unchanged.
#pragma once

#include "src/pcf.hpp"

#include <string>
#include <vector>

namespace cvg::search {

struct KnownPcf {
    std::string id, constant, limit, source;
    Pcf pcf;
};

const std::vector<KnownPcf>& known_pcfs();

// The known formula that `pcf` is, up to a(n) -> c(n) a(n+k), b(n) -> c(n) c(n-1) b(n+k) for a
// polynomial c(n) with rational coefficients and no root at an integer n >= 0 (an equivalence
// transform: the convergents multiplied by c(0) ... c(n), the limit by c(0); a constant c != 0
// included) and a shift |k| <= max_shift (a tail, limit a Moebius transform of the original);
// nullptr when it is none of them.
const KnownPcf* match_known(const Pcf& pcf, int max_shift = 8);

}  // namespace cvg::search
