#include "src/exact.hpp"

#include "src/digits_out.hpp"
#include "src/fft_mul.hpp"

#include <oneapi/tbb/parallel_invoke.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace cvg {
namespace {

// Ranges shorter than this are multiplied out term by term.
constexpr uint64_t kLeaf = 24;
// Subtrees at least this long are computed as parallel tasks.
constexpr uint64_t kParallelTerms = 2048;
// 2x2 products whose factors' entries have at least this many limbs use Winograd's 7-product
// form with GMP products (the extra additions cost less than the product saved; measured).
constexpr std::size_t kWinogradLimbs = 100;
// Right-spine ranges shorter than this are computed as full matrices (the column saving is
// small there).
constexpr uint64_t kSpineTerms = 4096;
// Factors more lopsided than this (larger entry over smaller) are left to GMP.
constexpr std::size_t kFftMaxImbalance = 8;
// Classical products at least this big run their entries as parallel tasks.
constexpr std::size_t kParallelEntryLimbs = 2048;

std::size_t limbs(const Int& x) { return static_cast<std::size_t>(fmpz_size(x.get())); }

std::size_t max_limbs(const Mat2& m) {
    return std::max({limbs(m.m00), limbs(m.m01), limbs(m.m10), limbs(m.m11)});
}

// Rough size in bits that term n adds to the product: used only to balance the tree.
double term_weight(const Pcf& pcf, double n) {
    double a = std::fabs(pcf.a.eval_d(n)), b = std::fabs(pcf.b.eval_d(n));
    return std::log2(2.0 + std::max(a, std::sqrt(b)));
}

// Split [lo, hi) where the two halves carry about the same number of bits.
uint64_t balanced_mid(const Pcf& pcf, uint64_t lo, uint64_t hi) {
    constexpr int kSamples = 16;
    double w[kSamples + 1], total = 0;
    double step = static_cast<double>(hi - lo) / kSamples;
    for (int i = 0; i < kSamples; ++i) {
        w[i] = term_weight(pcf, static_cast<double>(lo) + (i + 0.5) * step);
        total += w[i];
    }
    double half = total / 2, acc = 0;
    for (int i = 0; i < kSamples; ++i) {
        if (acc + w[i] >= half) {
            double frac = (half - acc) / w[i];
            auto mid = lo + static_cast<uint64_t>((i + frac) * step);
            return std::clamp(mid, lo + 1, hi - 1);
        }
        acc += w[i];
    }
    return lo + (hi - lo) / 2;
}

// p(n) in 128-bit arithmetic when the coefficients fit in 64 bits and nothing overflows (the
// leaves evaluate a(n) and b(n) a million times at depth 10^6, and FLINT's Horner would cost as
// much as the leaf products), else with FLINT.
class TermEval {
public:
    explicit TermEval(const Poly& p) : p_(p), small_(p.fits_i64() && p.degree() < 16) {
        for (int i = 0; small_ && i <= p.degree(); ++i) c_[i] = fmpz_get_si(p.coeffs()[static_cast<std::size_t>(i)].get());
    }

