#include "src/signed_cf.hpp"

#include <set>

namespace cvg {

std::vector<SignPattern> sign_patterns(int max_period) {
    std::vector<SignPattern> out;
    std::set<std::vector<int>> seen;  // sign sequences of length lcm(1..max_period), up to duplicates
    int len = 1;
    for (int p = 1; p <= max_period; ++p) len = len * p / [](int a, int b) { while (b) { int t = a % b; a = b; b = t; } return a; }(len, p);
    for (int p = 1; p <= max_period; ++p)
        for (uint32_t m = 0; m < (1u << p); ++m) {
            SignPattern s{p, m};
            std::vector<int> seq;
            for (int k = 0; k < len; ++k) seq.push_back(s.sign(k));
            if (seen.insert(seq).second) out.push_back(s);
        }
    return out;
}

namespace {

// One step on p/q (q > 0): a = floor(p/q) (s = +1) or ceil(p/q) (s = -1); then (p, q) becomes
// (q, p - a q) or (q, a q - p). Returns false if a does not fit in 63 bits.
bool step(Int& p, Int& q, int s, Int& a, Int& t) {
    if (s > 0) fmpz_fdiv_qr(a.get(), t.get(), p.get(), q.get());  // t = p - a q in [0, q)
    else {
        fmpz_cdiv_qr(a.get(), t.get(), p.get(), q.get());  // t = p - a q in (-q, 0]
        fmpz_neg(t.get(), t.get());
    }
    fmpz_swap(p.get(), q.get());
    fmpz_swap(q.get(), t.get());
    return fmpz_fits_si(a.get());
}

}  // namespace

std::vector<int64_t> signed_cf(const Ball& x, const SignPattern& signs, int terms) {
    std::vector<int64_t> out;
    if (!arb_is_finite(x.get())) return out;
    // The ends of the ball as fractions lo = plo / 2^e, hi = phi / 2^e.
    arf_t l, h;
    arf_init(l);
    arf_init(h);
    arb_get_lbound_arf(l, x.get(), ARF_PREC_EXACT);
    arb_get_ubound_arf(h, x.get(), ARF_PREC_EXACT);
    Int pl, ph, el, eh;
    arf_get_fmpz_2exp(pl.get(), el.get(), l);
    arf_get_fmpz_2exp(ph.get(), eh.get(), h);
    arf_clear(l);
    arf_clear(h);
    // bring both to the denominator 2^E with E = -min(el, eh) (or numerators scaled up)
    Int ql(1), qh(1);
    auto place = [](Int& p, Int& q, const Int& e) {
        if (e.sign() >= 0) fmpz_mul_2exp(p.get(), p.get(), fmpz_get_ui(e.get()));
        else fmpz_mul_2exp(q.get(), q.get(), fmpz_get_ui(Int(-fmpz_get_si(e.get())).get()));
    };
    if (!fmpz_fits_si(el.get()) || !fmpz_fits_si(eh.get())) return out;
    place(pl, ql, el);
    place(ph, qh, eh);
    Int al, ah, t;
    for (int k = 0; k < terms; ++k) {
        int s = signs.sign(k);
        if (ql.is_zero() || qh.is_zero()) break;  // an end is exactly rational and done
        bool okl = step(pl, ql, s, al, t), okh = step(ph, qh, s, ah, t);
        if (!okl || !okh || !(al == ah)) break;
        out.push_back(fmpz_get_si(al.get()));
    }
    return out;
}

}  // namespace cvg
