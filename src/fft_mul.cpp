#include "src/fft_mul.hpp"

#include "src/limb_mul.hpp"

#include <flint/fft.h>
#include <flint/ulong_extras.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_invoke.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <new>
#include <sys/mman.h>
#include <stdexcept>
#include <vector>

namespace cvg {
namespace {

// ------------------------------------------------------------------------------------------
// Operands: the magnitude limbs and the sign of an fmpz, small or not.
// ------------------------------------------------------------------------------------------
struct Operand {
    const mp_limb_t* d = nullptr;
    mp_size_t n = 0;  // limbs; 0 for zero
    int sign = 0;
    mp_limb_t small = 0;  // the magnitude of a small fmpz (d points here: do not copy)
};

void view(Operand& op, const fmpz* f) {
    if (COEFF_IS_MPZ(*f)) {
        mpz_srcptr z = COEFF_TO_PTR(*f);
        op.d = mpz_limbs_read(z);
        op.n = static_cast<mp_size_t>(mpz_size(z));
        op.sign = mpz_sgn(z);
    } else {
        slong v = *f;
        op.small = v < 0 ? -static_cast<mp_limb_t>(v) : static_cast<mp_limb_t>(v);
        op.d = &op.small;
        op.n = v != 0;
        op.sign = (v > 0) - (v < 0);
    }
}

flint_bitcnt_t bit_length(const Operand& op) {
    if (op.n == 0) return 0;
    return static_cast<flint_bitcnt_t>(op.n) * FLINT_BITS -
           static_cast<flint_bitcnt_t>(__builtin_clzll(op.d[op.n - 1]));
}

// ------------------------------------------------------------------------------------------
// Transform parameters. A length-4n transform (n = 2^depth, with FLINT's sqrt 2 trick) over
// Z/(2^(n w) + 1); operands are cut into coefficients of `bits` bits. An output coefficient is
// a sum of two convolution coefficients of at most 2n terms each and must be recovered with its
// sign from its residue: |c| < 2 * 2n * 2^(2 bits) <= 2^(n w - 1), so 2 bits <= n w - depth - 3.
// ------------------------------------------------------------------------------------------
struct Plan {
    flint_bitcnt_t depth = 0, w = 0, bits = 0;
    mp_size_t n = 0, limbs = 0, trunc = 0;
    mp_size_t sqrt = 0;        // > 0: matrix Fourier algorithm with rows of this length
    mp_size_t jx = 0, jy = 0;  // coefficients of the largest x and y operands
    double cost = 0;

