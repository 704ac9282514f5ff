#include "src/relation.hpp"

#include "src/constants.hpp"

#include <acb.h>
#include <arb_fmpz_poly.h>
#include <flint/fmpz_poly.h>

#include <algorithm>
#include <stdexcept>

namespace cvg {
namespace {

bool all_zero(const std::vector<Int>& v) {
    return std::all_of(v.begin(), v.end(), [](const Int& c) { return c.is_zero(); });
}

int nonzero_terms(const std::vector<Int>& v) {
    return static_cast<int>(std::count_if(v.begin(), v.end(), [](const Int& c) { return !c.is_zero(); }));
}

// "12 - 3*pi", "pi", "-1 + e", "0"
std::string linear_text(const std::vector<Int>& c, const std::vector<std::string>& basis) {
    std::string s;
    for (size_t i = 0; i < c.size(); ++i) {
        if (c[i].is_zero()) continue;
        bool neg = c[i].sign() < 0;
        Int a;
        fmpz_abs(a.get(), c[i].get());
        std::string term;
        if (basis[i] == "1") term = a.str();
        else term = (fmpz_is_one(a.get()) ? "" : a.str() + "*") + basis[i];
        if (s.empty()) s = (neg ? "-" : "") + term;
        else s += (neg ? " - " : " + ") + term;
    }
    return s.empty() ? "0" : s;
}

std::string json_int(const Int& c) {
    if (fmpz_fits_si(c.get())) return c.str();
    return "\"" + c.str() + "\"";
}

std::string json_list(const std::vector<Int>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + json_int(v[i]);
    return s + "]";
}

std::string json_strings(const std::vector<std::string>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ",\"" : "\"") + v[i] + "\"";
    return s + "]";
}

// sum c_i B_i as a ball at working precision wp
Ball combination(const std::vector<Int>& c, const std::vector<std::string>& basis, slong wp) {
    Ball sum, term;
    for (size_t i = 0; i < c.size(); ++i) {
        if (c[i].is_zero()) continue;
        if (basis[i] == "1") arb_set_fmpz(term.get(), c[i].get());
        else {
            term = constant_value(basis[i], wp);
            arb_mul_fmpz(term.get(), term.get(), c[i].get(), wp);
        }
        arb_add(sum.get(), sum.get(), term.get(), wp);
    }
    return sum;
}

void make_primitive(std::vector<Int>& v) {
    Int g;
    for (const Int& c : v) fmpz_gcd(g.get(), g.get(), c.get());
    if (g.is_zero() || fmpz_is_one(g.get())) return;
    for (Int& c : v) fmpz_divexact(c.get(), c.get(), g.get());
}

double distance(const Ball& x, const Ball* near) {
    if (!near) return 0;
    arf_t d;
    arf_init(d);
    arf_sub(d, arb_midref(x.get()), arb_midref(near->get()), 64, ARF_RND_NEAR);
    arf_abs(d, d);
    double r = arf_get_d(d, ARF_RND_NEAR);
    arf_clear(d);
    return r;
}

}  // namespace

long decimal_digits(const Int& c) {
    if (c.is_zero()) return 0;
    std::string s = c.str();
    return static_cast<long>(s.size()) - (s[0] == '-');
}

Relation Relation::ratio(std::vector<std::string> basis, std::vector<Int> numerator, std::vector<Int> denominator) {
    if (numerator.size() != basis.size() || denominator.size() != basis.size())
        throw std::invalid_argument("a relation needs one coefficient per basis element");
    for (Int& c : numerator) fmpz_neg(c.get(), c.get());
    Relation r;
    r.basis_ = std::move(basis);
    r.poly_ = {std::move(numerator), std::move(denominator)};
    return r;
}

Relation Relation::polynomial(std::vector<std::string> basis, std::vector<std::vector<Int>> poly) {
    if (poly.size() < 2) throw std::invalid_argument("a relation is a polynomial of degree >= 1 in x");
    for (const auto& row : poly)
        if (row.size() != basis.size()) throw std::invalid_argument("a relation needs one coefficient per basis element");
    Relation r;
    r.basis_ = std::move(basis);
    r.poly_ = std::move(poly);
    return r;
}

Relation Relation::from_vector(std::vector<std::string> basis, int degree, const std::vector<Int>& m) {
    const size_t k = basis.size();
    if (m.size() != k * static_cast<size_t>(degree + 1)) throw std::invalid_argument("relation vector of the wrong size");
    std::vector<std::vector<Int>> poly(static_cast<size_t>(degree) + 1);
    for (int d = 0; d <= degree; ++d) poly[d].assign(m.begin() + static_cast<long>(d * k), m.begin() + static_cast<long>((d + 1) * k));
    return polynomial(std::move(basis), std::move(poly));
}

