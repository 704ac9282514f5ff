#include "search/mitm.hpp"

#include "search/family.hpp"
#include "src/screen_batch.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
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
            for (auto [i, e] : t.params) x *= std::pow(static_cast<double>(v[i]), e);
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

// b(n) for a set of consecutive inner indices, in lane layout, and which rows terminate.
struct BTable {
    size_t rows = 0, stride = 0;
    std::vector<double> values;        // values[n * stride + row]
    std::vector<uint8_t> terminated;   // b(n) = 0 for some 1 <= n <= depth
    double max_abs = 0;
};

BTable build_b(const Domain& d, const FastTemplate& bt, int depth, const std::vector<int64_t>& outer_values,
               uint64_t inner_begin, uint64_t inner_end) {
    BTable t;
    t.rows = inner_end - inner_begin;
    t.stride = (t.rows + 15) / 16 * 16;
    t.values.assign(static_cast<size_t>(depth + 1) * t.stride, 0.0);
    t.terminated.assign(t.rows, 0);
    std::vector<int64_t> v = outer_values;
    v.resize(d.params().size());
    for (uint64_t r = 0; r < t.rows; ++r) {
        uint64_t idx = inner_begin + r;
        for (size_t i = d.params().size(); i-- > d.outer_params();) {
            uint64_t c = d.params()[i].count();
            v[i] = d.params()[i].lo + static_cast<int64_t>(idx % c);
            idx /= c;
        }
        bt.fill(v, depth, t.values.data() + r, t.stride);
        for (int n = 1; n <= depth; ++n) {
            double x = t.values[static_cast<size_t>(n) * t.stride + r];
            if (x == 0.0) t.terminated[r] = 1;
            t.max_abs = std::max(t.max_abs, std::fabs(x));
        }
    }
    return t;
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
    const size_t count = lanes.size(), stride = (count + 15) / 16 * 16;
    std::vector<double> b(static_cast<size_t>(deep + 1) * stride, 0.0);
    double max_b = 0;
    for (size_t k = 0; k < count; ++k) {
        tables_->b.fill(domain_.values_at(first + lanes[k]), deep, b.data() + k, stride);
        for (int n = 1; n <= deep; ++n) max_b = std::max(max_b, std::fabs(b[static_cast<size_t>(n) * stride + k]));
    }
    double max_a = 0;
    for (double x : a) max_a = std::max(max_a, std::fabs(x));
    std::vector<LaneResult> out(count);
    screen_lanes(a.data(), b.data(), stride, count, deep, rescale_interval(max_a, max_b), out.data());
    for (size_t k = 0; k < count; ++k) {
        bool ends = false;  // b(n) = 0 between the two depths: the fraction terminates
        for (int n = 1; n <= deep && !ends; ++n) ends = b[static_cast<size_t>(n) * stride + k] == 0.0;
        results[lanes[k]] = ends ? LaneResult{0, 1.0, lane_terminated} : out[k];
    }
}

UnitResult MitmSearch::run_unit(uint64_t unit) const {
    auto t0 = std::chrono::steady_clock::now();
    UnitResult res;
    res.unit = unit;
    const int depth = config_.screen_depth;
    const uint64_t lo = unit * unit_size_, hi = std::min(domain_.size(), lo + unit_size_);
    const uint64_t inner = domain_.inner_size();
    std::vector<double> a(static_cast<size_t>(depth) + 1);
    std::vector<LaneResult> lanes;
    std::vector<uint32_t> hits;
    std::map<uint64_t, std::vector<Relation>> candidates;  // by domain index, ordered

    for (uint64_t start = lo; start < hi;) {
        uint64_t block = start / inner, i0 = start % inner;
        uint64_t i1 = std::min(inner, i0 + (hi - start));
        std::vector<int64_t> ov = outer_values_of(domain_, block);
        tables_->a.fill(ov, depth, a.data(), 1);
        BTable local;
        const BTable* bt = &tables_->b_all;
        size_t row0 = static_cast<size_t>(i0);
        if (!tables_->shared_b) {
            local = build_b(domain_, tables_->b, depth, ov, i0, i1);
            bt = &local;
            row0 = 0;
        }
        size_t count = static_cast<size_t>(i1 - i0);
        double max_a = 0;
        for (double x : a) max_a = std::max(max_a, std::fabs(x));
        lanes.resize(count);
        screen_lanes(a.data(), bt->values.data() + row0, bt->stride, count, depth,
                     rescale_interval(max_a, bt->max_abs), lanes.data());
        // Converging, but slowly: screen those lanes again, deeper, all at once.
        std::vector<size_t> slow;
        for (size_t j = 0; j < count; ++j) {
            const LaneResult& l = lanes[j];
            double rel_tol = std::max(8.0 * l.rel_step, 3e-14);
            if (l.status == lane_ok && !bt->terminated[row0 + j] && !(rel_tol <= config_.max_rel_tolerance) &&
                rel_tol <= config_.rescreen_window && config_.rescreen_depth > depth)
                slow.push_back(j);
        }
        if (!slow.empty()) {
            res.stats.rescreened += slow.size();
            rescreen(start, slow, ov, lanes.data());
        }
        for (size_t j = 0; j < count; ++j)
            if (lanes[j].status == lane_ok) lhs_.prefetch(lanes[j].value);
        for (size_t j = 0; j < count; ++j) {
            ++res.stats.pcfs;
            const LaneResult& l = lanes[j];
            if (bt->terminated[row0 + j] || l.status == lane_terminated) { ++res.stats.terminated; continue; }
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
            auto& c = candidates[start + j];
            for (uint32_t h : hits) c.push_back(Relation::of(lhs_.transform(h)));
        }
        start += count;
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
