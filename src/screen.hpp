// Double-precision screen of a PCF at a fixed depth: the recurrence for (p, q) with exact
// power-of-two rescaling, no allocation. It reports why a value is unusable (termination,
// q_n = 0, overflow/NaN) instead of returning garbage; the caller judges convergence from
// `rel_step` = |x_N - x_{N-1}| / |x_N|.
#pragma once

#include "src/pcf.hpp"

#include <cstdint>
#include <vector>

namespace cvg {

enum class ScreenStatus { ok, terminated, q_zero, overflow };
const char* to_string(ScreenStatus s);

struct ScreenResult {
    ScreenStatus status = ScreenStatus::ok;
    double value = 0.0;     // x_N = p_N / q_N
    double rel_step = 0.0;  // |x_N - x_{N-1}| / |x_N| (inf when x_{N-1} is infinite)
    uint32_t depth = 0;     // N, or the n where b(n) = 0 for `terminated`
};

// Coefficients as doubles, ascending, for the hot loop (exact while |coefficient| < 2^53).
struct ScreenPoly {
    std::vector<double> c;
    explicit ScreenPoly(const Poly& p);
    double operator()(double n) const {
        double r = 0.0;
        for (size_t i = c.size(); i-- > 0;) r = r * n + c[i];
        return r;
    }
};

ScreenResult screen(const Pcf& pcf, uint32_t depth);
ScreenResult screen(const ScreenPoly& a, const ScreenPoly& b, uint32_t depth);

}  // namespace cvg
