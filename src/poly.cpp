#include "src/poly.hpp"

#include <flint/fmpz_poly.h>
#include <flint/fmpz_poly_factor.h>

#include <algorithm>

namespace cvg {

Poly::Poly(std::vector<Int> ascending) : c_(std::move(ascending)) { trim(); }

Poly Poly::from_si(std::initializer_list<slong> ascending) {
    std::vector<Int> c;
    for (slong x : ascending) c.emplace_back(x);
    return Poly(std::move(c));
}

void Poly::trim() {
    while (!c_.empty() && c_.back().is_zero()) c_.pop_back();
    cd_.clear();
    for (const Int& x : c_) cd_.push_back(fmpz_get_d(x.get()));
}

std::string Poly::to_expr() const {
    if (c_.empty()) return "0";
    std::string s;
    for (int i = degree(); i >= 0; --i) {
        const Int& x = c_[i];
        if (x.is_zero()) continue;
        bool neg = x.sign() < 0;
        if (neg) s += '-';
        else if (!s.empty()) s += '+';
        bool unit = fmpz_is_pm1(x.get());
        if (!unit || i == 0) {
            Int a;
            fmpz_abs(a.get(), x.get());
            s += a.str();
        }
        if (i >= 1) s += 'n';
        if (i >= 2) s += '^' + std::to_string(i);
    }
    return s;
}

std::string Poly::to_list() const {
    if (c_.empty()) return "[0]";
    std::string s = "[";
    for (size_t i = 0; i < c_.size(); ++i) {
        if (i) s += ',';
        s += c_[i].str();
    }
    return s + "]";
}

void Poly::eval(fmpz_t out, slong n) const {
    fmpz_zero(out);
    for (int i = degree(); i >= 0; --i) {
        fmpz_mul_si(out, out, n);
        fmpz_add(out, out, c_[i].get());
    }
}

bool Poly::eval_i64(int64_t n, int64_t& out) const {
    int64_t r = 0;
    for (int i = degree(); i >= 0; --i) {
        const fmpz* ci = c_[i].get();
        if (!fmpz_fits_si(ci)) return false;
        if (__builtin_mul_overflow(r, n, &r)) return false;
        if (__builtin_add_overflow(r, static_cast<int64_t>(fmpz_get_si(ci)), &r)) return false;
    }
    out = r;
    return true;
}

double Poly::eval_d(double n) const {
    double r = 0.0;
    for (int i = degree(); i >= 0; --i) r = r * n + cd_[i];
    return r;
}

bool Poly::fits_i64() const {
    return std::all_of(c_.begin(), c_.end(), [](const Int& x) { return fmpz_fits_si(x.get()); });
}

std::vector<Int> Poly::integer_roots() const {
    std::vector<Int> roots;
    if (degree() < 1) return roots;
    fmpz_poly_t f;
    fmpz_poly_init(f);
    for (int i = 0; i <= degree(); ++i) fmpz_poly_set_coeff_fmpz(f, i, c_[i].get());
    fmpz_poly_factor_t fac;
    fmpz_poly_factor_init(fac);
    fmpz_poly_factor(fac, f);
    for (slong k = 0; k < fac->num; ++k) {
        const fmpz_poly_struct* g = fac->p + k;
        if (fmpz_poly_degree(g) != 1 || !fmpz_is_pm1(g->coeffs + 1)) continue;
        Int r;  // root of c1*n + c0 with c1 = +-1 is -c0/c1
        fmpz_neg(r.get(), g->coeffs);
        if (fmpz_is_one(g->coeffs + 1) == 0) fmpz_neg(r.get(), r.get());
        roots.push_back(std::move(r));
    }
    fmpz_poly_factor_clear(fac);
    fmpz_poly_clear(f);
    std::sort(roots.begin(), roots.end(),
              [](const Int& x, const Int& y) { return fmpz_cmp(x.get(), y.get()) < 0; });
    return roots;
}

Poly Poly::composed_linear(slong k, slong c) const {
    Poly lin = Poly::from_si({c, k}), r;
    for (int i = degree(); i >= 0; --i) r = r * lin + Poly({c_[i]});
    return r;
}

Poly operator+(const Poly& x, const Poly& y) {
    std::vector<Int> c(std::max(x.c_.size(), y.c_.size()));
    for (size_t i = 0; i < c.size(); ++i) fmpz_add(c[i].get(), x.coeff(i).get(), y.coeff(i).get());
    return Poly(std::move(c));
}

Poly Poly::operator-() const {
    std::vector<Int> c(c_.size());
    for (size_t i = 0; i < c.size(); ++i) fmpz_neg(c[i].get(), c_[i].get());
    return Poly(std::move(c));
}

Poly operator-(const Poly& x, const Poly& y) { return x + (-y); }

Poly operator*(const Poly& x, const Poly& y) {
    if (x.is_zero() || y.is_zero()) return Poly();
    std::vector<Int> c(x.c_.size() + y.c_.size() - 1);
    for (size_t i = 0; i < x.c_.size(); ++i)
        for (size_t j = 0; j < y.c_.size(); ++j)
            fmpz_addmul(c[i + j].get(), x.c_[i].get(), y.c_[j].get());
    return Poly(std::move(c));
}

}  // namespace cvg