    // The coefficient that holds pointwise value number i < trunc. The radix-2 transform leaves
    // them in order; the matrix Fourier one computes, in its second half, whole rows of `sqrt`
    // values in bit-reversed row order.
    mp_size_t point(mp_size_t i) const {
        if (sqrt == 0 || i < 2 * n) return i;
        mp_size_t r = i - 2 * n, row = r / sqrt;
        ulong row_bits = static_cast<ulong>(__builtin_ctzll(static_cast<unsigned long long>(2 * n / sqrt)));
        return 2 * n + static_cast<mp_size_t>(n_revbin(static_cast<ulong>(row), row_bits)) * sqrt + r % sqrt;
    }
};

// Transforms from this depth on use the cache-friendly matrix Fourier algorithm (as FLINT does).
constexpr flint_bitcnt_t kMfaDepth = 11;

// Modelled cost of a plan for a group of `transforms` transforms and `products` pointwise
// products per point. Fitted to FLINT 2.9 on the benchmark machine (docs/BENCHMARKS.md), in
// units of ~1.6 ns: a butterfly costs ~(l + 30) per coefficient of l limbs (the 30 are call and
// carry overheads that make tiny coefficients slow), a pointwise product ~2.6 l^1.6 (GMP's
// basecase and Toom-Cook below 128 limbs), and every point also pays ~2 additions or
// normalisations per transform.
double plan_cost(const Plan& p, int transforms, int products) {
    double l = static_cast<double>(p.limbs), points = static_cast<double>(p.trunc);
    double butterflies = points * (l + 30) * (static_cast<double>(p.depth) + 2);
    double pointwise = points * (2.6 * std::pow(l, 1.6) * products + 2.0 * transforms * (l + 30));
    return transforms * butterflies + pointwise;
}

// The smallest w that fits operands of xbits and ybits bits into a depth-`depth` transform.
Plan fit(flint_bitcnt_t depth, flint_bitcnt_t xbits, flint_bitcnt_t ybits) {
    Plan p;
    mp_size_t n = mp_size_t{1} << depth;
    for (flint_bitcnt_t w = 1; w <= 64; ++w) {
        flint_bitcnt_t nw = static_cast<flint_bitcnt_t>(n) * w;
        flint_bitcnt_t bits = (nw - depth - 3) / 2;
        mp_size_t jx = static_cast<mp_size_t>((xbits + bits - 1) / bits);
        mp_size_t jy = static_cast<mp_size_t>((ybits + bits - 1) / bits);
        if (jx + jy - 1 > 4 * n) continue;
        mp_size_t limbs = static_cast<mp_size_t>(nw / FLINT_BITS);
        // FLINT's pointwise FFT above 128 limbs needs sizes it can split
        if (limbs > 128 && fft_adjust_limbs(limbs) != limbs) continue;
        p.depth = depth; p.w = w; p.bits = bits; p.n = n; p.limbs = limbs; p.jx = jx; p.jy = jy;
        p.sqrt = depth >= kMfaDepth ? mp_size_t{1} << (depth / 2) : 0;
        mp_size_t step = p.sqrt ? 2 * p.sqrt : 2;  // FLINT's truncation granularity
        mp_size_t trunc = std::max(jx + jy - 1, 2 * n + 1);
        p.trunc = std::min((trunc + step - 1) / step * step, 4 * n);
        return p;
    }
    return p;  // n == 0: does not fit
}

// The cheapest parameters for x operands of up to xbits bits and y operands of up to ybits.
Plan make_plan(flint_bitcnt_t xbits, flint_bitcnt_t ybits, int transforms, int products) {
    Plan best;
    for (flint_bitcnt_t depth = 6; depth <= 26; ++depth) {
        Plan p = fit(depth, xbits, ybits);
        if (p.n == 0) continue;
        if (p.jx + p.jy - 1 <= 2 * p.n && best.n != 0) break;  // deeper transforms only get emptier
        p.cost = plan_cost(p, transforms, products);
        if (best.n == 0 || p.cost < best.cost) best = p;
    }
    if (best.n == 0) throw std::length_error("fft_mul: operands too large for the transform");
    return best;
}

// ------------------------------------------------------------------------------------------
// Transform buffers: tens of MB at the top of a deep product tree. They are mapped straight
// from the kernel and unmapped when released, so that they never stay in (or fragment)
// malloc's heap: with glibc's adaptive mmap threshold a deep evaluation's peak memory was a
// third higher.
// ------------------------------------------------------------------------------------------
class Buffer {
public:
    Buffer() = default;
    explicit Buffer(std::size_t limbs) : bytes_(limbs * sizeof(mp_limb_t)) {
        if (bytes_ >= kMapBytes) {
            void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) throw std::bad_alloc();
            p_ = static_cast<mp_limb_t*>(p);
        } else {
            p_ = new mp_limb_t[limbs];
        }
    }
    Buffer(Buffer&& o) noexcept : p_(o.p_), bytes_(o.bytes_) { o.p_ = nullptr; }
    Buffer& operator=(Buffer&& o) noexcept { std::swap(p_, o.p_); std::swap(bytes_, o.bytes_); return *this; }
    ~Buffer() { reset(); }
    void reset() {
        if (!p_) return;
        if (bytes_ >= kMapBytes) munmap(p_, bytes_);
        else delete[] p_;
        p_ = nullptr;
    }
    mp_limb_t* get() const { return p_; }

private:
    static constexpr std::size_t kMapBytes = std::size_t{1} << 20;
    mp_limb_t* p_ = nullptr;
    std::size_t bytes_ = 0;
};

// ------------------------------------------------------------------------------------------
// One operand in the transform domain. FLINT's transforms permute the coefficient buffers and
// the scratch buffers t1, t2, s1 by swapping pointers, so all of them live in one allocation.
// ------------------------------------------------------------------------------------------
class Transform {
public:
    explicit Transform(const Plan& p) : p_(p) {}