std::vector<Int> Relation::numerator() const {
    if (!is_ratio()) throw std::logic_error("numerator of a relation of degree " + std::to_string(degree()));
    std::vector<Int> n = poly_[0];
    for (Int& c : n) fmpz_neg(c.get(), c.get());
    return n;
}

std::vector<Int> Relation::denominator() const {
    if (!is_ratio()) throw std::logic_error("denominator of a relation of degree " + std::to_string(degree()));
    return poly_[1];
}

bool Relation::degenerate() const {
    for (size_t k = 1; k < poly_.size(); ++k)
        if (!all_zero(poly_[k])) return false;
    return true;
}

void Relation::normalize() {
    while (poly_.size() > 2 && all_zero(poly_.back())) poly_.pop_back();
    while (poly_.size() > 2 && all_zero(poly_.front())) poly_.erase(poly_.begin());  // a factor x
    Int g;
    for (const auto& row : poly_)
        for (const Int& c : row) fmpz_gcd(g.get(), g.get(), c.get());
    bool divide = !g.is_zero() && !fmpz_is_one(g.get());
    // sign. A ratio: the fewer minus signs (ties: the first nonzero of the denominator positive);
    // a polynomial: the last nonzero coefficient of the top power of x positive.
    int sign = 0;
    if (is_ratio()) {
        int neg = 0, pos = 0;
        for (const auto& row : poly_)
            for (const Int& c : row) (c.sign() < 0 ? neg : pos) += c.is_zero() ? 0 : 1;
        // numerator = -poly_[0]: its signs count the other way
        for (const Int& c : poly_[0])
            if (!c.is_zero()) { if (c.sign() < 0) { --neg; ++pos; } else { --pos; ++neg; } }
        if (neg != pos) sign = neg < pos ? 1 : -1;
        for (size_t i = 0; i < poly_[1].size() && sign == 0; ++i)
            if (!poly_[1][i].is_zero()) sign = poly_[1][i].sign();
    }
    for (size_t k = poly_.size(); k-- > 0 && sign == 0;)
        for (size_t i = poly_[k].size(); i-- > 0;)
            if (!poly_[k][i].is_zero()) {
                sign = poly_[k][i].sign();
                break;
            }
    for (auto& row : poly_)
        for (Int& c : row) {
            if (divide) fmpz_divexact(c.get(), c.get(), g.get());
            if (sign < 0) fmpz_neg(c.get(), c.get());
        }
    if (!minpoly_.empty()) {
        while (minpoly_.size() > 1 && minpoly_.back().is_zero()) minpoly_.pop_back();
        make_primitive(minpoly_);
        if (minpoly_.back().sign() < 0)
            for (Int& c : minpoly_) fmpz_neg(c.get(), c.get());
    }
}

long Relation::coefficient_digits() const {
    long d = 0;
    for (const auto& row : poly_)
        for (const Int& c : row) d += decimal_digits(c);
    return d;
}

std::string Relation::text() const {
    if (is_ratio()) {
        std::vector<Int> n = numerator(), d = denominator();
        std::string ns = linear_text(n, basis_), ds = linear_text(d, basis_);
        if (ds == "1") return ns;
        if (nonzero_terms(n) > 1) ns = "(" + ns + ")";
        if (nonzero_terms(d) > 1 || ds.find_first_of("-*") != std::string::npos) ds = "(" + ds + ")";
        return ns + "/" + ds;
    }
    std::string s;
    for (int k = degree(); k >= 0; --k) {
        const std::vector<Int>& c = poly_[k];
        if (all_zero(c)) continue;
        std::string xs = k == 0 ? "" : k == 1 ? "x" : "x^" + std::to_string(k);
        std::string term;
        bool neg = false;
        if (nonzero_terms(c) == 1) {
            std::string t = linear_text(c, basis_);
            neg = t[0] == '-';
            if (neg) t = t.substr(1);
            if (k > 0 && t == "1") term = xs;
            else term = k == 0 ? t : t + "*" + xs;
        } else {
            term = "(" + linear_text(c, basis_) + ")" + (k == 0 ? "" : "*" + xs);
        }
        if (s.empty()) s = (neg ? "-" : "") + term;
        else s += (neg ? " - " : " + ") + term;
    }
    return "root of " + s;
}

