#include "src/lll.hpp"

#include <fplll.h>
#include <flint/fmpz_mat.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace cvg {
namespace {

constexpr int kEntryBits = 50;                 // a round's approximate entries: |a| < 2^50
constexpr int64_t kEntryLimit = int64_t{1} << 58;  // beyond this a round gives up (Gram in int128)
constexpr int kHoldBits = 4;                   // |residual| <= 2^4 (|m|_1 + 1): holds

// LLL of a few rows of 64-bit integers, tracking the unimodular transform V. The rows are
// exact; a double copy of them gives the Gram-Schmidt data (Schnorr-Euchner floating LLL: with
// entries below 2^50 and the few rows of a relation search, double precision is ample; a size
// reduction by a large multiplier is followed by a fresh Gram-Schmidt row). Returns false when an
// entry or a transform coefficient would overflow, or when the reduction does not settle; the
// caller then falls back to fplll on the exact lattice.
class SmallLll {
public:
    SmallLll(int rows, int cols)
        : n_(rows), m_(cols), a_(static_cast<size_t>(rows) * cols), d_(a_.size()),
          v_(static_cast<size_t>(rows) * rows), r_(static_cast<size_t>(rows) * rows), mu_(r_.size()) {}

    int64_t& a(int i, int j) { return a_[static_cast<size_t>(i) * m_ + j]; }
    int64_t& v(int i, int j) { return v_[static_cast<size_t>(i) * n_ + j]; }
    double r(int i, int j) const { return r_[static_cast<size_t>(i) * n_ + j]; }
    long steps() const { return steps_; }

    bool reduce(double delta, double eta) {
        for (int i = 0; i < n_; ++i) {
            for (int j = 0; j < n_; ++j) v(i, j) = i == j;
            sync_row(i);
        }
        rr(0, 0) = dot(0, 0);
        int k = 1;
        steps_ = 0;
        const long max_steps = 20000L * n_ * n_;
        while (k < n_) {
            if (++steps_ > max_steps) return false;
            if (!size_reduce(k, eta)) return false;
            double s = dot(k, k);
            for (int j = 0; j < k; ++j) s -= mm(k, j) * rr(k, j);
            rr(k, k) = s;
            double mu1 = mm(k, k - 1);
            if (s < (delta - mu1 * mu1) * rr(k - 1, k - 1)) {
                swap_rows(k, k - 1);
                if (k == 1) rr(0, 0) = dot(0, 0);
                k = std::max(k - 1, 1);
            } else {
                ++k;
            }
        }
        return true;
    }

private:
    double& rr(int i, int j) { return r_[static_cast<size_t>(i) * n_ + j]; }
    double& mm(int i, int j) { return mu_[static_cast<size_t>(i) * n_ + j]; }
    const double* row_d(int i) const { return &d_[static_cast<size_t>(i) * m_]; }

    static int64_t max_abs(const int64_t* row, int len) {
        int64_t m = 0;
        for (int c = 0; c < len; ++c) m = std::max(m, row[c] < 0 ? -row[c] : row[c]);
        return m;
    }

    void sync_row(int i) {
        for (int c = 0; c < m_; ++c) d_[static_cast<size_t>(i) * m_ + c] = static_cast<double>(a(i, c));
    }

    double dot(int i, int j) const {
        const double *x = row_d(i), *y = row_d(j);
        double s = 0;
        for (int c = 0; c < m_; ++c) s += x[c] * y[c];
        return s;
    }

    void gso_row(int k) {
        for (int j = 0; j < k; ++j) {
            double s = dot(k, j);
            for (int i = 0; i < j; ++i) s -= mm(j, i) * rr(k, i);
            rr(k, j) = s;
            mm(k, j) = rr(j, j) != 0 ? s / rr(j, j) : 0.0;
        }
    }

