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

// The known formula that `pcf` is, up to a(n) -> c a(n+k), b(n) -> c^2 b(n+k) for a rational
// c != 0 (an equivalence transform, limit scaled by c) and a shift |k| <= max_shift (a tail,
// limit a Moebius transform of the original); nullptr when it is none of them.
const KnownPcf* match_known(const Pcf& pcf, int max_shift = 8);

}  // namespace cvg::search
