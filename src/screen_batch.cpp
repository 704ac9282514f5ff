#include "src/screen_batch.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace cvg {
namespace {

// GCC/Clang vector extensions: 4 doubles per vector (one AVX2 register; two SSE2 registers on a
// baseline x86-64 build), kVectors vectors per block for enough independent FMA chains.
typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));
constexpr int kVectors = 4;
constexpr int kLanes = 4 * kVectors;

inline v4d load(const double* p) {
    v4d v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline v4d vabs(v4d x) {
    v4i bits = reinterpret_cast<v4i>(x) & 0x7fffffffffffffffLL;
    return reinterpret_cast<v4d>(bits);
}

inline v4d vmax(v4d x, v4d y) { return x > y ? x : y; }

// 2^(1023 - e) for the biased exponent e of each lane: multiplying by it brings m into [1, 2).
// e is capped at 2045: for the top binade (e = 2046) the exact factor 2^-1023 is subnormal and
// the bit pattern below would be 0, wiping the lane; 2^-1022 brings m into [2, 4) instead.
// Lanes holding inf/NaN (e = 2047) stay inf/NaN; zero lanes get 2^1023 (all four entries are 0).
inline v4d rescale_factor(v4d m) {
    v4i e = (reinterpret_cast<v4i>(m) >> 52) & 0x7ff;
    v4i over = e > 2045;  // -1 where true
    e -= (e - 2045) & over;
    v4i bits = (2046 - e) << 52;
    return reinterpret_cast<v4d>(bits);
}

inline double rescale_factor(double m) {
    uint64_t e = std::min<uint64_t>((std::bit_cast<uint64_t>(m) >> 52) & 0x7ff, 2045);
    return std::bit_cast<double>((2046 - e) << 52);
}

// b(n) of the lanes 4k..4k+3 of a block from a table: b[n * stride + lane]
struct TableB {
    static constexpr bool kZeros = false;  // the caller knows the zeros of its table
    const double* b;
    size_t stride;
    v4d operator()(int n, int k) const { return load(b + static_cast<size_t>(n) * stride + 4 * k); }
};

// ... or from the lanes' coefficients in n: coef[i * stride + lane], Horner per term
struct PolyB {
    static constexpr bool kZeros = true;  // lanes with some b(n) = 0 are marked terminated
    const double* coef;
    int degree;
    size_t stride;
    v4d operator()(int n, int k) const {
        const double x = n;
        v4d v = load(coef + static_cast<size_t>(degree) * stride + 4 * k);
        for (int i = degree - 1; i >= 0; --i) v = v * x + load(coef + static_cast<size_t>(i) * stride + 4 * k);
        return v;
    }
};

template <class B>
void block(const double* a, const B& bsrc, int depth, int rescale_every, LaneResult* out) {
    v4d p0[kVectors], p1[kVectors], q0[kVectors], q1[kVectors];
    v4i zero[kVectors];  // b(n) = 0 for some n: the lane terminates (-1 where true)
    for (int k = 0; k < kVectors; ++k) {
        p0[k] = v4d{} + 1.0;
        p1[k] = v4d{} + a[0];
        q0[k] = v4d{};
        q1[k] = v4d{} + 1.0;
        zero[k] = v4i{};
    }
    for (int n0 = 1; n0 <= depth; n0 += rescale_every) {
        const int n1 = n0 + rescale_every - 1 < depth ? n0 + rescale_every - 1 : depth;
        for (int n = n0; n <= n1; ++n) {
            const v4d an = v4d{} + a[n];
            for (int k = 0; k < kVectors; ++k) {
                v4d bk = bsrc(n, k);
                if constexpr (B::kZeros) zero[k] |= bk == 0.0;
                v4d p2 = an * p1[k] + bk * p0[k];
                v4d q2 = an * q1[k] + bk * q0[k];
                p0[k] = p1[k];
                p1[k] = p2;
                q0[k] = q1[k];
                q1[k] = q2;
            }
        }
        for (int k = 0; k < kVectors; ++k) {
            // p_{n-1}, q_{n-1} are at most one term's growth below p_n, q_n: scale by the latter
            v4d m = vmax(vabs(p1[k]), vabs(q1[k]));
            v4d s = rescale_factor(m);
            p0[k] *= s;
            p1[k] *= s;
            q0[k] *= s;
            q1[k] *= s;
        }
    }
    for (int k = 0; k < kVectors; ++k) {
        v4d value = p1[k] / q1[k];
        v4d det = p1[k] * q0[k] - p0[k] * q1[k];  // contracted to an FMA: exact product, one rounding
        v4d rel = vabs(det / (q1[k] * q0[k] * value));
        // x - x is 0 for finite x and NaN for inf/NaN: one test covers all four entries and the value
        v4d all = (p0[k] - p0[k]) + (p1[k] - p1[k]) + (q0[k] - q0[k]) + (q1[k] - q1[k]) + (value - value);
        for (int i = 0; i < 4; ++i) {
            LaneResult& r = out[4 * k + i];
            r.value = value[i];
            r.rel_step = rel[i];
            r.status = all[i] != 0.0 || all[i] != all[i] ? (q1[k][i] == 0.0 ? lane_q_zero : lane_overflow)
                                                         : (q1[k][i] == 0.0 ? lane_q_zero : lane_ok);
            if (zero[k][i]) r.status = lane_terminated;  // a rational value, whatever the doubles did
        }
    }
}

// The same recurrence for one lane (the remainder of a block).
void single(const double* a, const double* b, size_t stride, int depth, int rescale_every, LaneResult* out) {
    double p0 = 1.0, p1 = a[0], q0 = 0.0, q1 = 1.0;
    for (int n = 1; n <= depth; ++n) {
        double bn = b[static_cast<size_t>(n) * stride];
        double p2 = a[n] * p1 + bn * p0, q2 = a[n] * q1 + bn * q0;
        p0 = p1; p1 = p2; q0 = q1; q1 = q2;
        if (n % rescale_every == 0) {
            double s = rescale_factor(std::fmax(std::fabs(p1), std::fabs(q1)));
            p0 *= s; p1 *= s; q0 *= s; q1 *= s;
        }
    }
    bool finite = std::isfinite(p0) && std::isfinite(p1) && std::isfinite(q0) && std::isfinite(q1);
    out->value = p1 / q1;
    double det = std::fma(p1, q0, -(p0 * q1));
    out->rel_step = std::fabs(det / (q1 * q0)) / std::fabs(out->value);
    out->status = !finite ? lane_overflow : (q1 == 0.0 ? lane_q_zero : lane_ok);
    if (out->status == lane_ok && !std::isfinite(out->value)) out->status = lane_overflow;
}

}  // namespace

void screen_lanes(const double* a, const double* b, size_t stride, size_t count, int depth, int rescale_every,
                  LaneResult* out) {
    size_t j = 0;
    for (; j + kLanes <= count; j += kLanes) block(a, TableB{b + j, stride}, depth, rescale_every, out + j);
    for (; j < count; ++j) single(a, b + j, stride, depth, rescale_every, out + j);
}

void screen_lanes_poly(const double* a, const double* coef, int degree, size_t stride, int depth, int rescale_every,
                       LaneResult* out) {
    for (size_t j = 0; j < stride; j += kLanes) block(a, PolyB{coef + j, degree, stride}, depth, rescale_every, out + j);
}

int rescale_interval(double max_abs_a, double max_abs_b) {
    // |p_n| grows by at most |a(n)| + |b(n)| per term (times the larger of the last two entries);
    // keep the growth between rescalings below 2^600 so nothing overflows in between.
    double bits = std::log2(1.0 + max_abs_a + max_abs_b) + 1.0;
    if (!(bits < 600.0)) return 1;  // huge, inf or NaN bounds (converting NaN to int is undefined)
    int r = static_cast<int>(600.0 / bits);
    return r < 1 ? 1 : (r > 16 ? 16 : r);
}

}  // namespace cvg