    bool size_reduce(int k, double eta) {
        gso_row(k);
        for (int iter = 0; iter < 64; ++iter) {
            double worst = 0;
            for (int j = 0; j < k; ++j) worst = std::max(worst, std::fabs(mm(k, j)));
            if (worst <= eta) return true;
            double biggest = 0;
            for (int j = k - 1; j >= 0; --j) {
                double xr = std::nearbyint(mm(k, j));
                if (xr == 0) continue;
                if (!(std::fabs(xr) < 0x1p62)) return false;
                biggest = std::max(biggest, std::fabs(xr));
                auto x = static_cast<int64_t>(xr);
                // one bound check per row instead of per entry: |a_k| + |x| |a_j| within the limit
                const double ax = std::fabs(xr);
                if (ax * static_cast<double>(max_abs(&a(j, 0), m_)) + static_cast<double>(max_abs(&a(k, 0), m_)) >
                        static_cast<double>(kEntryLimit) ||
                    ax * static_cast<double>(max_abs(&v(j, 0), n_)) + static_cast<double>(max_abs(&v(k, 0), n_)) > 0x1p62)
                    return false;
                for (int c = 0; c < m_; ++c) a(k, c) -= x * a(j, c);
                for (int c = 0; c < n_; ++c) v(k, c) -= x * v(j, c);
                for (int i = 0; i < j; ++i) mm(k, i) -= xr * mm(j, i);
                mm(k, j) -= xr;
            }
            sync_row(k);
            if (biggest > 0x1p20) {
                gso_row(k);  // large multipliers cancel: recompute rather than trust the update
            } else {
                for (int j = 0; j < k; ++j) rr(k, j) = mm(k, j) * rr(j, j);
            }
        }
        return false;
    }

    void swap_rows(int i, int j) {
        for (int c = 0; c < m_; ++c) {
            std::swap(a(i, c), a(j, c));
            std::swap(d_[static_cast<size_t>(i) * m_ + c], d_[static_cast<size_t>(j) * m_ + c]);
        }
        for (int c = 0; c < n_; ++c) std::swap(v(i, c), v(j, c));
    }

    int n_, m_;
    std::vector<int64_t> a_;
    std::vector<double> d_;
    std::vector<int64_t> v_;
    std::vector<double> r_, mu_;
    long steps_ = 0;
};

// floor(x / 2^shift) for a result known to fit in 64 bits, without allocating.
int64_t top_bits(const Int& x, slong shift, mpz_t tmp) {
    const fmpz v = *x.get();
    if (!COEFF_IS_MPZ(v)) {
        if (shift <= 0) return static_cast<int64_t>(v);
        return shift >= 63 ? (v < 0 ? -1 : 0) : static_cast<int64_t>(v) >> shift;
    }
    if (shift <= 0) return fmpz_get_si(x.get());
    mpz_fdiv_q_2exp(tmp, COEFF_TO_PTR(v), static_cast<mp_bitcnt_t>(shift));
    return mpz_get_si(tmp);
}

slong max_bits(const std::vector<Int>& v) {
    slong b = 0;
    for (const Int& x : v) b = std::max<slong>(b, static_cast<slong>(x.bits()));
    return b;
}

// |residual| <= 2^kHoldBits (|m|_1 + 1), for the n coefficients starting at m.
bool holds(const Int* m, int n, const Int& residual) {
    flint_bitcnt_t mb = 0;
    for (int i = 0; i < n; ++i) mb = std::max(mb, m[i].bits());
    // |m|_1 + 1 < 2^(mb + log2 n + 1): a residual longer than that plus the margin fails at once
    if (residual.bits() > mb + kHoldBits + 8 + static_cast<flint_bitcnt_t>(n)) return false;
    Int norm1, t;
    for (int i = 0; i < n; ++i) {
        fmpz_abs(t.get(), m[i].get());
        fmpz_add(norm1.get(), norm1.get(), t.get());
    }
    fmpz_add_ui(norm1.get(), norm1.get(), 1);
    fmpz_mul_2exp(norm1.get(), norm1.get(), kHoldBits);
    fmpz_abs(t.get(), residual.get());
    return fmpz_cmp(t.get(), norm1.get()) <= 0;
}

// new[i] = sum_j V[i][j] old[j] for a vector of rows (each row `width` entries) of big integers.
void apply_transform(SmallLll& s, int n, std::vector<Int>& rows, int width, std::vector<Int>& scratch) {
    scratch.resize(rows.size());
    for (int i = 0; i < n; ++i)
        for (int c = 0; c < width; ++c) {
            fmpz* out = scratch[static_cast<size_t>(i) * width + c].get();
            bool first = true;
            for (int j = 0; j < n; ++j) {
                int64_t vij = s.v(i, j);
                if (vij == 0) continue;
                const fmpz* in = rows[static_cast<size_t>(j) * width + c].get();
                if (first) fmpz_mul_si(out, in, vij);
                else fmpz_addmul_si(out, in, vij);
                first = false;
            }
            if (first) fmpz_zero(out);
        }
    rows.swap(scratch);
}

std::vector<std::vector<Int>> to_rows(const std::vector<Int>& flat, int n, int width) {
    std::vector<std::vector<Int>> r(n, std::vector<Int>(width));
    for (int i = 0; i < n; ++i)
        for (int c = 0; c < width; ++c) r[i][c] = flat[static_cast<size_t>(i) * width + c];
    return r;
}

// Finishes with fplll: reduces [U | Y] completely (the same lattice, partly reduced already).
void finish_with_fplll(int n, std::vector<Int>& U, std::vector<Int>& Y) {
    std::vector<std::vector<Int>> rows(n, std::vector<Int>(n + 1));
    for (int i = 0; i < n; ++i) {
        for (int c = 0; c < n; ++c) rows[i][c] = U[static_cast<size_t>(i) * n + c];
        rows[i][n] = Y[i];
    }
    lll_reduce_fplll(rows);
    for (int i = 0; i < n; ++i) {
        for (int c = 0; c < n; ++c) U[static_cast<size_t>(i) * n + c] = rows[i][c];
        Y[i] = rows[i][n];
    }
}

}  // namespace