    // Splits |x| into coefficients and transforms them (the sign is applied pointwise).
    void forward(const Operand& x) {
        sign_ = x.sign;
        allocate();
        mp_size_t j = x.n ? fft_split_bits(c_.data(), x.d, x.n, p_.bits, p_.limbs) : 0;
        for (mp_size_t k = j; k < 4 * p_.n; ++k) flint_mpn_zero(c_[k], p_.limbs + 1);
        if (j == 0) return;  // the transform of zero is zero
        if (p_.sqrt)
            fft_mfa_truncate_sqrt2(c_.data(), p_.n, p_.w, &t1_, &t2_, &s1_, p_.sqrt, p_.trunc);
        else
            fft_truncate_sqrt2(c_.data(), p_.n, p_.w, &t1_, &t2_, &s1_, p_.trunc);
    }

    // Inverse transform, scaled and normalised: the coefficients of the integer.
    void inverse() {
        if (p_.sqrt)
            ifft_mfa_truncate_sqrt2(c_.data(), p_.n, p_.w, &t1_, &t2_, &s1_, p_.sqrt, p_.trunc);
        else
            ifft_truncate_sqrt2(c_.data(), p_.n, p_.w, &t1_, &t2_, &s1_, p_.trunc);
        for (mp_size_t k = 0; k < p_.trunc; ++k) {
            mpn_div_2expmod_2expp1(c_[k], c_[k], p_.limbs, p_.depth + 2);
            mpn_normmod_2expp1(c_[k], p_.limbs);
        }
    }

    int sign() const { return sign_; }
    mp_limb_t* coeff(mp_size_t k) { return c_[k]; }
    void release() { mem_.reset(); c_.clear(); c_.shrink_to_fit(); }

    // out = sum_k c_k 2^(k bits) over the first `count` coefficients, each read as a signed
    // residue (|c_k| < 2^(n w - 1)).
    void combine(fmpz* out, mp_size_t count) const;

private:
    void allocate() {
        mp_size_t size = p_.limbs + 1, coeffs = 4 * p_.n;
        mem_ = Buffer(static_cast<std::size_t>((coeffs + 3) * size));
        c_.resize(static_cast<std::size_t>(coeffs));
        for (mp_size_t k = 0; k < coeffs; ++k) c_[k] = mem_.get() + k * size;
        t1_ = mem_.get() + coeffs * size;
        t2_ = t1_ + size;
        s1_ = t2_ + size;
    }

