// ESMA (Razon et al., ICML 2023) rebuilt: for every candidate x = P(K)/Q(K) (integer polynomials
// of degree <= deg with coefficients in a range, reduced and deduplicated), expand x as a signed
// continued fraction for every periodic sign pattern up to max_period; a Berlekamp–Massey filter
// over F_p keeps sequences of partial quotients with a short linear recurrence; an exact check
// finds the pattern (an offset, a period, a polynomial in n per residue class — finite
// differences); the pattern is contracted into a polynomial continued fraction a(n), b(n), its
// value's relation to K is derived exactly, and the conjecture is verified like every other one
// (exact evaluation, >= 100 digits, depth >= 1000).
#pragma once

#include "search/unit_search.hpp"
#include "search/verify.hpp"
#include "src/signed_cf.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cvg::search {

struct EsmaConfig {
    int deg = 1;                   // degree of P and Q in K
    int64_t coef_lo = -5, coef_hi = 5;
    int max_period = 2;            // sign patterns of period <= this
    int terms = 100;               // partial quotients per expansion
    int max_offset = 4;            // leading terms a pattern may skip
    int max_pattern_period = 6;    // period of the partial quotients' pattern
    int max_poly_degree = 3;       // degree in n per residue class
    VerifyOptions verify;
    bool prefilter_only = false;   // benchmarks: expand and filter, no pattern search (stats.candidates:
                                   // the sequences that passed the filter)
};

// x = P(K)/Q(K): coefficients ascending in K.
struct EsmaCandidate {
    std::vector<int64_t> num, den;
};

// The pattern found in a sequence of partial quotients: from `offset` on, term offset + P*m + r
// equals polys[r](m) (r < period).
struct QuotientPattern {
    int offset = 0, period = 1;
    std::vector<Poly> polys;
};

// Candidates in a deterministic order: reduced (no common factor), denominator's leading
// coefficient positive, not constant, each value once.
std::vector<EsmaCandidate> esma_candidates(int deg, int64_t lo, int64_t hi);

// The pattern with the fewest free coefficients (then the smallest period and offset), if any:
// every residue class must be over-determined by at least 3 terms.
std::optional<QuotientPattern> find_pattern(const std::vector<int64_t>& q, int max_offset, int max_period,
                                            int max_degree);

// Linear complexity of the sequence over F_p (p = 2^61 - 1), from term `offset` on.
int linear_complexity_mod_p(const std::vector<int64_t>& q, int offset);

// The tail from `offset` of a signed continued fraction with that pattern, contracted into a PCF,
// and the Möbius relation t = (l[0] y + l[1]) / (l[2] y + l[3]) between the tail t and the PCF's
// value y (exact rationals, as integers). nullopt if a degenerate case is hit.
struct Contraction {
    Pcf pcf;
    std::vector<Int> tail_of_value;  // 2x2 matrix [[l0, l1], [l2, l3]]: t = (l0 y + l1)/(l2 y + l3)
};
std::optional<Contraction> contract(const QuotientPattern& pattern, const SignPattern& signs);

class EsmaSearch : public UnitSearch {
public:
    EsmaSearch(ConstantFn constant, EsmaConfig config);
    uint64_t units() const override { return (candidates_.size() + kUnit - 1) / kUnit; }
    UnitResult run_unit(uint64_t unit) const override;
    const char* method() const override { return "esma"; }
    size_t candidates() const { return candidates_.size(); }
    const std::vector<SignPattern>& patterns() const { return patterns_; }

    static constexpr uint64_t kUnit = 256;  // candidates per work unit

private:
    ConstantFn constant_;
    EsmaConfig config_;
    std::vector<EsmaCandidate> candidates_;
    std::vector<SignPattern> patterns_;
    slong prec_;
    Ball k_;        // K at prec_
    Ball k_fast_;   // K at kFastPrec: the first, cheap expansion of every candidate

    static constexpr slong kFastPrec = 576;  // 9 limbs for SignedCfExpander: ~80 terms or more
};

}  // namespace cvg::search