    void operator()(fmpz* out, slong n) const {
        __int128 r = 0;
        bool ok = small_;
        for (int i = p_.degree(); ok && i >= 0; --i)
            ok = !__builtin_mul_overflow(r, static_cast<__int128>(n), &r) &&
                 !__builtin_add_overflow(r, static_cast<__int128>(c_[i]), &r);
        if (!ok) return p_.eval(out, n);
        auto bits = static_cast<unsigned __int128>(r);
        fmpz_set_signed_uiui(out, static_cast<ulong>(bits >> 64), static_cast<ulong>(bits));
    }

private:
    const Poly& p_;
    bool small_;
    slong c_[16] = {};
};

void leaf_product(const Pcf& pcf, uint64_t lo, uint64_t hi, Mat2& m) {
    Int an, bn, t;
    const TermEval a(pcf.a), b(pcf.b);
    fmpz* x0 = m.m00.get(); fmpz* y0 = m.m01.get();
    fmpz* x1 = m.m10.get(); fmpz* y1 = m.m11.get();
    for (uint64_t n = lo; n < hi; ++n) {
        a(an.get(), static_cast<slong>(n));
        b(bn.get(), static_cast<slong>(n));
        // [x y] * [[0, b], [1, a]] = [y, x*b + y*a], for both rows
        fmpz_mul(t.get(), x0, bn.get()); fmpz_addmul(t.get(), y0, an.get());
        fmpz_swap(x0, y0); fmpz_swap(y0, t.get());
        fmpz_mul(t.get(), x1, bn.get()); fmpz_addmul(t.get(), y1, an.get());
        fmpz_swap(x1, y1); fmpz_swap(y1, t.get());
    }
}

void product_into(const Pcf& pcf, uint64_t lo, uint64_t hi, Mat2& out, MulStrategy mul) {
    if (hi - lo <= kLeaf) {
        out = Mat2{};
        leaf_product(pcf, lo, hi, out);
        return;
    }
    uint64_t mid = balanced_mid(pcf, lo, hi);
    Mat2 left, right;
    if (hi - lo >= kParallelTerms) {
        tbb::parallel_invoke([&] { product_into(pcf, lo, mid, left, mul); },
                             [&] { product_into(pcf, mid, hi, right, mul); });
    } else {
        product_into(pcf, lo, mid, left, mul);
        product_into(pcf, mid, hi, right, mul);
    }
    mat2_mul(out, left, right, mul);
}

// out = x * y in Winograd's form of Strassen's 2x2 product: 7 products and 15 additions.
void winograd_mul(Mat2& out, const Mat2& x, const Mat2& y) {
    const fmpz *a11 = x.m00.get(), *a12 = x.m01.get(), *a21 = x.m10.get(), *a22 = x.m11.get();
    const fmpz *b11 = y.m00.get(), *b12 = y.m01.get(), *b21 = y.m10.get(), *b22 = y.m11.get();
    Int s1, s2, s3, s4, t1, t2, t3, t4, u, m;
    fmpz_add(s1.get(), a21, a22); fmpz_sub(s2.get(), s1.get(), a11);
    fmpz_sub(s3.get(), a11, a21); fmpz_sub(s4.get(), a12, s2.get());
    fmpz_sub(t1.get(), b12, b11); fmpz_sub(t2.get(), b22, t1.get());
    fmpz_sub(t3.get(), b22, b12); fmpz_sub(t4.get(), t2.get(), b21);
    fmpz_mul(u.get(), a11, b11);                                                 // m1
    fmpz_mul(m.get(), a12, b21); fmpz_add(out.m00.get(), u.get(), m.get());      // c11 = m1 + m2
    fmpz_mul(m.get(), s2.get(), t2.get()); fmpz_add(u.get(), u.get(), m.get());  // u2 = m1 + m6
    fmpz_mul(m.get(), s1.get(), t1.get()); fmpz_add(out.m01.get(), u.get(), m.get());  // u4 = u2 + m5
    fmpz_mul(s1.get(), s3.get(), t3.get()); fmpz_add(u.get(), u.get(), s1.get()); // u3 = u2 + m7
    fmpz_add(out.m11.get(), u.get(), m.get());                                   // c22 = u3 + m5
    fmpz_mul(m.get(), s4.get(), b22); fmpz_add(out.m01.get(), out.m01.get(), m.get());  // c12 = u4 + m3
    fmpz_mul(m.get(), a22, t4.get()); fmpz_sub(out.m10.get(), u.get(), m.get());  // c21 = u3 - m4
}

// [top; bottom] = x * [y0; y1], each entry of x and y transformed once when they are large.
void column_mul(Int& top, Int& bottom, const Mat2& x, const Int& y0, const Int& y1, MulStrategy mul) {
    std::size_t xl = max_limbs(x), yl = std::max(limbs(y0), limbs(y1));
    std::size_t small = std::min(xl, yl), big = std::max(xl, yl);
    bool transform = mul == MulStrategy::transform ||
                     (mul == MulStrategy::automatic && small >= kDotFftLimbs && big <= kFftMaxImbalance * small);
    if (transform) {
        static constexpr DotTerm terms[2] = {{0, 0, 1, 1}, {2, 0, 3, 1}};
        dot_products(std::array<Int*, 2>{&top, &bottom}, std::array<const Int*, 4>{&x.m00, &x.m01, &x.m10, &x.m11},
                     std::array<const Int*, 2>{&y0, &y1}, terms);
        return;
    }
    auto e0 = [&] { fmpz_fmma(top.get(), x.m00.get(), y0.get(), x.m01.get(), y1.get()); };
    auto e1 = [&] { fmpz_fmma(bottom.get(), x.m10.get(), y0.get(), x.m11.get(), y1.get()); };
    if (small >= kParallelEntryLimbs) tbb::parallel_invoke(e0, e1);
    else { e0(); e1(); }
}

// The product M_lo ... M_{hi-1} as far as a value needs it: its last column exactly, its first
// column as balls.
struct Spine {
    Int m01, m11;
    Ball m00, m10;
};

void ball_of(Ball& b, const Int& x) { arb_set_round_fmpz(b.get(), x.get(), kTopPrevBits); }

// r = x0 * y0 + x1 * y1 with exact x and ball y
void ball_dot(Ball& r, const Int& x0, const Ball& y0, const Int& x1, const Ball& y1) {
    Ball a, b;
    ball_of(a, x0);
    ball_of(b, x1);
    arb_mul(a.get(), a.get(), y0.get(), kTopPrevBits);
    arb_mul(b.get(), b.get(), y1.get(), kTopPrevBits);
    arb_add(r.get(), a.get(), b.get(), kTopPrevBits);
}

void spine_into(const Pcf& pcf, uint64_t lo, uint64_t hi, Spine& out, const SplitOptions& opt) {
    if (hi - lo < kSpineTerms || !opt.column_spine) {
        Mat2 m;
        product_into(pcf, lo, hi, m, opt.mul);
        out.m01 = std::move(m.m01);
        out.m11 = std::move(m.m11);
        ball_of(out.m00, m.m00);
        ball_of(out.m10, m.m10);
        return;
    }
    uint64_t mid = balanced_mid(pcf, lo, hi);
    Mat2 left;
    Spine right;
    tbb::parallel_invoke([&] { product_into(pcf, lo, mid, left, opt.mul); },
                         [&] { spine_into(pcf, mid, hi, right, opt); });
    column_mul(out.m01, out.m11, left, right.m01, right.m11, opt.mul);
    ball_dot(out.m00, left.m00, right.m00, left.m01, right.m10);
    ball_dot(out.m10, left.m10, right.m00, left.m11, right.m10);
}

// The top 64 bits of |x| (x >= 2^63) and the shift: |x| = top 2^shift + rest.
uint64_t top64(const fmpz* x, slong& shift) {
    shift = static_cast<slong>(fmpz_bits(x)) - 64;
    Int t;
    fmpz_abs(t.get(), x);
    fmpz_tdiv_q_2exp(t.get(), t.get(), static_cast<ulong>(shift));
    return fmpz_get_ui(t.get());
}

// log10 of |x| the way the Python peers compute it (pcfs.log10_abs_int): the integer rounded
// to a double up to 1000 bits, else its top 64 bits rounded to a double, times 2^shift.
double log10_python(const fmpz* x) {
    static const double kLog10of2 = std::log10(2.0);
    if (fmpz_bits(x) <= 1000) {
        arf_t f;
        arf_init(f);
        arf_set_fmpz(f, x);
        arf_abs(f, f);
        double d = arf_get_d(f, ARF_RND_NEAR);
        arf_clear(f);
        return std::log10(d);
    }
    slong shift;
    uint64_t top = top64(x, shift);
    return static_cast<double>(shift) * kLog10of2 + std::log10(static_cast<double>(top));
}

// The integer part of one end of a ball (rounded towards zero).
void ball_end(Int& out, const Ball& b, bool upper) {
    arf_t f;
    arf_init(f);
    if (upper) arb_get_ubound_arf(f, b.get(), kTopPrevBits + 64);
    else arb_get_lbound_arf(f, b.get(), kTopPrevBits + 64);
    arf_get_fmpz(out.get(), f, ARF_RND_DOWN);
    arf_clear(f);
}

// log10_python of the integer in the ball, if every integer in it gives the same value.
bool log10_python(const Ball& b, double& out) {
    if (arb_contains_zero(b.get())) return false;
    Int lo, hi;
    ball_end(lo, b, false);
    ball_end(hi, b, true);
    // log10_python depends on the bit length and the top 64 bits (or the rounded double)
    double a = log10_python(lo.get()), c = log10_python(hi.get());
    if (a != c || fmpz_bits(lo.get()) != fmpz_bits(hi.get())) return false;
    out = a;
    return true;
}

}  // namespace

