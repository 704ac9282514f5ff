// One work unit of a meet-in-the-middle search: screen every PCF of the unit in double
// precision (SIMD lanes over b(n), a(n) shared), look the converged values up in the left-side
// table within a tolerance derived from the screen's convergence, and re-verify every
// candidate exactly. Deterministic: a unit's result depends only on its number.
#pragma once

#include "search/domain.hpp"
#include "search/lhs.hpp"
#include "search/unit_search.hpp"
#include "search/verify.hpp"
#include "src/screen_batch.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cvg::search {

struct MitmConfig {
    int screen_depth = 32;
    double max_rel_tolerance = 1e-10;  // PCFs less converged than this at the screen depth are...
    int rescreen_depth = 256;          // ...screened again this deep (0: never) if their tolerance
    double rescreen_window = 1e-4;     //    is at most this, and skipped otherwise
    VerifyOptions verify;
    bool screen_only = false;          // count candidates, verify none (benchmarks of the first pass)
};

// The fixed parts of a search shared by all units (left-side table, b(n) tables).
class MitmSearch : public UnitSearch {
public:
    MitmSearch(const Domain& domain, const LhsTable& lhs, ConstantFn constant, MitmConfig config);
    ~MitmSearch() override;

    uint64_t unit_size() const { return unit_size_; }
    uint64_t units() const override { return (domain_.size() + unit_size_ - 1) / unit_size_; }
    UnitResult run_unit(uint64_t unit) const override;
    const char* method() const override { return "mitm"; }

private:
    // screens lanes (indices relative to domain index `first`) again at rescreen_depth, in place
    void rescreen(uint64_t first, const std::vector<size_t>& lanes, const std::vector<int64_t>& outer,
                  LaneResult* results) const;
    struct Tables;
    const Domain& domain_;
    const LhsTable& lhs_;
    ConstantFn constant_;
    MitmConfig config_;
    uint64_t unit_size_;
    std::unique_ptr<Tables> tables_;
};

// Work units: whole a(n) blocks of at least 2^16 PCFs, or 2^20-PCF slices of one large block.
uint64_t unit_size_for(const Domain& domain);

}  // namespace cvg::search
