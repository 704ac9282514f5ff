// Integer relations by LLL on the scaled lattice.
//
// For reals x_0..x_{n-1} known to P bits (relative to the largest), the lattice spanned by the
// rows (e_i | X_i) with X_i = round(2^P x_i / 2^E) (2^E >= max|x_i|) contains, for every integer
// relation m (sum m_i x_i = 0), the short vector (m | sum m_i X_i) with |sum m_i X_i| <= ~|m|_1.
// LLL finds it when it is shorter than the lattice's generic vectors (~2^(P/n)).
//
// The fast path reveals the precision gradually (Lehmer-style): each round reduces, with a small
// exact-integer / floating Gram-Schmidt LLL on 64-bit integers, the top bits of the current basis
// [U | U X / 2^w] (U the unimodular transform so far, w the bits still hidden), applies the
// transform exactly to U and U X (FLINT integers), and lowers w, until w = 0. A relation that
// already holds at full precision while bits are still hidden is returned at once. fplll
// (lll_reduce_fplll) is the fallback when a round would overflow, and the reference in tests.
#pragma once

#include "src/bigint.hpp"

#include <string>
#include <vector>

namespace cvg {

// The input of an integer-relation search: X_i = round(x_i * 2^(bits - exp2)) with
// 2^exp2 >= max|x_i|, so |X_i| <= 2^bits and every X_i is within ~1 unit of the exact scaled value.
struct ScaledVector {
    std::vector<Int> X;
    slong bits = 0;
    slong exp2 = 0;
};

// Scales balls: bits is the largest precision at which every X_i is accurate to one unit (from
// the radii), capped at max_bits when max_bits > 0. Throws std::invalid_argument when fewer
// than 16 bits are known, or when every x_i is 0.
ScaledVector scale_for_relation(const std::vector<Ball>& x, slong max_bits = 0);

struct LllOptions {
    Int max_coef;               // > 0: stop once no relation with all |m_i| <= max_coef can exist
    int new_bits_per_round = 40;
    bool force_fplll = false;   // skip the fast path (one fplll reduction of the full lattice)
};

struct LllResult {
    std::vector<Int> relation;  // the shortest vector found
    Int residual;               // sum relation_i * X_i (units of 2^-bits relative to 2^exp2)
    bool holds = false;         // |residual| <= 2^4 (|relation|_1 + 1): holds to ~all the bits
    bool early = false;         // found while bits were still hidden (so certainly no accident of
                                // the final reduction, which always balances |m| and residual)
    bool bound_exceeded = false;  // max_coef given and no relation within it: the Gram-Schmidt
                                  // bound rules every such vector out, or the one found exceeds it
    int rounds = 0;
    bool used_fplll = false;
    std::vector<std::vector<Int>> basis;  // the final U (rows, in reduced order)
    std::vector<Int> residuals;           // U X: the last column of the reduced lattice basis
};

LllResult lll_relation(const ScaledVector& x, const LllOptions& opt = {});

// LLL-reduces the rows of an integer matrix in place with fplll (delta 0.99, eta 0.51). When
// transform is not null it receives the unimodular matrix T with new rows = T * old rows.
void lll_reduce_fplll(std::vector<std::vector<Int>>& rows, std::vector<std::vector<Int>>* transform = nullptr);

// True when the rows of a matrix are LLL-reduced (delta, eta), checked exactly with rationals
// (for tests; small matrices only).
bool is_lll_reduced(const std::vector<std::vector<Int>>& rows, double delta = 0.75, double eta = 0.51);

}  // namespace cvg