    const Plan& p_;
    int sign_ = 0;
    Buffer mem_;
    std::vector<mp_limb_t*> c_;
    mp_limb_t *t1_ = nullptr, *t2_ = nullptr, *s1_ = nullptr;
};

// r[o, o + len) += v and carries onward: amortised O(len), since above the coefficients added
// so far r is zero and a carry stops at the first limb that does not overflow. (GMP's mpn_add_1
// would walk the whole rest of r.)
void add_at(mp_limb_t* r, mp_size_t rn, mp_size_t o, const mp_limb_t* v, mp_size_t len) {
    mp_limb_t cy = mpn_add_n(r + o, r + o, v, len);
    for (mp_size_t i = o + len; cy && i < rn; ++i) cy = ++r[i] == 0;
}

void Transform::combine(fmpz* out, mp_size_t count) const {
    const mp_size_t limbs = p_.limbs;
    // room for every coefficient's span
    mp_size_t rn = static_cast<mp_size_t>((static_cast<flint_bitcnt_t>(count - 1) * p_.bits) / FLINT_BITS) + limbs + 1;
    // The positive and the negative coefficients are summed apart, so that no borrow chain
    // runs through the zero limbs above, and subtracted once at the end.
    std::vector<mp_limb_t> neg_sum(static_cast<std::size_t>(rn), 0);
    mpz_ptr z = _fmpz_promote(out);
    mp_limb_t* pos_sum = mpz_limbs_write(z, rn);
    flint_mpn_zero(pos_sum, rn);
    std::vector<mp_limb_t> mag(static_cast<std::size_t>(limbs)), sh(static_cast<std::size_t>(limbs + 1));
    const mp_limb_t half = mp_limb_t{1} << (FLINT_BITS - 1);
    for (mp_size_t k = 0; k < count; ++k) {
        const mp_limb_t* c = c_[k];
        bool neg = true;
        if (c[limbs]) {  // 2^(nw) = -1
            flint_mpn_zero(mag.data(), limbs);
            mag[0] = 1;
        } else if (c[limbs - 1] & half) {  // residue above p/2: c - p, of magnitude ~c + 2
            mpn_com(mag.data(), c, limbs);
            mpn_add_1(mag.data(), mag.data(), limbs, 2);
        } else {
            if (mpn_zero_p(c, limbs)) continue;
            std::memcpy(mag.data(), c, static_cast<std::size_t>(limbs) * sizeof(mp_limb_t));
            neg = false;
        }
        flint_bitcnt_t off = static_cast<flint_bitcnt_t>(k) * p_.bits;
        mp_size_t o = static_cast<mp_size_t>(off / FLINT_BITS);
        unsigned s = static_cast<unsigned>(off % FLINT_BITS);
        if (s) {
            sh[limbs] = mpn_lshift(sh.data(), mag.data(), limbs, s);
        } else {
            std::memcpy(sh.data(), mag.data(), static_cast<std::size_t>(limbs) * sizeof(mp_limb_t));
            sh[limbs] = 0;
        }
        add_at(neg ? neg_sum.data() : pos_sum, rn, o, sh.data(), limbs + 1);
    }
    int sign = 1;
    if (mpn_cmp(pos_sum, neg_sum.data(), rn) >= 0) {
        mpn_sub_n(pos_sum, pos_sum, neg_sum.data(), rn);
    } else {
        mpn_sub_n(pos_sum, neg_sum.data(), pos_sum, rn);
        sign = -1;
    }
    mp_size_t used = rn;
    while (used > 0 && pos_sum[used - 1] == 0) --used;
    mpz_limbs_finish(z, sign * used);
    _fmpz_demote_val(out);
}

// ------------------------------------------------------------------------------------------
// Residues mod p = 2^(n w) + 1 stored in limbs + 1 words (the top word is a small signed
// overflow; FLINT's transforms accept that, its pointwise product wants normalised inputs).
// ------------------------------------------------------------------------------------------
struct Residues {
    mp_size_t limbs;
    mp_size_t n, w;  // p = 2^(n w) + 1
    mp_limb_t* tt;   // scratch for the product: scratch_limbs(limbs)

    // Up to this size the product is limb_mul.hpp's, above it FLINT's negacyclic transform.
    static constexpr mp_size_t kOwnLimbs = 128;
    static mp_size_t scratch_limbs(mp_size_t limbs) {
        return std::max(2 * (limbs + 1), limbs <= kOwnLimbs ? mulmod_fermat_scratch(limbs) : 0);
    }

    void norm(mp_limb_t* a) const { mpn_normmod_2expp1(a, limbs); }
    void neg(mp_limb_t* a) const { mpn_neg(a, a, limbs + 1); norm(a); }
    void add(mp_limb_t* r, const mp_limb_t* a, const mp_limb_t* b) const { mpn_add_n(r, a, b, limbs + 1); norm(r); }
    void sub(mp_limb_t* r, const mp_limb_t* a, const mp_limb_t* b) const { mpn_sub_n(r, a, b, limbs + 1); norm(r); }
    // r = a b (r distinct from a, b; a, b normalised)
    void mul(mp_limb_t* r, mp_limb_t* a, mp_limb_t* b) const {
        if (limbs <= kOwnLimbs) mulmod_fermat(r, a, b, limbs, tt);
        else fft_mulmod_2expp1(r, a, b, n, w, tt);
    }
};

// Operands with one plan, transformed in parallel; the pointwise step runs a kernel on the
// residues of every operand at every point and leaves the outputs in the first x operands'
// buffers, which are then transformed back.
// Views of the operands and the plan that fits the largest of each side.
struct Operands {
    std::vector<Operand> x, y;
    Plan plan;