std::string Relation::json() const {
    std::string s = "{\"basis\":" + json_strings(basis_);
    if (is_ratio()) {
        s += ",\"numerator\":" + json_list(numerator()) + ",\"denominator\":" + json_list(denominator());
        if (!minpoly_.empty()) s += ",\"minimal_polynomial\":" + json_list(minpoly_);
    } else if (basis_.size() == 1) {
        std::vector<Int> p;
        for (const auto& row : poly_) p.push_back(row[0]);
        s += ",\"minimal_polynomial\":" + json_list(p);
    } else {
        s += ",\"minimal_polynomial\":[";
        for (size_t k = 0; k < poly_.size(); ++k) s += (k ? "," : "") + json_list(poly_[k]);
        s += "]";
    }
    return s + "}";
}

Ball Relation::value(slong prec, const Ball* near) const {
    if (degenerate()) throw std::domain_error("the relation does not involve x");
    flint_bitcnt_t cbits = 0;
    for (const auto& row : poly_)
        for (const Int& c : row) cbits = std::max(cbits, c.bits());
    slong wp = prec + 32 + static_cast<slong>(cbits);
    for (int attempt = 0; attempt < 6; ++attempt, wp *= 2) {
        Ball out;
        if (is_ratio()) {
            Ball n = combination(numerator(), basis_, wp), d = combination(denominator(), basis_, wp);
            if (arb_contains_zero(d.get())) continue;
            arb_div(out.get(), n.get(), d.get(), wp);
        } else if (basis_.size() == 1) {
            // the real root of an integer polynomial nearest `near` (squarefree part first)
            fmpz_poly_t p, dp, g;
            fmpz_poly_init(p); fmpz_poly_init(dp); fmpz_poly_init(g);
            for (size_t k = 0; k < poly_.size(); ++k) fmpz_poly_set_coeff_fmpz(p, static_cast<slong>(k), poly_[k][0].get());
            fmpz_poly_derivative(dp, p);
            fmpz_poly_gcd(g, p, dp);
            if (fmpz_poly_degree(g) > 0) fmpz_poly_div(p, p, g);
            slong deg = fmpz_poly_degree(p);
            acb_ptr roots = _acb_vec_init(deg);
            arb_fmpz_poly_complex_roots(roots, p, 0, wp);
            bool found = false;
            double best = 0;
            for (slong i = 0; i < deg; ++i) {
                if (!arb_is_zero(acb_imagref(roots + i))) continue;
                Ball r;
                arb_set(r.get(), acb_realref(roots + i));
                double dist = distance(r, near);
                if (!found || dist < best) { out = r; best = dist; found = true; }
            }
            _acb_vec_clear(roots, deg);
            fmpz_poly_clear(p); fmpz_poly_clear(dp); fmpz_poly_clear(g);
            if (!found) throw std::domain_error("the polynomial has no real root");
        } else {
            if (degree() != 2) throw std::domain_error("roots of degree > 2 over a constant are not supported");
            Ball a = combination(poly_[2], basis_, wp), b = combination(poly_[1], basis_, wp),
                 c = combination(poly_[0], basis_, wp), disc, t;
            if (arb_contains_zero(a.get())) continue;
            arb_mul(disc.get(), b.get(), b.get(), wp);
            arb_mul(t.get(), a.get(), c.get(), wp);
            arb_mul_2exp_si(t.get(), t.get(), 2);
            arb_sub(disc.get(), disc.get(), t.get(), wp);
            if (arb_is_negative(disc.get())) throw std::domain_error("the quadratic has no real root");
            if (arb_contains_zero(disc.get())) continue;
            arb_sqrt(disc.get(), disc.get(), wp);
            Ball r1, r2;
            arb_neg(t.get(), b.get());
            arb_add(r1.get(), t.get(), disc.get(), wp);
            arb_sub(r2.get(), t.get(), disc.get(), wp);
            arb_mul_2exp_si(a.get(), a.get(), 1);
            arb_div(r1.get(), r1.get(), a.get(), wp);
            arb_div(r2.get(), r2.get(), a.get(), wp);
            out = distance(r1, near) <= distance(r2, near) ? r1 : r2;
        }
        if (arb_rel_accuracy_bits(out.get()) >= prec || arb_is_zero(out.get())) return out;
    }
    throw std::domain_error("the relation's value cannot be computed to the precision asked (a vanishing denominator?)");
}

}  // namespace cvg
