// Convergence dynamics of a PCF from exact convergents (the features of the 2024
// "unsupervised discovery" work): the irrationality measure delta and its trajectory, the
// convergence rate and type, factorial reduction, and the growth of the reduced denominators.
//
//   delta_n = -1 - ln|L - p_n/q_n| / ln q'_n,   q'_n = q_n / gcd(p_n, q_n)        (DESIGN.md)
//   FR:     k_n = ln gcd(p_n, q_n) / (n ln n - n)
//   growth: ln q'_n ~ A n ln n + B n + C   (least squares over the checkpoints)
// L is given (a closed form evaluated at the needed precision) or blind: the convergent at a
// deeper depth, recorded with the result.
#pragma once

#include "src/bigint.hpp"
#include "src/pcf.hpp"

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cvg {

struct MetricsOptions {
    uint64_t depth = 2000;
    int checkpoints = 10;                     // trajectory points, see checkpoints()
    std::function<Ball(slong)> limit;         // L at a binary precision; empty: blind
    std::string limit_source = "blind";       // recorded as given
    uint64_t blind_factor = 2;                // blind L: at most from depth blind_factor * depth
    std::function<void(const std::string&)> progress;  // status of each step, for long runs
};

struct MetricsPoint {
    uint64_t n = 0;
    double log10_error = 0;  // log10|L - x_n|
    double delta = 0;
    double ln_gcd = 0;       // ln gcd(p_n, q_n)
    double ln_q_reduced = 0; // ln q'_n
    double fr_k = 0;
};

struct Metrics {
    bool ok = false;                 // false: no convergence to measure (see note)
    std::string note;
    uint64_t depth = 0;
    std::string limit_source;
    uint64_t limit_depth = 0;        // blind: the depth L came from (the first convergent 8 digits
                                     // closer than x_depth, at most blind_factor * depth)
    double limit_digits = 0;         // blind: digits of L beyond those of x_depth
    bool limit_reliable = true;      // blind: L is at least 2 digits closer than x_depth
    double delta = 0;
    std::vector<MetricsPoint> trajectory;
    double rate = 0;                 // correct digits per term, over the second half
    std::string convergence = "none";// exponential | factorial | polynomial | none
    double fr_k = 0;
    bool fr_stable = false;
    double fr_k_fit = NAN;           // k of ln gcd ~ k (n ln n - n) + c n + d fitted over the trajectory
                                     // (depth >= 100): the limit fr_k approaches like 1/ln n
    double growth_nlogn = 0, growth_n = 0;
};

Metrics compute_metrics(const Pcf& pcf, const MetricsOptions& opt);

// The k depths of the trajectory: a factor sqrt 2 apart, ending at depth (..., depth/2,
// depth/sqrt 2, depth). Geometric spacing shows the trajectory on a log axis and makes the
// exact gcds (quadratic in the size of p_n, q_n) of all points cost about two of the last one.
std::vector<uint64_t> checkpoints(uint64_t depth, int k);

}  // namespace cvg
