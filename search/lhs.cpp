#include "search/lhs.hpp"

#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace cvg::search {
namespace {

constexpr int kGuideBits = 20;
constexpr int kFineShift = 28;  // fine buckets: about 2^-24 of a value's magnitude wide

inline uint64_t slot_hash(uint64_t x) {
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ULL;
    return x ^ (x >> 29);
}

// Monotone map of doubles to unsigned integers (total order of finite doubles).
inline uint64_t order_key(double v) {
    uint64_t b = std::bit_cast<uint64_t>(v);
    return (b & 0x8000000000000000ULL) ? ~b : (b | 0x8000000000000000ULL);
}

// gcd of |x|, |y| for 0 <= |x|, |y| <= R by table: the build visits (2R+1)^4 tuples
class GcdTable {
public:
    explicit GcdTable(int R) : n_(R + 1), t_(static_cast<size_t>(n_) * n_) {
        for (int x = 0; x < n_; ++x)
            for (int y = 0; y < n_; ++y) t_[static_cast<size_t>(x) * n_ + y] = static_cast<uint16_t>(std::gcd(x, y));
    }
    int operator()(int x, int y) const { return t_[static_cast<size_t>(std::abs(x)) * n_ + std::abs(y)]; }

private:
    int n_;
    std::vector<uint16_t> t_;
};

}  // namespace

LhsTable::LhsTable(long double K, int R) {
    if (R < 1 || R > 1000) throw std::invalid_argument("the left-side coefficient bound must be 1..1000");
    struct Entry {
        double v;
        Mobius m;
    };
    std::vector<Entry> e;
    GcdTable gcd(R);
    for (int d1 = 0; d1 <= R; ++d1)
        for (int d0 = -R; d0 <= R; ++d0) {
            if (d1 == 0 && d0 <= 0) continue;  // first nonzero of (d1, d0) positive
            long double den = static_cast<long double>(d0) + static_cast<long double>(d1) * K;
            const int gd = gcd(d0, d1);
            for (int c1 = -R; c1 <= R; ++c1)
                for (int c0 = -R; c0 <= R; ++c0) {
                    if (static_cast<int64_t>(c0) * d1 == static_cast<int64_t>(c1) * d0) continue;  // degenerate
                    if (gcd(gcd(c0, c1), gd) != 1) continue;
                    long double num = static_cast<long double>(c0) + static_cast<long double>(c1) * K;
                    e.push_back({static_cast<double>(num / den), Mobius{c0, c1, d0, d1}});
                }
        }
    tbb::parallel_sort(e.begin(), e.end(), [](const Entry& x, const Entry& y) { return x.v < y.v; });
    values_.reserve(e.size());
    transforms_.reserve(e.size());
    for (const Entry& x : e) {
        values_.push_back(x.v);
        transforms_.push_back(x.m);
    }
    // a blocked Bloom filter: ~12 bits per entry, each fine bucket sets 3 bits of one 64-byte
    // line; 2 MB for the R = 20 tables, so that it stays in the L2 cache (~1% false positives)
    uint64_t lines = 16;
    while (lines * 512 < 12 * values_.size()) lines *= 2;
    fine_.assign(lines * 8, 0);
    fine_lines_mask_ = lines - 1;
    for (double v : values_) {
        uint64_t h = slot_hash(order_key(v) >> kFineShift);
        uint64_t* line = &fine_[(h & fine_lines_mask_) * 8];
        for (int shift : {32, 41, 50}) {
            uint64_t bit = (h >> shift) & 511;
            line[bit >> 6] |= uint64_t{1} << (bit & 63);
        }
    }
    guide_.assign((size_t{1} << kGuideBits) + 1, 0);
    size_t i = 0;
    for (size_t k = 0; k <= (size_t{1} << kGuideBits); ++k) {
        while (i < values_.size() && (order_key(values_[i]) >> (64 - kGuideBits)) < k) ++i;
        guide_[k] = static_cast<uint32_t>(i);
    }
}

size_t LhsTable::lower_bound(double v) const {
    uint64_t k = order_key(v) >> (64 - kGuideBits);
    auto first = values_.begin() + guide_[k], last = values_.begin() + guide_[k + 1];
    return static_cast<size_t>(std::lower_bound(first, last, v) - values_.begin());
}

bool LhsTable::has_fine(uint64_t bucket) const {
    uint64_t h = slot_hash(bucket);
    const uint64_t* line = &fine_[(h & fine_lines_mask_) * 8];
    for (int shift : {32, 41, 50}) {
        uint64_t bit = (h >> shift) & 511;
        if (!((line[bit >> 6] >> (bit & 63)) & 1)) return false;
    }
    return true;
}

bool LhsTable::maybe_in(double lo, double hi) const {
    uint64_t b0 = order_key(lo) >> kFineShift, b1 = order_key(hi) >> kFineShift;
    if (b1 - b0 > 4) return true;
    for (uint64_t b = b0; b <= b1; ++b)
        if (has_fine(b)) return true;
    return false;
}

void LhsTable::prefetch(double v) const {
    __builtin_prefetch(&fine_[(slot_hash(order_key(v) >> kFineShift) & fine_lines_mask_) * 8]);
}

void LhsTable::lookup(double v, double tol, std::vector<uint32_t>& out) const {
    double lo = v - tol, hi = v + tol;
    for (size_t i = lower_bound(lo); i < values_.size() && values_[i] <= hi; ++i) out.push_back(static_cast<uint32_t>(i));
}

}  // namespace cvg::search