ScaledVector scale_for_relation(const std::vector<Ball>& x, slong max_bits_cap) {
    if (x.size() < 2) throw std::invalid_argument("an integer relation needs at least two numbers");
    // 2^exp2 >= max |x_i|
    slong exp2 = std::numeric_limits<slong>::min();
    for (const Ball& b : x) {
        if (!arb_is_finite(b.get())) throw std::invalid_argument("a number of the relation is not finite");
        if (arf_is_zero(arb_midref(b.get()))) continue;
        exp2 = std::max<slong>(exp2, fmpz_get_si(ARF_EXPREF(arb_midref(b.get()))));
    }
    if (exp2 == std::numeric_limits<slong>::min()) throw std::invalid_argument("every number of the relation is 0");
    // bits: radius * 2^(bits - exp2) <= 1/2 for every x_i
    slong bits = max_bits_cap > 0 ? max_bits_cap : 1'000'000'000;
    for (const Ball& b : x) {
        if (mag_is_zero(arb_radref(b.get()))) continue;
        slong rexp = fmpz_get_si(MAG_EXPREF(arb_radref(b.get())));  // radius < 2^rexp
        bits = std::min<slong>(bits, exp2 - rexp - 1);
    }
    if (bits == 1'000'000'000) throw std::invalid_argument("exact inputs need an explicit precision");
    if (bits < 16) throw std::invalid_argument("fewer than 16 bits of the numbers are known");
    ScaledVector s;
    s.bits = bits;
    s.exp2 = exp2;
    s.X.resize(x.size());
    arf_t t;
    arf_init(t);
    for (size_t i = 0; i < x.size(); ++i) {
        arf_mul_2exp_si(t, arb_midref(x[i].get()), bits - exp2);
        arf_get_fmpz(s.X[i].get(), t, ARF_RND_NEAR);
    }
    arf_clear(t);
    return s;
}

LllResult lll_relation(const ScaledVector& x, const LllOptions& opt) {
    const int n = static_cast<int>(x.X.size());
    if (n < 2) throw std::invalid_argument("an integer relation needs at least two numbers");
    std::vector<Int> U(static_cast<size_t>(n) * n), Y = x.X, scratchU, scratchY;
    for (int i = 0; i < n; ++i) U[static_cast<size_t>(i) * n + i] = Int(1);

    LllResult res;
    const int delta_bits = std::clamp(opt.new_bits_per_round, 4, kEntryBits - 10);
    bool done = opt.force_fplll;
    if (opt.force_fplll) {
        finish_with_fplll(n, U, Y);
        res.used_fplll = true;
        res.rounds = 1;
    }
    SmallLll small(n, n + 1);
    mpz_t tmp;
    mpz_init(tmp);
    slong w_prev = std::numeric_limits<slong>::max();
    while (!done) {
        slong umax = max_bits(U), ymax = max_bits(Y);
        slong w = std::max<slong>(0, ymax - umax - delta_bits);
        if (w_prev != std::numeric_limits<slong>::max()) w = std::max<slong>(0, std::min(w, w_prev - delta_bits));
        slong t = std::max<slong>(0, std::max(umax, ymax - w) - kEntryBits);
        for (int i = 0; i < n; ++i) {
            for (int c = 0; c < n; ++c) small.a(i, c) = top_bits(U[static_cast<size_t>(i) * n + c], t, tmp);
            small.a(i, n) = top_bits(Y[i], w + t, tmp);
        }
        ++res.rounds;
        if (!small.reduce(0.99, 0.51)) {
            finish_with_fplll(n, U, Y);
            res.used_fplll = true;
            break;
        }
        apply_transform(small, n, U, n, scratchU);
        apply_transform(small, n, Y, 1, scratchY);
        w_prev = w;
        if (w > 2 * kHoldBits) {
            for (int i = 0; i < n && !res.early; ++i) {
                if (holds(&U[static_cast<size_t>(i) * n], n, Y[i])) {
                    res.early = true;
                    res.relation.assign(U.begin() + static_cast<long>(i) * n, U.begin() + static_cast<long>(i + 1) * n);
                    res.residual = Y[i];
                    res.holds = true;
                }
            }
            if (res.early) break;
        }
        if (opt.max_coef.sign() > 0) {
            // lambda_1 >= min_i |b_i*|. A relation with all |m_i| <= M is a lattice vector of
            // norm <= M sqrt(n) (1 + tiny) at this weight; factor 2 covers the truncation.
            double min_r = std::numeric_limits<double>::infinity();
            for (int i = 0; i < n; ++i) min_r = std::min(min_r, small.r(i, i));
            double log2_lambda = 0.5 * std::log2(std::max(min_r, 1e-300)) + static_cast<double>(t);
            slong e;
            double m = fmpz_get_d_2exp(&e, opt.max_coef.get());
            double log2_bound = std::log2(m) + static_cast<double>(e) + 0.5 * std::log2(static_cast<double>(n)) + 1.0;
            if (log2_lambda > log2_bound) {
                res.bound_exceeded = true;
                break;
            }
        }
        if (w == 0) done = true;
    }
    mpz_clear(tmp);
    res.basis = to_rows(U, n, n);
    res.residuals = Y;
    if (!res.early) {
        res.relation = res.basis[0];
        res.residual = Y[0];
        res.holds = holds(res.relation.data(), n, res.residual);
    }
    if (opt.max_coef.sign() > 0 && !res.bound_exceeded)
        for (const Int& c : res.relation)
            if (fmpz_cmpabs(c.get(), opt.max_coef.get()) > 0) res.bound_exceeded = true;
    return res;
}

void lll_reduce_fplll(std::vector<std::vector<Int>>& rows, std::vector<std::vector<Int>>* transform) {
    if (rows.empty()) return;
    const int r = static_cast<int>(rows.size()), c = static_cast<int>(rows[0].size());
    fplll::ZZ_mat<mpz_t> b(r, c), u;
    if (transform) u.gen_identity(r);
    for (int i = 0; i < r; ++i)
        for (int j = 0; j < c; ++j) fmpz_get_mpz(b[i][j].get_data(), rows[i][j].get());
    int status = transform ? fplll::lll_reduction(b, u, fplll::LLL_DEF_DELTA, fplll::LLL_DEF_ETA)
                           : fplll::lll_reduction(b, fplll::LLL_DEF_DELTA, fplll::LLL_DEF_ETA);
    if (status != fplll::RED_SUCCESS) throw std::runtime_error("fplll: LLL reduction failed");
    for (int i = 0; i < r; ++i)
        for (int j = 0; j < c; ++j) fmpz_set_mpz(rows[i][j].get(), b[i][j].get_data());
    if (transform) {
        transform->assign(r, std::vector<Int>(r));
        for (int i = 0; i < r; ++i)
            for (int j = 0; j < r; ++j) fmpz_set_mpz((*transform)[i][j].get(), u[i][j].get_data());
    }
}

bool is_lll_reduced(const std::vector<std::vector<Int>>& rows, double delta, double eta) {
    if (rows.empty()) return true;
    const slong r = static_cast<slong>(rows.size()), c = static_cast<slong>(rows[0].size());
    fmpz_mat_t m;
    fmpz_mat_init(m, r, c);
    for (slong i = 0; i < r; ++i)
        for (slong j = 0; j < c; ++j) fmpz_set(fmpz_mat_entry(m, i, j), rows[i][j].get());
    int ok = fmpz_mat_is_reduced(m, delta, eta);
    fmpz_mat_clear(m);
    return ok != 0;
}

}  // namespace cvg
