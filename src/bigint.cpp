#include "src/bigint.hpp"

#include <cmath>
#include <limits>

namespace cvg {

std::string Int::str() const {
    char* s = fmpz_get_str(nullptr, 10, v_);
    std::string r(s);
    flint_free(s);
    return r;
}

double Int::log10_abs() const {
    if (fmpz_is_zero(v_)) return -std::numeric_limits<double>::infinity();
    slong e = 0;
    double m = fmpz_get_d_2exp(&e, v_);  // |m| in [0.5, 1)
    return std::log10(std::fabs(m)) + static_cast<double>(e) * 0.30102999566398119521;
}

}  // namespace cvg