    Operands(std::span<const Int* const> xs, std::span<const Int* const> ys, int transforms, int products)
        : x(xs.size()), y(ys.size()) {
        flint_bitcnt_t xbits = 1, ybits = 1;
        for (std::size_t i = 0; i < xs.size(); ++i) { view(x[i], xs[i]->get()); xbits = std::max(xbits, bit_length(x[i])); }
        for (std::size_t i = 0; i < ys.size(); ++i) { view(y[i], ys[i]->get()); ybits = std::max(ybits, bit_length(y[i])); }
        plan = make_plan(xbits, ybits, transforms, products);
    }
};

// Normalises the residue of every operand at point k and applies its sign.
void prepare_point(const Residues& res, Transform& t, mp_size_t k) {
    mp_limb_t* c = t.coeff(k);
    res.norm(c);
    if (t.sign() < 0) res.neg(c);
}

class Group {
public:
    Group(std::span<const Int* const> x, std::span<const Int* const> y, int outputs, int products)
        : outputs_(outputs) {
        Operands ops(x, y, static_cast<int>(x.size() + y.size()) + outputs, products);
        const std::vector<Operand>& xo = ops.x;
        const std::vector<Operand>& yo = ops.y;
        plan_ = ops.plan;
        ops_.reserve(x.size() + y.size());
        for (std::size_t i = 0; i < x.size() + y.size(); ++i) ops_.emplace_back(plan_);
        tbb::parallel_for(std::size_t{0}, ops_.size(), [&](std::size_t i) {
            ops_[i].forward(i < x.size() ? xo[i] : yo[i - x.size()]);
        });
        nx_ = x.size();
    }

    // kernel(res, xs, ys, out): xs, ys are the operands' signed, normalised residues at one
    // point; out[k] receives output k's residue (normalised).
    template <class Kernel>
    void pointwise(int scratch_residues, Kernel&& kernel) {
        const mp_size_t size = plan_.limbs + 1;
        tbb::parallel_for(tbb::blocked_range<mp_size_t>(0, plan_.trunc, 16), [&](const tbb::blocked_range<mp_size_t>& range) {
            const mp_size_t tt = Residues::scratch_limbs(plan_.limbs);
            std::vector<mp_limb_t> scratch(static_cast<std::size_t>(tt + size * (outputs_ + scratch_residues)));
            Residues res{plan_.limbs, plan_.n, static_cast<mp_size_t>(plan_.w), scratch.data()};
            std::vector<mp_limb_t*> xs(nx_), ys(ops_.size() - nx_), out(static_cast<std::size_t>(outputs_ + scratch_residues));
            for (std::size_t o = 0; o < out.size(); ++o) out[o] = scratch.data() + tt + o * size;
            for (mp_size_t i = range.begin(); i != range.end(); ++i) {
                const mp_size_t k = plan_.point(i);
                for (std::size_t j = 0; j < ops_.size(); ++j) {
                    prepare_point(res, ops_[j], k);
                    (j < nx_ ? xs[j] : ys[j - nx_]) = ops_[j].coeff(k);
                }
                kernel(res, xs.data(), ys.data(), out.data());
                // every operand residue at k has been read: the outputs take the x slots
                for (int o = 0; o < outputs_; ++o)
                    std::memcpy(xs[o], out[o], static_cast<std::size_t>(size) * sizeof(mp_limb_t));
            }
        });
    }

