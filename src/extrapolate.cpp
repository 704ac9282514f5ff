#include "src/extrapolate.hpp"

#include "src/exact.hpp"
#include "src/real.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace cvg {
namespace {

// Neville's scheme: the value at h = 0 of the polynomial in h = 1/n through (h_i, x_i).
void neville_at_zero(Real& out, const std::vector<uint64_t>& ns, const std::vector<const Real*>& xs, mpfr_prec_t prec) {
    const size_t k = ns.size();
    std::vector<Real> T;
    T.reserve(k);
    for (size_t i = 0; i < k; ++i) T.emplace_back(*xs[i]);
    Real d(prec), f(prec);
    // T_i <- T_i + (T_i - T_{i-1}) h_i / (h_{i-m} - h_i) = T_i + (T_i - T_{i-1}) n_{i-m} / (n_i - n_{i-m})
    for (size_t m = 1; m < k; ++m)
        for (size_t i = k - 1; i >= m; --i) {
            mpfr_sub(d.get(), T[i].get(), T[i - 1].get(), MPFR_RNDN);
            mpfr_mul_ui(d.get(), d.get(), ns[i - m], MPFR_RNDN);
            mpfr_div_ui(d.get(), d.get(), ns[i] - ns[i - m], MPFR_RNDN);
            mpfr_add(T[i].get(), T[i].get(), d.get(), MPFR_RNDN);
        }
    out = T[k - 1];
}

}  // namespace

Extrapolation richardson_limit(const Pcf& pcf, uint64_t depth, int points) {
    Extrapolation ex;
    ex.depth = depth;
    ex.points = points;
    const uint64_t K = static_cast<uint64_t>(std::max(points, 2));
    if (depth < 4 * K) {
        ex.note = "too shallow for the number of points";
        return ex;
    }
    // second point set, same parity, ending at about 3N/4
    const uint64_t depth_b = depth - 2 * ((depth / 4 + 1) / 2);
    const uint64_t lo = depth_b - 2 * (K - 1);
    const auto prec = static_cast<mpfr_prec_t>(2.0 * static_cast<double>(K) * std::log2(static_cast<double>(depth)) + 160);

    // exact convergents from lo to depth, kept (as MPFR quotients) at the parity of depth
    std::map<uint64_t, Real> x;
    Convergents c = convergents(pcf, lo);
    Int p0 = c.p_prev, p1 = c.p, q0 = c.q_prev, q1 = c.q, an, bn, t;
    Real pr(prec), qr(prec);
    for (uint64_t n = lo;; ++n) {
        if ((depth - n) % 2 == 0) {
            if (q1.is_zero()) {
                ex.note = "a convergent is infinite (q_n = 0)";
                return ex;
            }
            Real v(prec);
            fmpz_get_mpfr(pr.get(), p1.get(), MPFR_RNDN);
            fmpz_get_mpfr(qr.get(), q1.get(), MPFR_RNDN);
            mpfr_div(v.get(), pr.get(), qr.get(), MPFR_RNDN);
            x.emplace(n, std::move(v));
        }
        if (n == depth) break;
        pcf.a.eval(an.get(), static_cast<slong>(n + 1));
        pcf.b.eval(bn.get(), static_cast<slong>(n + 1));
        fmpz_mul(t.get(), an.get(), p1.get());
        fmpz_addmul(t.get(), bn.get(), p0.get());
        fmpz_swap(p0.get(), p1.get());
        fmpz_swap(p1.get(), t.get());
        fmpz_mul(t.get(), an.get(), q1.get());
        fmpz_addmul(t.get(), bn.get(), q0.get());
        fmpz_swap(q0.get(), q1.get());
        fmpz_swap(q1.get(), t.get());
    }
    auto extrapolate = [&](uint64_t top, Real& out) {
        std::vector<uint64_t> ns;
        std::vector<const Real*> xs;
        for (uint64_t j = K; j-- > 0;) {
            uint64_t n = top - 2 * j;
            ns.push_back(n);
            xs.push_back(&x.at(n));
        }
        neville_at_zero(out, ns, xs, prec);
    };
    Real la(prec), lb(prec), diff(prec);
    extrapolate(depth, la);
    extrapolate(depth_b, lb);
    if (!mpfr_number_p(la.get()) || !mpfr_number_p(lb.get()) || mpfr_zero_p(la.get())) {
        ex.note = "the extrapolation is not finite or is zero";
        return ex;
    }
    mpfr_sub(diff.get(), la.get(), lb.get(), MPFR_RNDN);
    long max_digits = static_cast<long>((static_cast<double>(prec) - 64) * 0.30103);
    double rel_digits = max_digits;
    if (!mpfr_zero_p(diff.get())) {
        long ed, el;
        double md = mpfr_get_d_2exp(&ed, diff.get(), MPFR_RNDN), ml = mpfr_get_d_2exp(&el, la.get(), MPFR_RNDN);
        double log10_rel = (std::log2(std::fabs(md)) + static_cast<double>(ed) - std::log2(std::fabs(ml)) -
                            static_cast<double>(el)) * 0.30102999566398119521;
        rel_digits = std::min<double>(max_digits, -log10_rel);
    }
    ex.digits = std::max<long>(0, static_cast<long>(std::floor(rel_digits)) - 1);
    arf_set_mpfr(arb_midref(ex.value.get()), la.get());
    // radius: |L| 10^-(digits) (10x the estimated error), at least the working precision
    Ball r;
    arb_set_arf(r.get(), arb_midref(ex.value.get()));
    arb_abs(r.get(), r.get());
    Ball scale;
    arb_set_si(scale.get(), 10);
    arb_pow_ui(scale.get(), scale.get(), static_cast<ulong>(ex.digits), 64);
    arb_div(r.get(), r.get(), scale.get(), 64);
    mag_t m;
    mag_init(m);
    arb_get_mag(m, r.get());
    mag_set(arb_radref(ex.value.get()), m);
    mag_clear(m);
    ex.ok = ex.digits > 0;
    if (!ex.ok) ex.note = "the two extrapolations share no digit";
    return ex;
}

}  // namespace cvg