void mat2_mul(Mat2& out, const Mat2& x, const Mat2& y, MulStrategy mul) {
    std::size_t xl = max_limbs(x), yl = max_limbs(y), small = std::min(xl, yl), big = std::max(xl, yl);
    if (mul == MulStrategy::automatic) {
        // the transforms are sized by the larger factor: for lopsided ones GMP's unbalanced
        // products are cheaper
        if (small >= kDotFftLimbs && big <= kFftMaxImbalance * small) mul = MulStrategy::transform;
        else if (small >= kWinogradLimbs) mul = MulStrategy::winograd;
        else mul = MulStrategy::classical;
    }
    switch (mul) {
    case MulStrategy::transform:
        mat2_products(std::array<Int*, 4>{&out.m00, &out.m01, &out.m10, &out.m11},
                      std::array<const Int*, 4>{&x.m00, &x.m01, &x.m10, &x.m11},
                      std::array<const Int*, 4>{&y.m00, &y.m01, &y.m10, &y.m11});
        return;
    case MulStrategy::winograd:
        winograd_mul(out, x, y);
        return;
    default: {
        auto e00 = [&] { fmpz_fmma(out.m00.get(), x.m00.get(), y.m00.get(), x.m01.get(), y.m10.get()); };
        auto e01 = [&] { fmpz_fmma(out.m01.get(), x.m00.get(), y.m01.get(), x.m01.get(), y.m11.get()); };
        auto e10 = [&] { fmpz_fmma(out.m10.get(), x.m10.get(), y.m00.get(), x.m11.get(), y.m10.get()); };
        auto e11 = [&] { fmpz_fmma(out.m11.get(), x.m10.get(), y.m01.get(), x.m11.get(), y.m11.get()); };
        if (small >= kParallelEntryLimbs) tbb::parallel_invoke(e00, e01, e10, e11);
        else { e00(); e01(); e10(); e11(); }
    }
    }
}

