#include "src/decimal.hpp"

#include <mpfr.h>

#include <algorithm>

namespace cvg {
namespace {

// Truncated decimal expansion of a finite, positive arf with n significant digits.
std::string truncated_digits(const arf_t v, long n, long& exp10) {
    mpfr_t m;
    slong bits = std::max<slong>(arf_bits(v), 2);
    mpfr_init2(m, bits);
    arf_get_mpfr(m, v, MPFR_RNDN);  // exact: m has enough bits
    mpfr_exp_t e = 0;
    char* s = mpfr_get_str(nullptr, &e, 10, static_cast<size_t>(n), m, MPFR_RNDZ);
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
    std::string s_lo = truncated_digits(lo, max_digits, e_lo);
    std::string s_hi = truncated_digits(hi, max_digits, e_hi);
    arf_clear(lo);
    arf_clear(hi);
    if (e_lo != e_hi) return Decimal{d.negative, "", 0};
    size_t k = 0;
    while (k < s_lo.size() && k < s_hi.size() && s_lo[k] == s_hi[k]) ++k;
    d.digits = s_lo.substr(0, k);
    d.exp10 = d.digits.empty() ? 0 : e_lo;
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
