#include "src/pslq.hpp"

#include "src/lll.hpp"  // scale_for_relation: the same precision rule
#include "src/real.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cvg {
namespace {

class Matrix {
public:
    Matrix(int rows, int cols, mpfr_prec_t prec) : cols_(cols) {
        v_.reserve(static_cast<size_t>(rows) * cols);
        for (int i = 0; i < rows * cols; ++i) v_.emplace_back(prec);
    }
    mpfr_ptr operator()(int i, int j) { return v_[static_cast<size_t>(i) * cols_ + j].get(); }

    void swap_rows(int a, int b) {
        for (int j = 0; j < cols_; ++j) mpfr_swap((*this)(a, j), (*this)(b, j));
    }

private:
    int cols_;
    std::vector<Real> v_;
};

double log2_abs(mpfr_srcptr x) {
    if (mpfr_zero_p(x)) return -INFINITY;
    long e;
    double d = mpfr_get_d_2exp(&e, x, MPFR_RNDN);
    return std::log2(std::fabs(d)) + static_cast<double>(e);
}

}  // namespace

PslqResult pslq(const std::vector<Ball>& xin, const PslqOptions& opt) {
    const int n = static_cast<int>(xin.size());
    if (n < 2) throw std::invalid_argument("an integer relation needs at least two numbers");
    slong input_bits = opt.input_bits;
    if (input_bits <= 0) input_bits = scale_for_relation(xin).bits;
    if (input_bits < 16) throw std::invalid_argument("fewer than 16 bits of the numbers are known");
    const mpfr_prec_t W = static_cast<mpfr_prec_t>(opt.working_bits > 0 ? opt.working_bits : input_bits + 32);
    const double log2_tol = -static_cast<double>(input_bits) + 16;  // |y_j| below 2^this: a relation

    PslqResult res;
    // An exact zero among the inputs is a relation by itself.
    for (int i = 0; i < n; ++i)
        if (arb_is_zero(xin[i].get())) {
            res.relation.assign(n, Int());
            res.relation[i] = Int(1);
            return res;
        }

    std::vector<Real> x, y, s;
    for (int i = 0; i < n; ++i) {
        x.emplace_back(W);
        arf_get_mpfr(x.back().get(), arb_midref(xin[i].get()), MPFR_RNDN);
        y.emplace_back(W);
        s.emplace_back(W);
    }
    Real t(W), t0(W), t1(W), t2(W), t3(W), t4(W);
    // s_k = sqrt(sum_{j >= k} x_j^2), normalised by s_0; y = x / s_0
    mpfr_set_zero(t.get(), 1);
    for (int k = n - 1; k >= 0; --k) {
        mpfr_fma(t.get(), x[k].get(), x[k].get(), t.get(), MPFR_RNDN);
        mpfr_sqrt(s[k].get(), t.get(), MPFR_RNDN);
    }
    mpfr_set(t.get(), s[0].get(), MPFR_RNDN);
    for (int k = 0; k < n; ++k) {
        mpfr_div(y[k].get(), x[k].get(), t.get(), MPFR_RNDN);
        mpfr_div(s[k].get(), s[k].get(), t.get(), MPFR_RNDN);
    }
    Matrix H(n, n - 1, W);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n - 1; ++j) {
            if (i < j) mpfr_set_zero(H(i, j), 1);
            else if (i == j) mpfr_div(H(i, j), s[j + 1].get(), s[j].get(), MPFR_RNDN);
            else {
                mpfr_mul(t.get(), s[j].get(), s[j + 1].get(), MPFR_RNDN);
                mpfr_mul(H(i, j), y[i].get(), y[j].get(), MPFR_RNDN);
                mpfr_div(H(i, j), H(i, j), t.get(), MPFR_RNDN);
                mpfr_neg(H(i, j), H(i, j), MPFR_RNDN);
            }
        }
    std::vector<Int> B(static_cast<size_t>(n) * n);  // B[k][j], column j is a candidate relation
    auto b = [&](int k, int j) -> Int& { return B[static_cast<size_t>(k) * n + j]; };
    for (int i = 0; i < n; ++i) b(i, i) = Int(1);

    mpz_t tz;
    mpz_init(tz);
    Int ti;
    // Hermite reduction of rows i in [i_lo, n), columns j < min(i, j_hi)
    auto reduce = [&](int i_lo, int j_cap) {
        for (int i = i_lo; i < n; ++i)
            for (int j = std::min(i - 1, j_cap); j >= 0; --j) {
                if (mpfr_zero_p(H(j, j))) continue;
                mpfr_div(t.get(), H(i, j), H(j, j), MPFR_RNDN);
                mpfr_round(t.get(), t.get());
                if (mpfr_zero_p(t.get())) continue;
                mpfr_fma(y[j].get(), t.get(), y[i].get(), y[j].get(), MPFR_RNDN);
                for (int k = 0; k <= j; ++k) {
                    mpfr_mul(t1.get(), t.get(), H(j, k), MPFR_RNDN);
                    mpfr_sub(H(i, k), H(i, k), t1.get(), MPFR_RNDN);
                }
                mpfr_get_z(tz, t.get(), MPFR_RNDN);
                fmpz_set_mpz(ti.get(), tz);
                for (int k = 0; k < n; ++k) fmpz_addmul(b(k, j).get(), ti.get(), b(k, i).get());
            }
    };
    reduce(1, n);

    const double log2_gamma = 0.5 * std::log2(4.0 / 3.0);
    double log2_max_coef = opt.max_coef.sign() > 0 ? opt.max_coef.log10_abs() / std::log10(2.0) : INFINITY;
    for (;;) {
        // (checked before each step too: the first Hermite reduction may already expose a relation,
        // which a further step with a vanishing H_jj would destroy)
        // a relation: some |y_j| at the noise level of the inputs, relative to its column of B
        for (int j = 0; j < n; ++j) {
            flint_bitcnt_t cb = 0;
            for (int k = 0; k < n; ++k) cb = std::max(cb, b(k, j).bits());
            if (log2_abs(y[j].get()) < log2_tol + static_cast<double>(cb)) {
                res.relation.resize(n);
                for (int k = 0; k < n; ++k) res.relation[k] = b(k, j);
                break;
            }
        }
        double max_h = -INFINITY;
        for (int i = 0; i < n - 1; ++i) max_h = std::max(max_h, log2_abs(H(i, i)));
        res.log2_norm_bound = -max_h;
        if (!res.relation.empty()) break;
        if (res.log2_norm_bound > log2_max_coef + 0.5 * std::log2(static_cast<double>(n))) {
            res.bound_exceeded = true;
            break;
        }
        flint_bitcnt_t bmax = 0;
        for (const Int& e : B) bmax = std::max(bmax, e.bits());
        if (static_cast<slong>(bmax) > input_bits - 16 || res.iterations >= opt.max_iterations) {
            res.precision_exhausted = true;
            break;
        }
        ++res.iterations;
        // m maximising gamma^m |H_mm|
        int m = 0;
        double best = -INFINITY;
        for (int i = 0; i < n - 1; ++i) {
            double v = log2_gamma * (i + 1) + log2_abs(H(i, i));
            if (v > best) { best = v; m = i; }
        }
        mpfr_swap(y[m].get(), y[m + 1].get());
        H.swap_rows(m, m + 1);
        for (int k = 0; k < n; ++k) std::swap(b(k, m), b(k, m + 1));
        if (m < n - 2) {
            mpfr_hypot(t0.get(), H(m, m), H(m, m + 1), MPFR_RNDN);
            if (mpfr_zero_p(t0.get())) { res.precision_exhausted = true; break; }
            mpfr_div(t1.get(), H(m, m), t0.get(), MPFR_RNDN);
            mpfr_div(t2.get(), H(m, m + 1), t0.get(), MPFR_RNDN);
            for (int i = m; i < n; ++i) {
                mpfr_set(t3.get(), H(i, m), MPFR_RNDN);
                mpfr_set(t4.get(), H(i, m + 1), MPFR_RNDN);
                mpfr_mul(t.get(), t1.get(), t3.get(), MPFR_RNDN);
                mpfr_fma(H(i, m), t2.get(), t4.get(), t.get(), MPFR_RNDN);
                mpfr_mul(t.get(), t2.get(), t3.get(), MPFR_RNDN);
                mpfr_fms(H(i, m + 1), t1.get(), t4.get(), t.get(), MPFR_RNDN);
            }
        }
        reduce(m + 1, m + 1);
    }
    mpz_clear(tz);
    return res;
}

}  // namespace cvg
