#include "search/known.hpp"

#include "src/csv.hpp"
#include "search_known_pcfs.hpp"

#include <flint/fmpz_poly.h>

#include <sstream>

namespace cvg::search {
namespace {

// "1,-4,4" (ascending coefficients, as in the csv)
Poly coefficient_list(const std::string& s) {
    std::vector<Int> c;
    std::stringstream in(s);
    std::string tok;
    while (std::getline(in, tok, ',')) c.emplace_back(static_cast<slong>(std::stoll(tok)));
    return Poly(std::move(c));
}

// FLINT's integer polynomials, for the exact divisions below.
class ZPoly {
public:
    ZPoly() { fmpz_poly_init(p_); }
    explicit ZPoly(const Poly& x) : ZPoly() {
        for (size_t i = 0; i < x.coeffs().size(); ++i) fmpz_poly_set_coeff_fmpz(p_, static_cast<slong>(i), x.coeffs()[i].get());
    }
    ZPoly(const ZPoly&) = delete;
    ZPoly& operator=(const ZPoly&) = delete;
    ~ZPoly() { fmpz_poly_clear(p_); }
    fmpz_poly_struct* get() { return p_; }

private:
    fmpz_poly_t p_;
};

// x = c(n) y for a polynomial c(n) with rational coefficients (a constant c != 0 included) that
// has no root at an integer n >= 0: a_x = c(n) a_y and b_x = c(n) c(n-1) b_y, i.e. x's convergents
// are y's multiplied by c(0) c(1) ... c(n) (its limit c(0) times y's). With w = lead(a_y)^k and
// u = w c (integers, from the pseudo-division w a_x = u a_y): w^2 b_x = u(n) u(n-1) b_y.
bool multiple(const Pcf& x, const Pcf& y) {
    const int d = x.a.degree() - y.a.degree();
    if (x.a.is_zero() || y.a.is_zero() || d < 0 || x.b.degree() != y.b.degree() + 2 * d) return false;
    ZPoly ax(x.a), ay(y.a), bx(x.b), by(y.b), u, r, u1, lhs, rhs;
    ulong k = 0;
    fmpz_poly_pseudo_divrem(u.get(), r.get(), &k, ax.get(), ay.get());
    if (!fmpz_poly_is_zero(r.get())) return false;
    std::vector<Int> uc(static_cast<size_t>(fmpz_poly_length(u.get())));
    for (size_t i = 0; i < uc.size(); ++i) fmpz_poly_get_coeff_fmpz(uc[i].get(), u.get(), static_cast<slong>(i));
    for (const Int& root : Poly(uc).integer_roots())
        if (root.sign() >= 0) return false;
    Int w;
    fmpz_pow_ui(w.get(), fmpz_poly_lead(ay.get()), k);
    fmpz_mul(w.get(), w.get(), w.get());
    fmpz_poly_scalar_mul_fmpz(lhs.get(), bx.get(), w.get());
    fmpz_poly_taylor_shift(u1.get(), u.get(), Int(-1).get());
    fmpz_poly_mul(rhs.get(), u.get(), u1.get());
    fmpz_poly_mul(rhs.get(), rhs.get(), by.get());
    return fmpz_poly_equal(lhs.get(), rhs.get());
}

}  // namespace

const std::vector<KnownPcf>& known_pcfs() {
    static const std::vector<KnownPcf> list = [] {
        std::vector<KnownPcf> out;
        std::istringstream in(kKnownPcfsCsv);
        for (CsvRow& r : parse_csv(in))
            out.push_back({r["id"], r["constant"], r["limit"], r["source"], {coefficient_list(r["a"]), coefficient_list(r["b"])}});
        return out;
    }();
    return list;
}

// The part of `multiple` that a shift leaves unchanged: degrees and leading coefficients,
// lead(b_x) lead(a_y)^2 = lead(b_y) lead(a_x)^2 (cheap, and false for almost every pair).
bool leads_match(const Pcf& x, const Pcf& y) {
    const int d = x.a.degree() - y.a.degree();
    if (d < 0 || x.b.degree() != y.b.degree() + 2 * d || x.a.is_zero() || x.b.is_zero()) return false;
    const Int &xa = x.a.coeffs().back(), &ya = y.a.coeffs().back(), &xb = x.b.coeffs().back(), &yb = y.b.coeffs().back();
    Int l, r;
    fmpz_mul(l.get(), xb.get(), ya.get());
    fmpz_mul(l.get(), l.get(), ya.get());
    fmpz_mul(r.get(), yb.get(), xa.get());
    fmpz_mul(r.get(), r.get(), xa.get());
    return l == r;
}

const KnownPcf* match_known(const Pcf& pcf, int max_shift) {
    for (const KnownPcf& k : known_pcfs()) {
        if (!leads_match(pcf, k.pcf)) continue;
        for (int s = -max_shift; s <= max_shift; ++s)
            if (multiple(pcf, {k.pcf.a.composed_linear(1, s), k.pcf.b.composed_linear(1, s)})) return &k;
    }
    return nullptr;
}

}  // namespace cvg::search