void mat2_mul(Mat2& out, const Mat2& x, const Mat2& y) { mat2_mul(out, x, y, MulStrategy::automatic); }

Mat2 pcf_product(const Pcf& pcf, uint64_t lo, uint64_t hi) {
    Mat2 out;
    if (lo < hi) product_into(pcf, lo, hi, out, MulStrategy::automatic);
    return out;
}

Convergents convergents(const Pcf& pcf, uint64_t n) {
    Mat2 m = pcf_product(pcf, 1, n + 1);
    Int a0 = pcf.a.eval(0);
    Convergents c;
    c.n = n;
    // [[1, a0], [0, 1]] * m
    fmpz_set(c.p_prev.get(), m.m00.get()); fmpz_addmul(c.p_prev.get(), a0.get(), m.m10.get());
    fmpz_set(c.p.get(), m.m01.get());      fmpz_addmul(c.p.get(), a0.get(), m.m11.get());
    c.q_prev = std::move(m.m10);
    c.q = std::move(m.m11);
    return c;
}

Convergents extend(const Pcf& pcf, const Convergents& c, uint64_t n) {
    Mat2 cm, out;
    cm.m00 = c.p_prev; cm.m01 = c.p; cm.m10 = c.q_prev; cm.m11 = c.q;
    Mat2 tail = pcf_product(pcf, c.n + 1, n + 1);
    mat2_mul(out, cm, tail);
    Convergents r;
    r.n = n;
    r.p_prev = std::move(out.m00); r.p = std::move(out.m01);
    r.q_prev = std::move(out.m10); r.q = std::move(out.m11);
    return r;
}

