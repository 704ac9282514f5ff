#include "src/screen.hpp"

#include <cmath>

namespace cvg {

const char* to_string(ScreenStatus s) {
    switch (s) {
        case ScreenStatus::ok: return "ok";
        case ScreenStatus::terminated: return "terminated";
        case ScreenStatus::q_zero: return "q_zero";
        case ScreenStatus::overflow: return "overflow";
    }
    return "?";
}

ScreenPoly::ScreenPoly(const Poly& p) {
    for (const Int& x : p.coeffs()) c.push_back(fmpz_get_d(x.get()));
}

ScreenResult screen(const Pcf& pcf, uint32_t depth) {
    return screen(ScreenPoly(pcf.a), ScreenPoly(pcf.b), depth);
}

ScreenResult screen(const ScreenPoly& a, const ScreenPoly& b, uint32_t depth) {
    constexpr double kBig = 0x1p+500, kSmall = 0x1p-500;
    double p0 = 1.0, p1 = a(0.0), q0 = 0.0, q1 = 1.0;
    ScreenResult r;
    for (uint32_t n = 1; n <= depth; ++n) {
        double x = static_cast<double>(n);
        double an = a(x), bn = b(x);
        if (bn == 0.0) {
            r.status = ScreenStatus::terminated;
            r.depth = n;
            r.value = p1 / q1;
            return r;
        }
        double p2 = an * p1 + bn * p0, q2 = an * q1 + bn * q0;
        p0 = p1; p1 = p2; q0 = q1; q1 = q2;
        double m = std::fmax(std::fabs(p1), std::fabs(q1));
        if (m > kBig) {
            p0 *= kSmall; p1 *= kSmall; q0 *= kSmall; q1 *= kSmall;
        } else if (m < kSmall && m != 0.0) {
            p0 *= kBig; p1 *= kBig; q0 *= kBig; q1 *= kBig;
        }
    }
    r.depth = depth;
    if (!std::isfinite(p1) || !std::isfinite(q1) || !std::isfinite(p0) || !std::isfinite(q0)) {
        r.status = ScreenStatus::overflow;
        return r;
    }
    if (q1 == 0.0) {
        r.status = ScreenStatus::q_zero;
        return r;
    }
    r.value = p1 / q1;
    double prev = q0 != 0.0 ? p0 / q0 : INFINITY;
    r.rel_step = std::fabs(r.value - prev) / std::fabs(r.value);
    if (!std::isfinite(r.value)) r.status = ScreenStatus::overflow;
    return r;
}

}  // namespace cvg
