// The multiplication layer of exact deep evaluation (src/exact.cpp).
//
// Binary splitting spends almost all of its time in the products at the top of the tree, where
// each node multiplies two 2x2 matrices of integers of about the same size. Two things make
// those products cheaper than eight separate big-integer products:
//  - each entry is transformed once (FLINT's truncated Schönhage–Strassen FFT, fft.h) and the
//    two products of an output entry are added in the transform domain, so a 2x2 product costs
//    8 forward and 4 inverse transforms instead of 16 and 8;
//  - single products pick GMP (Toom-Cook and its own FFT) or FLINT's FFT by size.
// Operands are signed; the transform domain carries the signs through the sums.
#pragma once

#include "src/bigint.hpp"

#include <cstddef>
#include <span>

namespace cvg {

// out = x * y, with GMP below kMulFftLimbs and the transforms of dot_products (parallel) above.
// out may alias x or y.
void int_mul(Int& out, const Int& x, const Int& y);

// One output of a group of products that share operands: x[x0]*y[y0] + x[x1]*y[y1], or only
// x[x0]*y[y0] when x1 < 0.
struct DotTerm {
    int x0, y0, x1, y1;
};

// out[k] = x[t.x0]*y[t.y0] + x[t.x1]*y[t.y1] for t = terms[k], with one forward transform per
// operand and one inverse transform per output; the transforms, the pointwise products and the
// inverse transforms run as oneTBB tasks. At most x.size() outputs. Outputs may alias inputs.
// When every x operand belongs to one term only (a matrix times a column) the outputs are
// computed one after the other, which keeps fewer transforms in memory. Any sizes and signs
// are correct, but the work is sized by the largest x and the largest y: use it for operands of
// similar sizes.
void dot_products(std::span<Int* const> out, std::span<const Int* const> x,
                  std::span<const Int* const> y, std::span<const DotTerm> terms);

// out = x * y for 2x2 matrices (row-major entries), as dot_products but with Winograd's form
// of Strassen's product in the transform domain: 7 pointwise products instead of 8.
void mat2_products(std::span<Int* const, 4> out, std::span<const Int* const, 4> x,
                   std::span<const Int* const, 4> y);

// The operand size (limbs, both factors about this big) from which dot_products beats separate
// GMP products for a 2x2 matrix product on this kind of machine (measured; docs/BENCHMARKS.md).
constexpr std::size_t kDotFftLimbs = 1500;
// The smaller factor's size from which int_mul uses FLINT's FFT instead of GMP (measured).
constexpr std::size_t kMulFftLimbs = 20000;

}  // namespace cvg