Convergents convergents_recurrence(const Pcf& pcf, uint64_t n) {
    Convergents c;
    c.p = pcf.a.eval(0);
    Int an, bn, t;
    for (uint64_t k = 1; k <= n; ++k) {
        pcf.a.eval(an.get(), static_cast<slong>(k));
        pcf.b.eval(bn.get(), static_cast<slong>(k));
        fmpz_fmma(t.get(), an.get(), c.p.get(), bn.get(), c.p_prev.get());
        fmpz_swap(c.p_prev.get(), c.p.get()); fmpz_swap(c.p.get(), t.get());
        fmpz_fmma(t.get(), an.get(), c.q.get(), bn.get(), c.q_prev.get());
        fmpz_swap(c.q_prev.get(), c.q.get()); fmpz_swap(c.q.get(), t.get());
    }
    c.n = n;
    return c;
}

TopConvergents top_convergents(const Pcf& pcf, uint64_t n, const Int& a0, const SplitOptions& opt) {
    TopConvergents c;
    c.n = n;
    Spine s;
    if (n >= 1) {
        spine_into(pcf, 1, n + 1, s, opt);
    } else {
        s.m01 = 0; s.m11 = 1;
        arb_one(s.m00.get()); arb_zero(s.m10.get());
    }
    // [[1, a0], [0, 1]] * column: p_n = m01 + a0 m11, q_n = m11, q_{n-1} = m10
    fmpz_set(c.p.get(), s.m01.get());
    fmpz_addmul(c.p.get(), a0.get(), s.m11.get());
    c.q = std::move(s.m11);
    c.q_prev = std::move(s.m10);
    return c;
}

TopConvergents top_convergents(const Pcf& pcf, uint64_t n, const Int& a0) { return top_convergents(pcf, n, a0, {}); }

TopConvergents top_convergents(const Pcf& pcf, uint64_t n) { return top_convergents(pcf, n, pcf.a.eval(0), {}); }

double log10_abs_prod_b(const Pcf& pcf, uint64_t n) {
    // The terms in double like the peers, summed in quad precision: correctly rounded but for
    // sums of ~1e300 terms (math.fsum in pcfs.py is exactly rounded).
    __float128 sum = 0;
    Int bi;
    for (uint64_t i = 1; i <= n; ++i) {
        pcf.b.eval(bi.get(), static_cast<slong>(i));
        sum += log10_python(bi.get());
    }
    return static_cast<double>(sum);
}

double log10_abs_peer(const Int& x) { return log10_python(x.get()); }

long supported_digits(const Pcf& pcf, const TopConvergents& c, double log10_prod_b) {
    double lq_prev;
    if (!log10_python(c.q_prev, lq_prev)) lq_prev = log10_python(convergents(pcf, c.n).q_prev.get());
    double d = log10_python(c.q.get()) + lq_prev - log10_prod_b;
    if (!std::isfinite(d)) return 1;  // a zero q_n, q_{n-1} or b(i): no finite step to measure
    return std::max(1L, static_cast<long>(std::floor(d)));
}

DeepValue deep_value(const Pcf& pcf, uint64_t n, const Int& a0, double log10_prod_b, const SplitOptions& opt) {
    DeepValue v;
    v.conv = top_convergents(pcf, n, a0, opt);
    v.digits = supported_digits(pcf, v.conv, log10_prod_b);
    v.value = truncated_digits(v.conv.p, v.conv.q, v.digits);
    return v;
}

Convergents step_back(const Pcf& pcf, const Convergents& c) {
    Int an = pcf.a.eval(static_cast<slong>(c.n)), bn = pcf.b.eval(static_cast<slong>(c.n));
    Convergents r;
    r.n = c.n - 1;
    r.p = c.p_prev;
    r.q = c.q_prev;
    // p_{n-2} = (p_n - a(n) p_{n-1}) / b(n)
    fmpz_set(r.p_prev.get(), c.p.get()); fmpz_submul(r.p_prev.get(), an.get(), c.p_prev.get());
    fmpz_divexact(r.p_prev.get(), r.p_prev.get(), bn.get());
    fmpz_set(r.q_prev.get(), c.q.get()); fmpz_submul(r.q_prev.get(), an.get(), c.q_prev.get());
    fmpz_divexact(r.q_prev.get(), r.q_prev.get(), bn.get());
    return r;
}

}  // namespace cvg
