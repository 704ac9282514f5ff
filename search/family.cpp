#include "search/family.hpp"

#include <algorithm>

namespace cvg::search {

std::string family_key(const Pcf& pcf) {
    // c = the largest integer with c | content(a) and c^2 | content(b)
    Int ca, cb, c(1);
    for (const Int& x : pcf.a.coeffs()) fmpz_gcd(ca.get(), ca.get(), x.get());
    for (const Int& x : pcf.b.coeffs()) fmpz_gcd(cb.get(), cb.get(), x.get());
    // c divides g = gcd(content a, content b) (or content a when b = 0): try g's divisors
    Int g;
    fmpz_gcd(g.get(), ca.get(), cb.get());
    if (!g.is_zero() && fmpz_fits_si(g.get()) && (cb.is_zero() || fmpz_fits_si(cb.get()))) {
        slong gv = fmpz_get_si(g.get()), b = cb.is_zero() ? 0 : fmpz_get_si(cb.get()), best = 1;
        auto ok = [&](slong d) { return b == 0 || (b / d) % d == 0; };
        for (slong d = 1; d * d <= gv; ++d) {
            if (gv % d) continue;
            if (ok(d)) best = std::max(best, d);
            if (ok(gv / d)) best = std::max(best, gv / d);
        }
        c = Int(best);
    }
    int sign = pcf.a.is_zero() ? 1 : pcf.a.coeffs().back().sign();
    std::vector<Int> a, b;
    Int c2;
    fmpz_mul(c2.get(), c.get(), c.get());
    for (const Int& x : pcf.a.coeffs()) {
        Int y;
        fmpz_divexact(y.get(), x.get(), c.get());
        if (sign < 0) fmpz_neg(y.get(), y.get());
        a.push_back(y);
    }
    for (const Int& x : pcf.b.coeffs()) {
        Int y;
        fmpz_divexact(y.get(), x.get(), c2.get());
        b.push_back(y);
    }
    return Poly(a).to_list() + ";" + Poly(b).to_list();
}

}  // namespace cvg::search