    // Transforms the outputs back into out[0..outputs).
    void finish(std::span<Int* const> out) {
        for (std::size_t j = static_cast<std::size_t>(outputs_); j < ops_.size(); ++j) ops_[j].release();
        tbb::parallel_for(std::size_t{0}, static_cast<std::size_t>(outputs_), [&](std::size_t o) {
            ops_[o].inverse();
            ops_[o].combine(out[o]->get(), plan_.jx + plan_.jy - 1);
            ops_[o].release();
        });
    }

private:
    int outputs_;
    std::size_t nx_ = 0;
    Plan plan_;
    std::vector<Transform> ops_;  // x operands, then y operands
};

// dot_products for terms whose x operands are all distinct (a matrix times a column): the y
// transforms are kept, and each output's x operands are transformed, multiplied pointwise and
// transformed back in turn, so that at most |y| + 2 transforms are alive at a time instead of
// |x| + |y|: at the top of a deep product tree this is the peak memory of the evaluation.
void staged_dot_products(std::span<Int* const> out, std::span<const Int* const> x,
                         std::span<const Int* const> y, std::span<const DotTerm> terms) {
    int products = 0;
    for (const DotTerm& t : terms) products += t.x1 < 0 ? 1 : 2;
    Operands ops(x, y, static_cast<int>(x.size() + y.size() + terms.size()), products);
    const Plan& plan = ops.plan;
    const mp_size_t size = plan.limbs + 1, scratch = Residues::scratch_limbs(plan.limbs);
    auto residues = [&](std::vector<mp_limb_t>& buf) {
        buf.resize(static_cast<std::size_t>(scratch + 2 * size));
        return Residues{plan.limbs, plan.n, static_cast<mp_size_t>(plan.w), buf.data()};
    };
    std::vector<Transform> ty;
    ty.reserve(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) ty.emplace_back(plan);
    tbb::parallel_for(std::size_t{0}, y.size(), [&](std::size_t i) { ty[i].forward(ops.y[i]); });
    tbb::parallel_for(tbb::blocked_range<mp_size_t>(0, plan.trunc, 64), [&](const tbb::blocked_range<mp_size_t>& range) {
        std::vector<mp_limb_t> buf;
        Residues res = residues(buf);
        for (mp_size_t i = range.begin(); i != range.end(); ++i)
            for (Transform& t : ty) prepare_point(res, t, plan.point(i));
    });
    for (std::size_t k = 0; k < terms.size(); ++k) {
        const DotTerm& d = terms[k];
        bool two = d.x1 >= 0;
        Transform a(plan), b(plan);
        tbb::parallel_invoke([&] { a.forward(ops.x[static_cast<std::size_t>(d.x0)]); },
                             [&] { if (two) b.forward(ops.x[static_cast<std::size_t>(d.x1)]); });
        tbb::parallel_for(tbb::blocked_range<mp_size_t>(0, plan.trunc, 16), [&](const tbb::blocked_range<mp_size_t>& range) {
            std::vector<mp_limb_t> buf;
            Residues res = residues(buf);
            mp_limb_t *r = buf.data() + scratch, *t = r + size;
            for (mp_size_t i = range.begin(); i != range.end(); ++i) {
                const mp_size_t p = plan.point(i);
                prepare_point(res, a, p);
                res.mul(r, a.coeff(p), ty[static_cast<std::size_t>(d.y0)].coeff(p));
                if (two) {
                    prepare_point(res, b, p);
                    res.mul(t, b.coeff(p), ty[static_cast<std::size_t>(d.y1)].coeff(p));
                    res.add(r, r, t);
                }
                std::memcpy(a.coeff(p), r, static_cast<std::size_t>(size) * sizeof(mp_limb_t));
            }
        });
        b.release();
        a.inverse();
        a.combine(out[k]->get(), plan.jx + plan.jy - 1);
    }
}

// Whether the terms can be staged: every x operand used by one term only, and no output that
// is also an x operand (it would be overwritten before a later term reads it).
bool stageable(std::span<Int* const> out, std::span<const Int* const> x, std::span<const DotTerm> terms) {
    std::vector<int> uses(x.size(), 0);
    for (const DotTerm& t : terms) {
        if (++uses[static_cast<std::size_t>(t.x0)] > 1) return false;
        if (t.x1 >= 0 && ++uses[static_cast<std::size_t>(t.x1)] > 1) return false;
    }
    for (const Int* o : out)
        if (std::find(x.begin(), x.end(), o) != x.end()) return false;
    return true;
}

}  // namespace

