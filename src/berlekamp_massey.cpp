#include "src/berlekamp_massey.hpp"

#include <algorithm>

#ifdef __AVX2__
#include <immintrin.h>
#endif

namespace cvg {
namespace {

constexpr uint64_t kMersenne61 = (uint64_t{1} << 61) - 1;

uint64_t mulmod(uint64_t a, uint64_t b, uint64_t p) {
    unsigned __int128 x = static_cast<unsigned __int128>(a) * b;
    if (p == kMersenne61) {  // no division: 2^61 = 1 (mod p)
        uint64_t s = (static_cast<uint64_t>(x) & p) + static_cast<uint64_t>(x >> 61);
        s = (s & p) + (s >> 61);
        return s >= p ? s - p : s;
    }
    return static_cast<uint64_t>(x % p);
}

uint64_t powmod(uint64_t a, uint64_t e, uint64_t p) {
    uint64_t r = 1;
    for (; e; e >>= 1, a = mulmod(a, a, p))
        if (e & 1) r = mulmod(r, a, p);
    return r;
}

}  // namespace

std::vector<uint64_t> berlekamp_massey_mod(const std::vector<uint64_t>& seq, uint64_t p) {
    std::vector<uint64_t> C{1}, B{1};
    size_t L = 0, m = 1;
    uint64_t b = 1;
    for (size_t n = 0; n < seq.size(); ++n) {
        uint64_t d = seq[n] % p;  // discrepancy
        for (size_t i = 1; i <= L && i < C.size(); ++i) {
            d += mulmod(C[i], seq[n - i], p);  // seq values are reduced: < p
            if (d >= p) d -= p;
        }
        if (d == 0) {
            ++m;
            continue;
        }
        uint64_t coef = mulmod(d, powmod(b, p - 2, p), p);
        std::vector<uint64_t> T = C;
        if (C.size() < B.size() + m) C.resize(B.size() + m, 0);
        for (size_t i = 0; i < B.size(); ++i) {
            uint64_t t = C[i + m] + p - mulmod(coef, B[i], p);
            C[i + m] = t >= p ? t - p : t;
        }
        if (2 * L <= n) {
            L = n + 1 - L;
            B = T;
            b = d;
            m = 1;
        } else {
            ++m;
        }
    }
    C.resize(L + 1, 0);
    return C;
}

int linear_complexity_mod(const uint64_t* seq, size_t n, uint64_t p, int cap) {
    if (p == kMersenne61) {  // the incremental inverse-free version
        thread_local LinearComplexity61 lc;
        lc.reset();
        for (size_t k = 0; k < n; ++k)
            if (lc.push(static_cast<int64_t>(seq[k])) > cap) return lc.complexity();
        return lc.complexity();
    }
    thread_local std::vector<uint64_t> C, B, T;
    C.assign(n + 1, 0);
    B.assign(n + 1, 0);
    T.resize(n + 1);
    C[0] = B[0] = 1;
    size_t L = 0, m = 1, lenB = 1;
    uint64_t b = 1;
    for (size_t k = 0; k < n; ++k) {
        uint64_t d = seq[k];
        for (size_t i = 1; i <= L; ++i) {
            d += mulmod(C[i], seq[k - i], p);
            if (d >= p) d -= p;
        }
        if (d == 0) {
            ++m;
            continue;
        }
        uint64_t coef = mulmod(d, powmod(b, p - 2, p), p);
        bool grow = 2 * L <= k;
        if (grow) std::copy(C.begin(), C.begin() + static_cast<long>(L + 1), T.begin());
        for (size_t i = 0; i < lenB && i + m <= n; ++i) {
            uint64_t t = C[i + m] + p - mulmod(coef, B[i], p);
            C[i + m] = t >= p ? t - p : t;
        }
        if (grow) {
            size_t oldL = L;
            L = k + 1 - L;
            if (static_cast<int>(L) > cap) return static_cast<int>(L);
            std::swap(B, T);
            lenB = oldL + 1;
            b = d;
            m = 1;
        } else {
            ++m;
        }
    }
    return static_cast<int>(L);
}

void LinearComplexity61::reset() {
    n_ = 0;
    m_ = 1;
    lenC_ = lenB_ = 1;
    L_ = 0;
    b_ = 1;
    if (C_.empty()) C_.resize(1), B_.resize(1);
    C_[0] = B_[0] = 1;
}

namespace {

// x mod p up to a small excess, for x < 2^124: [0, 2^61 + 4), congruent mod p = 2^61 - 1
// (x = (x >> 61) 2^61 + (x mod 2^61) and 2^61 = 1, twice). The update's sums of two products.
inline uint64_t reduce61(unsigned __int128 x) {
    const uint64_t lo = static_cast<uint64_t>(x), hi = static_cast<uint64_t>(x >> 64);
    const uint64_t t = (lo & kMersenne61) + ((hi << 3) | (lo >> 61));  // no overflow for x < 2^124
    return (t & kMersenne61) + (t >> 61);
}

// The same for any 128-bit x (x = hi 2^64 + lo and 2^64 = 8): the discrepancy's sums.
inline uint64_t reduce128(unsigned __int128 x) {
    const uint64_t lo = static_cast<uint64_t>(x), hi = static_cast<uint64_t>(x >> 64);
    const uint64_t t = (lo & kMersenne61) + (lo >> 61) + ((hi << 3) & kMersenne61) + (hi >> 58);  // < 2^62 + 32
    return (t & kMersenne61) + (t >> 61);
}

}  // namespace

int LinearComplexity61::push(int64_t term) {
    using u128 = unsigned __int128;
    const uint64_t p = kP;
    if (n_ + 2 > rev_.size()) {  // grow (terms backwards at the end): C, B never exceed n + 1 terms
        const size_t old = rev_.size(), cap = std::max<size_t>(128, 2 * old);
        rev_.insert(rev_.begin(), cap - old, 0);
        C_.resize(cap + 1);
        B_.resize(cap + 1);
        T_.resize(cap + 1);
    }
    // term mod p, in [0, p)
    uint64_t s = term >= 0 ? static_cast<uint64_t>(term) : static_cast<uint64_t>(-(term + 1)) + 1;  // |term|
    s = (s & p) + (s >> 61);
    if (s >= p) s -= p;
    if (term < 0 && s) s = p - s;
    const size_t k = n_++;
    // Values are kept "almost reduced", in [0, 2^61 + 4): products with values < p are below
    // 2^122.01. Discrepancy d = sum_i C[i] a_{k-i} over the lenC_ stored coefficients (deg C <= L),
    // in two interleaved 128-bit sums (two carry chains) of at most 32 products each; the terms are
    // stored backwards (rev_[cap - 1 - j] = a_j) so that a_{k-i} runs forwards in i.
    const size_t cap = rev_.size();
    rev_[cap - 1 - k] = s;
    const uint64_t* C = C_.data();
    const uint64_t* a = rev_.data() + (cap - 1 - k);  // a[i] = a_{k-i}
    const size_t lc = std::min(lenC_, k + 1);
    uint64_t d = 0;
    for (size_t i0 = 0; i0 < lc; i0 += 64) {
        u128 acc0 = 0, acc1 = 0;
        const size_t i1 = std::min(lc, i0 + 64);
        size_t i = i0;
        for (; i + 1 < i1; i += 2) {
            acc0 += static_cast<u128>(C[i]) * a[i];
            acc1 += static_cast<u128>(C[i + 1]) * a[i + 1];
        }
        if (i < i1) acc0 += static_cast<u128>(C[i]) * a[i];
        d = reduce61(static_cast<u128>(d) + reduce128(acc0) + reduce128(acc1));
    }
    if (d >= p) d -= p;
    if (d == 0) {
        ++m_;
        return L_;
    }
    // C <- b C - d x^m B, in place, or into T when L grows (then B <- the old C): coefficient ranges
    // [0, m) with C alone, [m, m + lenB) with both, beyond with C alone (C[i] = 0 for i >= lenC).
    const bool grow = 2 * static_cast<size_t>(L_) <= k;
    uint64_t* out = grow ? T_.data() : C_.data();
    const uint64_t* B = B_.data();
    const uint64_t b = b_, nd = p - d;
    const size_t lb = lenB_, m = m_, len = std::max(lenC_, m + lb);
    size_t i = 0;
    for (const size_t e = std::min(lenC_, m); i < e; ++i) out[i] = reduce61(static_cast<u128>(b) * C[i]);
    for (; i < m; ++i) out[i] = 0;
    const uint64_t* Bm = B - m;  // Bm[i] = B[i - m]
    for (const size_t e = std::min(lenC_, m + lb); i < e; ++i)
        out[i] = reduce61(static_cast<u128>(b) * C[i] + static_cast<u128>(nd) * Bm[i]);
    for (; i < m + lb; ++i) out[i] = reduce61(static_cast<u128>(nd) * B[i - m]);
    for (; i < len; ++i) out[i] = reduce61(static_cast<u128>(b) * C[i]);
    if (grow) {
        std::swap(B_, C_);  // B <- old C
        std::swap(C_, T_);  // C <- new, T <- old B (spare)
        lenB_ = lenC_;
        L_ = static_cast<int>(k + 1) - L_;
        b_ = d;
        m_ = 1;
    } else {
        ++m_;
    }
    lenC_ = len;
    return L_;
}

namespace {

// kComplexityLanes lanes of 64 bits (one vector register), values kept below 2^31 + 8 ("almost
// reduced" mod p = 2^31 - 1), so that a sum of two products fits in 64 bits.
using VL = uint64_t __attribute__((vector_size(8 * kComplexityLanes)));
constexpr uint64_t kP31 = (uint64_t{1} << 31) - 1;

// Products of the low 32 bits of each lane (vpmuludq).
inline VL mul32(VL a, VL b) {
#if defined(__AVX512F__)
    return (VL)_mm512_maskz_mul_epu32(0xff, (__m512i)a, (__m512i)b);
#elif defined(__AVX2__)
    return (VL)_mm256_mul_epu32((__m256i)a, (__m256i)b);
#else
    return (a & 0xffffffffu) * (b & 0xffffffffu);
#endif
}

// x mod p up to an excess (2^31 = 1 mod p): below 2^33.01 for any 64-bit x; twice: below 2^31 + 5.
inline VL fold(VL x) { return (x & kP31) + (x >> 31); }

uint64_t mod31(int64_t t) {
    uint64_t u = t >= 0 ? static_cast<uint64_t>(t) : static_cast<uint64_t>(-(t + 1)) + 1;  // |t|
    u = (u & kP31) + (u >> 31);
    u = (u & kP31) + (u >> 31);
    if (u >= kP31) u -= kP31;
    return t < 0 && u ? kP31 - u : u;
}

}  // namespace

void linear_complexity_lanes(const int64_t* const seq[kComplexityLanes], size_t n, int cap, int L[kComplexityLanes]) {
    // Per lane the inverse-free update of LinearComplexity61 with D = x^m B kept shifted: each term
    // C <- b C - d D (a zero d only rescales C: the same connection polynomial), and D <- x C
    // (old C) in lanes where L grows, D <- x D elsewhere. The shift by x of every lane is a move of
    // D's origin one slot down; the lanes differ only in blends, so they never leave the lockstep.
    constexpr int W = kComplexityLanes;
    thread_local std::vector<VL> S, Cv, Dv;
    if (S.size() < n) S.resize(n), Cv.resize(n + 2), Dv.resize(2 * n + 4);
    std::fill(Cv.begin(), Cv.begin() + static_cast<long>(n + 2), VL{});
    std::fill(Dv.begin(), Dv.begin() + static_cast<long>(2 * n + 4), VL{});
    for (size_t k = 0; k < n; ++k)
        for (int j = 0; j < W; ++j) S[k][j] = mod31(seq[j][k]);
    VL* C = Cv.data();
    VL* D = Dv.data() + n + 2;  // D moves down one slot per term
    VL b = VL{} + 1, Lv = {};
    C[0] = VL{} + 1;
    D[1] = VL{} + 1;  // x B with B = 1
    // BM's invariants bound the work: deg C <= L, and D = x^m B has degree <= k + 1 - L, which is
    // <= L after the step in a lane whose d != 0; where d = 0 only C (deg <= L) is rescaled and D
    // shifted. So a step changes no coefficient beyond the largest L of the lanes.
    uint64_t maxL = 0;
    for (size_t k = 0; k < n; ++k) {
        // discrepancy: sum_i C[i] a_{k-i}; two products (each < 2^62.01) per folded term
        const VL* a = S.data() + k;  // a[-i] = a_{k-i}
        const long lc = static_cast<long>(std::min<uint64_t>(maxL, k) + 1);
        VL acc0 = {}, acc1 = {};
        long i = 0;
        for (; i + 3 < lc; i += 4) {
            acc0 += fold(mul32(C[i], a[-i]) + mul32(C[i + 1], a[-i - 1]));
            acc1 += fold(mul32(C[i + 2], a[-i - 2]) + mul32(C[i + 3], a[-i - 3]));
        }
        for (; i < lc; ++i) acc0 += fold(mul32(C[i], a[-i]));
        VL d = fold(fold(fold(acc0) + fold(acc1)));
        d -= (VL)(d >= kP31) & kP31;  // in [0, p)
        const VL grow = (VL)((d != 0) & (Lv + Lv <= k));
        const VL nd = kP31 - d;
        Lv = (grow & (k + 1 - Lv)) | (~grow & Lv);
        bool all_over = true;
        for (int j = 0; j < W; ++j) {
            maxL = std::max(maxL, Lv[j]);
            all_over &= Lv[j] > static_cast<uint64_t>(cap);
        }
        for (size_t j = 0; j <= maxL; ++j) {  // C <- b C - d D;  D[j] <- C[j] (grow) or D[j], shifted below
            const VL c = C[j], dj = D[j];
            C[j] = fold(fold(mul32(b, c) + mul32(nd, dj)));
            D[j] = (grow & c) | (~grow & dj);
        }
        --D;  // D <- x D: the old D[j] is now D[j + 1]
        D[0] = VL{};
        b = (grow & d) | (~grow & b);
        if (all_over) break;
    }
    for (int j = 0; j < W; ++j) L[j] = static_cast<int>(Lv[j]);
}

std::vector<Rational> berlekamp_massey_q(const std::vector<Int>& seq) {
    // The same algorithm with exact rationals; C, B hold the connection polynomials.
    std::vector<Rational> C(1), B(1);
    fmpq_one(C[0].get());
    fmpq_one(B[0].get());
    size_t L = 0, m = 1;
    Rational b, d, t, coef;
    fmpq_one(b.get());
    for (size_t n = 0; n < seq.size(); ++n) {
        fmpq_set_fmpz_frac(d.get(), seq[n].get(), Int(1).get());
        for (size_t i = 1; i <= L && i < C.size(); ++i) {
            fmpq_set_fmpz_frac(t.get(), seq[n - i].get(), Int(1).get());
            fmpq_addmul(d.get(), C[i].get(), t.get());
        }
        if (fmpq_is_zero(d.get())) {
            ++m;
            continue;
        }
        fmpq_div(coef.get(), d.get(), b.get());
        std::vector<Rational> T = C;
        if (C.size() < B.size() + m) C.resize(B.size() + m);
        for (size_t i = 0; i < B.size(); ++i) fmpq_submul(C[i + m].get(), coef.get(), B[i].get());
        if (2 * L <= n) {
            L = n + 1 - L;
            B = T;
            b = d;
            m = 1;
        } else {
            ++m;
        }
    }
    C.resize(L + 1);
    // a_k = -sum_{i>=1} C[i] a_{k-i}
    std::vector<Rational> c(L);
    for (size_t i = 1; i <= L; ++i) fmpq_neg(c[i - 1].get(), C[i].get());
    return c;
}

bool satisfies(const std::vector<Int>& seq, const std::vector<Rational>& c) {
    Rational sum, t;
    for (size_t k = c.size(); k < seq.size(); ++k) {
        fmpq_zero(sum.get());
        for (size_t i = 0; i < c.size(); ++i) {
            fmpq_set_fmpz_frac(t.get(), seq[k - 1 - i].get(), Int(1).get());
            fmpq_addmul(sum.get(), c[i].get(), t.get());
        }
        fmpq_set_fmpz_frac(t.get(), seq[k].get(), Int(1).get());
        if (!fmpq_equal(sum.get(), t.get())) return false;
    }
    return true;
}

}  // namespace cvg
