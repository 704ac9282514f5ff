// The value of a PCF to digits that can be trusted.
//
// A value is reported with an error bound built from exact (or two-precision MPFR) convergents
// at two depths N' < N: the step sizes |x_n - x_{n-1}| = |prod b(i)| / |q_n q_{n-1}| at n = N,
// N-1, N', N'-1 and their signs decide a tail model (alternating steps: the limit lies between
// consecutive convergents; same-sign steps: the larger of a geometric and a power-law tail
// extrapolated from the observed decay, times a safety factor). A deeper evaluation must land
// inside the interval claimed by the shallower one, otherwise the bound is widened to the
// observed move. The digits printed are the truncated digits shared by the whole interval.
// docs/EVALUATION.md states the rules and their limits.
#pragma once

#include "src/decimal.hpp"
#include "src/exact.hpp"
#include "src/pcf.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace cvg {

enum class EvalMethod { automatic, exact, mpfr };

struct EvalOptions {
    uint64_t depth = 0;              // > 0: evaluate at exactly this depth
    long digits = 50;                // otherwise: deepen until this many digits are certain
    uint64_t max_depth = 10'000'000;
    EvalMethod method = EvalMethod::automatic;
    bool keep_exact = false;         // return p_N, q_N (forces the exact method)
    bool give_up_early = false;      // stop deepening once the extrapolated depth for `digits`
                                     // exceeds max_depth (instead of computing at max_depth)
    std::function<void(const std::string&)> progress;  // status lines for long runs
};

struct EvalResult {
    bool converges = false;
    bool terminated = false;        // b(n) = 0 ends the fraction: an exact rational value
    uint64_t termination_index = 0; // that n
    uint64_t depth = 0;             // depth of the reported value
    Decimal value;                  // the certified digits
    Ball ball;                      // value enclosure: x_depth with the error bound
    double log10_error = 0;         // log10 of the absolute error bound (-inf: exact)
    double digits_per_term = 0;     // growth of the certified digits per term (0 if unknown)
    std::string convergence;        // exponential, polynomial, exact, irregular, none
    std::string error_model;        // alternating, monotone, irregular, consistency, exact, none
    std::string method;             // exact or mpfr
    std::string note;               // why fewer digits than asked, or why no value
    std::optional<Convergents> exact;  // with keep_exact, and always for terminated fractions
};

EvalResult evaluate(const Pcf& pcf, const EvalOptions& opt);

}  // namespace cvg
