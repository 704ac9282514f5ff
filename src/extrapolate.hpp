// The limit of a slowly (polynomially) converging PCF by Richardson extrapolation, for
// identification. Convergents x_n = p_n/q_n of such fractions typically approach the limit as
// x_n - L ~ sum_k c_k n^-k, or (-1)^n times such a series (Brouncker's 4/pi, Euler's 2/(pi-2),
// 1/zeta(3) with b(n) = -n^6): taking every other convergent x_N, x_{N-2}, ..., x_{N-2(K-1)}
// (exact, from binary splitting) and extrapolating the polynomial in 1/n through them to 1/n = 0
// (Neville's scheme in MPFR) gains many digits: 1000 terms of Brouncker's fraction give 3
// digits directly and ~70 extrapolated.
//
// The digits are ESTIMATED, not certified: two extrapolations from different depths are compared
// and the digits they share (less one) are reported. When the error does not have the assumed
// form (logarithmic terms, other periods) the two disagree early and few digits are reported.
#pragma once

#include "src/bigint.hpp"
#include "src/pcf.hpp"

#include <cstdint>
#include <string>

namespace cvg {

struct Extrapolation {
    bool ok = false;      // a finite value with at least one estimated digit
    Ball value;           // the extrapolated limit; radius 10x the estimated error
    long digits = 0;      // estimated significant digits
    uint64_t depth = 0;   // N, the deepest convergent used
    int points = 0;       // K
    std::string note;
};

// Extrapolates from x_N, x_{N-2}, ..., x_{N-2(K-1)}; the error estimate comes from a second
// extrapolation through K points ending at about 3N/4. Needs N >= 4K. Convergents with q_n = 0
// make the result not ok.
Extrapolation richardson_limit(const Pcf& pcf, uint64_t depth, int points);

}  // namespace cvg