void dot_products(std::span<Int* const> out, std::span<const Int* const> x,
                  std::span<const Int* const> y, std::span<const DotTerm> terms) {
    if (terms.size() > x.size() || out.size() != terms.size())
        throw std::invalid_argument("dot_products: at most one output per x operand");
    if (terms.size() > 1 && stageable(out, x, terms)) return staged_dot_products(out, x, y, terms);
    int outputs = static_cast<int>(terms.size()), products = 0;
    for (const DotTerm& t : terms) products += t.x1 < 0 ? 1 : 2;
    Group g(x, y, outputs, products);
    g.pointwise(1, [&](const Residues& r, mp_limb_t** xs, mp_limb_t** ys, mp_limb_t** o) {
        mp_limb_t* t = o[outputs];
        for (int k = 0; k < outputs; ++k) {
            const DotTerm& d = terms[static_cast<std::size_t>(k)];
            r.mul(o[k], xs[d.x0], ys[d.y0]);
            if (d.x1 < 0) continue;
            r.mul(t, xs[d.x1], ys[d.y1]);
            r.add(o[k], o[k], t);
        }
    });
    g.finish(out);
}

void mat2_products(std::span<Int* const, 4> out, std::span<const Int* const, 4> x,
                   std::span<const Int* const, 4> y) {
    Group g(x, y, 4, 7);
    // Winograd's form of Strassen's 2x2 product: 7 pointwise products instead of 8
    g.pointwise(10, [](const Residues& r, mp_limb_t** a, mp_limb_t** b, mp_limb_t** o) {
        mp_limb_t *s1 = o[4], *s2 = o[5], *s3 = o[6], *s4 = o[7];
        mp_limb_t *t1 = o[8], *t2 = o[9], *t3 = o[10], *t4 = o[11];
        mp_limb_t *u = o[12], *m = o[13];
        r.add(s1, a[2], a[3]); r.sub(s2, s1, a[0]); r.sub(s3, a[0], a[2]); r.sub(s4, a[1], s2);
        r.sub(t1, b[1], b[0]); r.sub(t2, b[3], t1); r.sub(t3, b[3], b[1]); r.sub(t4, t2, b[2]);
        r.mul(u, a[0], b[0]);                      // m1
        r.mul(m, a[1], b[2]); r.add(o[0], u, m);   // c11 = m1 + m2
        r.mul(m, s2, t2); r.add(u, u, m);          // u2 = m1 + m6
        r.mul(m, s1, t1); r.add(o[1], u, m);       // m5; u4 = u2 + m5
        r.mul(s1, s3, t3); r.add(u, u, s1);        // m7; u3 = u2 + m7
        r.add(o[3], u, m);                         // c22 = u3 + m5
        r.mul(m, s4, b[3]); r.add(o[1], o[1], m);  // c12 = u4 + m3
        r.mul(m, a[3], t4); r.sub(o[2], u, m);     // c21 = u3 - m4
    });
    g.finish(out);
}

void int_mul(Int& out, const Int& x, const Int& y) {
    std::size_t small = static_cast<std::size_t>(std::min(fmpz_size(x.get()), fmpz_size(y.get())));
    if (small < kMulFftLimbs) {
        fmpz_mul(out.get(), x.get(), y.get());
        return;
    }
    static constexpr DotTerm term[1] = {{0, 0, -1, -1}};
    dot_products(std::array<Int*, 1>{&out}, std::array<const Int*, 1>{&x}, std::array<const Int*, 1>{&y}, term);
}

}  // namespace cvg
