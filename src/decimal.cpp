#include "src/decimal.hpp"

#include <mpfr.h>

#include <algorithm>

namespace cvg {
namespace {

// Decimal expansion of a finite, positive arf with n significant digits, truncated (MPFR_RNDZ)
// or rounded to nearest (MPFR_RNDN).
std::string decimal_digits(const arf_t v, long n, long& exp10, mpfr_rnd_t rnd = MPFR_RNDZ) {
    mpfr_t m;
    slong bits = std::max<slong>(arf_bits(v), 2);
    mpfr_init2(m, bits);
    arf_get_mpfr(m, v, MPFR_RNDN);  // exact: m has enough bits
    mpfr_exp_t e = 0;
    char* s = mpfr_get_str(nullptr, &e, 10, static_cast<size_t>(n), m, rnd);
    std::string r(s);
    mpfr_free_str(s);
    mpfr_clear(m);
    exp10 = e;
    return r;
}

}  // namespace

Decimal certified_decimal(const Ball& x, long max_digits) {
    Decimal d;
    const arb_struct* b = x.get();
    if (!arb_is_finite(b) || arb_contains_zero(b) || max_digits < 1) return d;
    arf_t lo, hi;
    arf_init(lo);
    arf_init(hi);
    arb_get_lbound_arf(lo, b, ARF_PREC_EXACT);
    arb_get_ubound_arf(hi, b, ARF_PREC_EXACT);
    d.negative = arf_sgn(lo) < 0;
    if (d.negative) {  // work with |x|: swap and negate the bounds
        arf_swap(lo, hi);
        arf_neg(lo, lo);
        arf_neg(hi, hi);
    }
    long e_lo = 0, e_hi = 0;
    std::string s_lo = decimal_digits(lo, max_digits, e_lo);
    std::string s_hi = decimal_digits(hi, max_digits, e_hi);
    size_t k = 0;
    if (e_lo == e_hi)
        while (k < s_lo.size() && k < s_hi.size() && s_lo[k] == s_hi[k]) ++k;
    d.digits = s_lo.substr(0, k);
    d.exp10 = d.digits.empty() ? 0 : e_lo;

    // A value just at a decimal boundary (1 enclosed by [0.99...97, 1.00...02]) has few or no
    // certain truncated digits, but every point of the ball rounds to 1.00...0: report those.
    // m: the digits the ball's relative width allows; rounding is monotone, so equal roundings of
    // the bounds are the rounding of every point.
    arf_t w;
    arf_init(w);
    arf_sub(w, hi, lo, 64, ARF_RND_UP);
    long m = max_digits;  // the ball is a point: all digits
    if (!arf_is_zero(w)) {  // relative width < 2^(ew - el + 1)
        slong ew = arf_abs_bound_lt_2exp_si(w), el = arf_abs_bound_lt_2exp_si(lo);
        m = std::min<long>(max_digits, static_cast<long>(static_cast<double>(el - 1 - ew) * 0.30102999566398119521));
    }
    arf_clear(w);
    const long above = k == 0 ? 0 : static_cast<long>(k) + 3;  // only when truncation lost several digits
    for (long t = m; t > above && t >= m - 2; --t) {
        long r_lo = 0, r_hi = 0;
        std::string a = decimal_digits(lo, t, r_lo, MPFR_RNDN), b = decimal_digits(hi, t, r_hi, MPFR_RNDN);
        if (a == b && r_lo == r_hi) {
            d.digits = a;
            d.exp10 = r_lo;
            d.rounded = true;
            break;
        }
    }
    arf_clear(lo);
    arf_clear(hi);
    return d;
}

std::string Decimal::str() const {
    if (digits.empty()) return "?";
    std::string s = negative ? "-" : "";
    long n = count();
    if (exp10 >= 1 && exp10 <= n) {          // ddd.ddd
        s.append(digits, 0, static_cast<size_t>(exp10));
        if (exp10 < n) s.append(".").append(digits, static_cast<size_t>(exp10));
    } else if (exp10 <= 0 && exp10 > -6) {   // 0.000ddd
        s.append("0.").append(static_cast<size_t>(-exp10), '0').append(digits);
    } else {                                 // d.ddde+X
        s.push_back(digits[0]);
        if (n > 1) s.append(".").append(digits, 1);
        s.append("e").append(std::to_string(exp10 - 1));
    }
    return s;
}

}  // namespace cvg
