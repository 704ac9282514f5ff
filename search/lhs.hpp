// The left side of meet-in-the-middle: every Möbius transform (c0 + c1 K)/(d0 + d1 K) of a
// constant K with |c_i|, |d_i| <= R, normalised (gcd 1, first nonzero of d1, d0 positive),
// non-degenerate (c0 d1 != c1 d0), sorted by value. For an irrational K distinct normalised
// transforms have distinct values, so normalisation is the deduplication. Lookups return every
// transform within a tolerance of a value (an interval search: no misses at key boundaries).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cvg::search {

struct Mobius {
    int32_t c0, c1, d0, d1;
};

class LhsTable {
public:
    // K as a long double (64-bit mantissa) so that the table's doubles are correctly rounded
    // up to cancellation; R <= 1000.
    LhsTable(long double K, int R);

    size_t size() const { return values_.size(); }
    double value(size_t i) const { return values_[i]; }
    const Mobius& transform(size_t i) const { return transforms_[i]; }

    // Indices of the transforms with |value - v| <= tol (tol >= 0), appended to out.
    void lookup(double v, double tol, std::vector<uint32_t>& out) const;

    // A quick filter: false means no transform lies in [lo, hi] (one memory access per fine
    // bucket; intervals wider than a few buckets are always passed on). prefetch() warms it up.
    bool maybe_in(double lo, double hi) const;
    void prefetch(double v) const;

    // Relative error bound of the stored values (rounding of the long double evaluation).
    static constexpr double kRelError = 4e-16;

private:
    size_t lower_bound(double v) const;  // first index with value >= v
    std::vector<double> values_;
    std::vector<Mobius> transforms_;
    // guide_[k]: first index whose value's order key has top bits >= k (kGuideBits of them)
    std::vector<uint32_t> guide_;
    // a blocked Bloom filter of the occupied fine buckets (order key >> kFineShift), 3 bits in
    // one 64-byte line per bucket: a clear bit proves a bucket empty
    std::vector<uint64_t> fine_;
    uint64_t fine_lines_mask_ = 0;  // lines - 1
    bool has_fine(uint64_t bucket) const;
};

}  // namespace cvg::search
