// The hot loop of a search: many PCFs that share a(n) screened at once in double precision,
// one SIMD lane per b(n). No allocation, exact power-of-two rescaling every few terms, and a
// status per lane (overflow/NaN, q_N = 0) so that no key is ever made from garbage.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cvg {

enum LaneStatus : uint8_t { lane_ok = 0, lane_overflow = 1, lane_q_zero = 2, lane_terminated = 3 };

struct LaneResult {
    double value;     // x_N = p_N / q_N
    double rel_step;  // |x_N - x_{N-1}| / |x_N| (computed with an FMA; ~1e-16 at best)
    uint8_t status;
};

// a[n] for n = 0..depth; b[n * stride + j] for lanes j = 0..count-1 and n = 1..depth
// (row 0 unused). Rescales every `rescale_every` terms (see rescale_interval). Writes
// out[0..count).
void screen_lanes(const double* a, const double* b, size_t stride, size_t count, int depth, int rescale_every,
                  LaneResult* out);

// The same with b(n) computed in the loop from each lane's coefficients in n, coef[i * stride + j]
// for i = 0..degree, for all `stride` lanes (a multiple of 16): no table to fill, for deep
// screens. Lanes with b(n) = 0 for some 1 <= n <= depth get lane_terminated.
void screen_lanes_poly(const double* a, const double* coef, int degree, size_t stride, int depth, int rescale_every,
                       LaneResult* out);

// The longest safe interval between rescalings for |a(n)|, |b(n)| bounded as given (n <= depth).
int rescale_interval(double max_abs_a, double max_abs_b);

}  // namespace cvg
