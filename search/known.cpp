#include "search/known.hpp"

#include "src/csv.hpp"
#include "search_known_pcfs.hpp"

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

// x = c y for a rational c != 0, with c^2 for the b's: x.a * ya == y.a * xa and
// x.b * ya^2 == y.b * xa^2, where xa, ya are the leading coefficients of the a's.
bool proportional(const Pcf& x, const Pcf& y) {
    if (x.a.degree() != y.a.degree() || x.b.degree() != y.b.degree() || x.a.is_zero()) return false;
    Poly xa = Poly(std::vector<Int>{x.a.coeffs().back()}), ya = Poly(std::vector<Int>{y.a.coeffs().back()});
    return x.a * ya == y.a * xa && x.b * ya * ya == y.b * xa * xa;
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

// The part of `proportional` that a shift leaves unchanged: degrees and leading coefficients
// (cheap, and false for almost every pair).
bool leads_proportional(const Pcf& x, const Pcf& y) {
    if (x.a.degree() != y.a.degree() || x.b.degree() != y.b.degree() || x.a.is_zero() || x.b.is_zero()) return false;
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
        if (!leads_proportional(pcf, k.pcf)) continue;
        for (int s = -max_shift; s <= max_shift; ++s)
            if (proportional(pcf, {k.pcf.a.composed_linear(1, s), k.pcf.b.composed_linear(1, s)})) return &k;
    }
    return nullptr;
}

}  // namespace cvg::search
