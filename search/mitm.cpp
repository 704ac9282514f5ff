#include "search/mitm.hpp"

#include "search/family.hpp"
#include "src/screen_batch.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>

namespace cvg::search {
namespace {

constexpr uint64_t kMinUnit = uint64_t{1} << 16;
constexpr uint64_t kMaxUnit = uint64_t{1} << 20;
constexpr size_t kMaxCachedRows = size_t{1} << 20;  // b(n) tables up to 2^20 rows are built once

// A template evaluated fast in double precision: its coefficients in n from the parameter values.
struct FastTemplate {
    struct Term {
        int n_power;
        std::vector<std::pair<size_t, int>> params;  // (index, exponent)
        double coef;
    };
    std::vector<Term> terms;
    int degree = 0;

    explicit FastTemplate(const TemplatePoly& t) {
        for (const auto& [k, c] : t.terms()) {
            Term term{k[0], {}, fmpz_get_d(c.get())};
            for (size_t i = 1; i < k.size(); ++i)
                if (k[i]) term.params.emplace_back(i - 1, k[i]);
            terms.push_back(term);
            degree = std::max(degree, k[0]);
        }
    }
    // the coefficients in n (ascending) for parameter values v
    std::vector<double> coeffs(const std::vector<int64_t>& v) const {
        std::vector<double> c(static_cast<size_t>(degree) + 1, 0.0);
        for (const Term& t : terms) {
            double x = t.coef;
            for (auto [i, e] : t.params)
                for (int j = 0; j < e; ++j) x *= static_cast<double>(v[i]);
            c[static_cast<size_t>(t.n_power)] += x;
        }
        return c;
    }
    // values[n] for n = 0..depth into out[n * stride]
    void fill(const std::vector<int64_t>& v, int depth, double* out, size_t stride) const {
        std::vector<double> c = coeffs(v);
        for (int n = 0; n <= depth; ++n) {
            double r = 0;
            for (int k = degree; k >= 0; --k) r = r * n + c[k];
            out[static_cast<size_t>(n) * stride] = r;
        }
    }
};

// b(n) for n = 0..depth of many lanes in lane layout, and which lanes terminate.
struct BTable {
    size_t rows = 0, stride = 0;
    std::vector<double> values;        // values[n * stride + row]
    std::vector<uint8_t> terminated;   // b(n) = 0 for some 1 <= n <= depth
    double max_abs = 0;
};

// The coefficients in n of b for `rows` lanes (parameter values: values(lane)), in lane layout
// coef[k * stride + lane], stride = rows rounded up to 16 (padding lanes are 0).
std::vector<double> lane_coeffs(const FastTemplate& bt, size_t rows, size_t stride,
                                const std::function<std::vector<int64_t>(size_t)>& values) {
    std::vector<double> coef(static_cast<size_t>(bt.degree + 1) * stride, 0.0);
    for (size_t r = 0; r < rows; ++r) {
        std::vector<double> c = bt.coeffs(values(r));
        for (int k = 0; k <= bt.degree; ++k) coef[static_cast<size_t>(k) * stride + r] = c[static_cast<size_t>(k)];
    }
    return coef;
}

// The b table of `rows` lanes, written row by row with the lanes innermost: memory is touched in
// order (a lane-by-lane fill strides through the whole table) and the loops vectorise.
BTable b_table(const FastTemplate& bt, size_t rows, int depth, const std::function<std::vector<int64_t>(size_t)>& values) {
    BTable t;
    t.rows = rows;
    t.stride = (rows + 15) / 16 * 16;
    const int d = bt.degree;
    const std::vector<double> coef = lane_coeffs(bt, rows, t.stride, values);
    t.values.assign(static_cast<size_t>(depth + 1) * t.stride, 0.0);
    std::vector<double> lo(rows, INFINITY), hi(rows, 0.0);  // min and max of |b(n)|, n >= 1
    for (int n = 0; n <= depth; ++n) {
        double* row = t.values.data() + static_cast<size_t>(n) * t.stride;
        const double x = n;
        const double* top = coef.data() + static_cast<size_t>(d) * t.stride;
        for (size_t r = 0; r < rows; ++r) row[r] = top[r];
        for (int k = d - 1; k >= 0; --k) {  // Horner, a whole row at a time
            const double* c = coef.data() + static_cast<size_t>(k) * t.stride;
            for (size_t r = 0; r < rows; ++r) row[r] = row[r] * x + c[r];
        }
        if (n == 0) continue;
        for (size_t r = 0; r < rows; ++r) {
            double v = std::fabs(row[r]);
            lo[r] = v < lo[r] ? v : lo[r];
            hi[r] = v > hi[r] ? v : hi[r];
        }
    }
    t.terminated.resize(rows);
    for (size_t r = 0; r < rows; ++r) {
        t.terminated[r] = lo[r] == 0.0;
        t.max_abs = std::max(t.max_abs, hi[r]);
    }
    return t;
}

BTable build_b(const Domain& d, const FastTemplate& bt, int depth, const std::vector<int64_t>& outer_values,
               uint64_t inner_begin, uint64_t inner_end) {
    std::vector<int64_t> v = outer_values;
    v.resize(d.params().size());
    return b_table(bt, inner_end - inner_begin, depth, [&](size_t r) {
        uint64_t idx = inner_begin + r;
        for (size_t i = d.params().size(); i-- > d.outer_params();) {
            uint64_t c = d.params()[i].count();
            v[i] = d.params()[i].lo + static_cast<int64_t>(idx % c);
            idx /= c;
        }
        return v;
    });
}

std::vector<int64_t> outer_values_of(const Domain& d, uint64_t block) {
    std::vector<int64_t> v(d.outer_params());
    for (size_t i = d.outer_params(); i-- > 0;) {
        uint64_t c = d.params()[i].count();
        v[i] = d.params()[i].lo + static_cast<int64_t>(block % c);
        block /= c;
    }
    return v;
}

bool b_uses_outer(const Domain& d) {
    for (size_t i = 0; i < d.outer_params(); ++i)
        if (d.b().uses(i)) return true;
    return false;
}

}  // namespace

uint64_t unit_size_for(const Domain& domain) {
    uint64_t inner = domain.inner_size();
    if (inner > kMaxUnit) return kMaxUnit;
    uint64_t blocks = std::max<uint64_t>(1, kMinUnit / inner);
    return blocks * inner;
}

struct MitmSearch::Tables {
    FastTemplate a, b;
    bool shared_b = false;
    BTable b_all;  // when b(n) does not depend on a's parameters and the table is small
    Tables(const Domain& d) : a(d.a()), b(d.b()) {}
};

MitmSearch::MitmSearch(const Domain& domain, const LhsTable& lhs, ConstantFn constant, MitmConfig config)
    : domain_(domain), lhs_(lhs), constant_(std::move(constant)), config_(config), unit_size_(unit_size_for(domain)),
      tables_(std::make_unique<Tables>(domain)) {
    if (!b_uses_outer(domain) && domain.inner_size() <= kMaxCachedRows) {
        tables_->shared_b = true;
        tables_->b_all = build_b(domain, tables_->b, config_.screen_depth, {}, 0, domain.inner_size());
    }
}

MitmSearch::~MitmSearch() = default;

void MitmSearch::rescreen(uint64_t first, const std::vector<size_t>& lanes, const std::vector<int64_t>& outer,
                          LaneResult* results) const {
    const int deep = config_.rescreen_depth;
    std::vector<double> a(static_cast<size_t>(deep) + 1);
    tables_->a.fill(outer, deep, a.data(), 1);
    double max_a = 0;
    for (double x : a) max_a = std::max(max_a, std::fabs(x));
    // b(n) from each lane's coefficients inside the loop: a table this deep would not stay in
    // the cache. |b(n)| <= sum |c_k| deep^k bounds the growth between rescalings.
    const size_t count = lanes.size(), stride = (count + 15) / 16 * 16;
    const std::vector<double> coef =
        lane_coeffs(tables_->b, count, stride, [&](size_t k) { return domain_.values_at(first + lanes[k]); });
    double max_b = 0;
    for (size_t k = 0; k < count; ++k) {
        double m = 0;
        for (int i = tables_->b.degree; i >= 0; --i) m = m * deep + std::fabs(coef[static_cast<size_t>(i) * stride + k]);
        max_b = std::max(max_b, m);
    }
    std::vector<LaneResult> out(stride);
    screen_lanes_poly(a.data(), coef.data(), tables_->b.degree, stride, deep, rescale_interval(max_a, max_b), out.data());
    for (size_t k = 0; k < count; ++k) results[lanes[k]] = out[k];  // lane_terminated: b(n) = 0 below deep
}

UnitResult MitmSearch::run_unit(uint64_t unit) const {
    auto t0 = std::chrono::steady_clock::now();
    UnitResult res;
    res.unit = unit;
    const int depth = config_.screen_depth;
    const uint64_t lo = unit * unit_size_, hi = std::min(domain_.size(), lo + unit_size_);
    const uint64_t inner = domain_.inner_size();
    std::vector<LaneResult> lanes;
    std::vector<uint32_t> hits;
    std::map<uint64_t, std::vector<Relation>> candidates;  // by domain index, ordered

    // 1. Screen the unit. With one b table for all blocks, a few hundred lanes at a time through
    //    every block's a(n), so that those lanes' b(n) stay in the cache (as in the screen-only
    //    benchmark); then the slowly converging lanes of each block again, deeper.
    struct Piece {
        uint64_t start, i0, i1;
        std::vector<int64_t> ov;
        std::vector<double> a;
        BTable local;  // when b(n) depends on a's parameters
        int rescale;
    };
    auto b_of = [&](const Piece& pc) -> const BTable& { return tables_->shared_b ? tables_->b_all : pc.local; };
    auto row0_of = [&](const Piece& pc) -> size_t { return tables_->shared_b ? pc.i0 : 0; };  // its i0's row
    std::vector<Piece> pieces;
    for (uint64_t start = lo; start < hi;) {
        const uint64_t block = start / inner, i0 = start % inner, i1 = std::min(inner, i0 + (hi - start));
        Piece& pc = pieces.emplace_back(
            Piece{start, i0, i1, outer_values_of(domain_, block), std::vector<double>(static_cast<size_t>(depth) + 1), {}, 1});
        tables_->a.fill(pc.ov, depth, pc.a.data(), 1);
        if (!tables_->shared_b) pc.local = build_b(domain_, tables_->b, depth, pc.ov, i0, i1);
        double max_a = 0;
        for (double x : pc.a) max_a = std::max(max_a, std::fabs(x));
        pc.rescale = rescale_interval(max_a, b_of(pc).max_abs);
        start += i1 - i0;
    }
    lanes.resize(static_cast<size_t>(hi - lo));
    auto screen_range = [&](const Piece& pc, uint64_t r0, uint64_t r1) {  // rows [r0, r1) of its block
        const BTable& bt = b_of(pc);
        screen_lanes(pc.a.data(), bt.values.data() + row0_of(pc) + (r0 - pc.i0), bt.stride, static_cast<size_t>(r1 - r0),
                     depth, pc.rescale, lanes.data() + (pc.start + (r0 - pc.i0) - lo));
    };
    if (tables_->shared_b) {
        constexpr uint64_t kChunk = 256;
        for (uint64_t c0 = 0; c0 < inner; c0 += kChunk)
            for (const Piece& pc : pieces) {
                const uint64_t r0 = std::max(c0, pc.i0), r1 = std::min(c0 + kChunk, pc.i1);
                if (r0 < r1) screen_range(pc, r0, r1);
            }
    } else {
        for (const Piece& pc : pieces) screen_range(pc, pc.i0, pc.i1);
    }
    for (const Piece& pc : pieces) {
        const size_t count = static_cast<size_t>(pc.i1 - pc.i0), row0 = row0_of(pc);
        const BTable& bt = b_of(pc);
        LaneResult* out = lanes.data() + (pc.start - lo);
        // Converging, but slowly: screen those lanes again, deeper, all at once.
        std::vector<size_t> slow;
        for (size_t j = 0; j < count; ++j) {
            LaneResult& l = out[j];
            if (bt.terminated[row0 + j]) l.status = lane_terminated;
            double rel_tol = std::max(8.0 * l.rel_step, 3e-14);
            if (l.status == lane_ok && !(rel_tol <= config_.max_rel_tolerance) &&
                rel_tol <= config_.rescreen_window && config_.rescreen_depth > depth)
                slow.push_back(j);
        }
        if (!slow.empty()) {
            res.stats.rescreened += slow.size();
            rescreen(pc.start, slow, pc.ov, out);
        }
    }

    // 2. Look the values up in the left side, prefetching a few lanes ahead.
    constexpr size_t kAhead = 32;
    for (size_t j = 0; j < std::min(kAhead, lanes.size()); ++j)
        if (lanes[j].status == lane_ok) lhs_.prefetch(lanes[j].value);
    for (size_t j = 0; j < lanes.size(); ++j) {
        if (j + kAhead < lanes.size() && lanes[j + kAhead].status == lane_ok) lhs_.prefetch(lanes[j + kAhead].value);
        ++res.stats.pcfs;
        const LaneResult& l = lanes[j];
        if (l.status == lane_terminated) { ++res.stats.terminated; continue; }
        if (l.status == lane_overflow) { ++res.stats.overflow; continue; }
        if (l.status == lane_q_zero) { ++res.stats.q_zero; continue; }
        double value = l.value;
        double rel_tol = std::max(8.0 * l.rel_step, 3e-14);
        if (!(rel_tol <= config_.max_rel_tolerance)) {
            ++res.stats.unconverged;
            continue;
        }
        ++res.stats.screened;
        double tol = (rel_tol + LhsTable::kRelError) * std::fabs(value);
        if (!lhs_.maybe_in(value - tol, value + tol)) continue;
        hits.clear();
        lhs_.lookup(value, tol, hits);
        if (hits.empty()) continue;
        auto& c = candidates[lo + j];
        for (uint32_t h : hits) c.push_back(Relation::of(lhs_.transform(h)));
    }

    for (auto& [index, ms] : candidates) {
        ++res.stats.candidates;
        if (config_.screen_only) continue;
        Pcf pcf = domain_.pcf_at(index);
        Rejection why = Rejection::none;
        std::optional<Verified> v = verify_candidate(pcf, constant_, ms, config_.verify, &why);
        if (!v) {
            ++res.stats.rejected;
            if (why == Rejection::slow) ++res.stats.too_slow;
            res.rejected.push_back(index);
            continue;
        }
        res.conjectures.push_back(Conjecture{index, pcf, *v, family_key(pcf)});
    }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

}  // namespace cvg::search
