#include "search/blind.hpp"

#include "search/family.hpp"
#include "src/evaluate.hpp"
#include "src/metrics.hpp"
#include "src/screen.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>

namespace cvg::search {

nlohmann::json trajectory_json(const Metrics& m) {
    nlohmann::json t = nlohmann::json::array();
    for (const MetricsPoint& p : m.trajectory)
        t.push_back(nlohmann::json::array({p.n, std::isfinite(p.delta) ? nlohmann::json(p.delta) : nlohmann::json()}));
    return t;
}

void put_metrics(db::EvaluationRow& row, const Metrics& m) {
    row.limit_source = m.limit_reliable ? m.limit_source : m.limit_source + "-unreliable";
    if (m.limit_depth) row.limit_depth = m.limit_depth;
    row.delta = m.delta;
    row.delta_trajectory = trajectory_json(m).dump();
    row.rate = m.rate;
    row.convergence = m.convergence;
    row.fr_k = m.fr_k;
    row.fr_stable = m.fr_stable;
    row.growth_nlogn = m.growth_nlogn;
    row.growth_n = m.growth_n;
}

bool in_sample(uint64_t index, double fraction, uint64_t seed) {
    if (fraction >= 1.0) return true;
    uint64_t x = index * 0x9e3779b97f4a7c15ULL + seed * 0xbf58476d1ce4e5b9ULL + 0x94d049bb133111ebULL;
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 29;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 32;
    return static_cast<double>(x) < fraction * 18446744073709551616.0;
}

UnitResult BlindSearch::run_unit(uint64_t unit) const {
    auto t0 = std::chrono::steady_clock::now();
    UnitResult res;
    res.unit = unit;
    const uint64_t lo = unit * config_.unit_size, hi = std::min(domain_.size(), lo + config_.unit_size);
    for (uint64_t i = lo; i < hi; ++i) {
        ++res.stats.pcfs;
        if (!in_sample(i, config_.sample, config_.seed)) {
            ++res.stats.sampled_out;
            continue;
        }
        Pcf pcf = domain_.pcf_at(i);
        // (c a, c^2 b) and (-a, b) are one formula: evaluate only the canonical member
        if (family_key(pcf) != pcf.key()) {
            ++res.stats.equivalent;
            continue;
        }
        if (pcf.b.is_zero() || pcf.a.is_zero()) {
            ++res.stats.terminated;
            continue;
        }
        if (auto t = pcf.termination_index(); t && *t <= config_.depth) {
            ++res.stats.terminated;
            continue;
        }
        db::EvaluationRow row;
        row.pcf = db::PcfRow{pcf.a.to_list(), pcf.b.to_list(), pcf.a.to_expr(), pcf.b.to_expr(), pcf.a.degree(),
                             pcf.b.degree()};
        row.depth = config_.depth;
        row.limit_source = "blind";
        // a double-precision look first: divergent and oscillating PCFs need no exact work
        ScreenResult s = screen(pcf, static_cast<uint32_t>(config_.depth));
        if (s.status == ScreenStatus::overflow || s.status == ScreenStatus::q_zero || !(s.rel_step < 1e-3)) {
            ++res.stats.unconverged;
            row.converges = false;
            row.convergence = "none";
            res.evaluations.push_back(std::move(row));
            continue;
        }
        ++res.stats.screened;
        EvalOptions eo;
        eo.depth = config_.depth;
        eo.method = EvalMethod::exact;
        EvalResult r = evaluate(pcf, eo);
        row.converges = r.converges;
        row.digits = r.value.count();
        if (r.converges) {
            row.value = r.value.str();
            row.value_approx = arf_get_d(arb_midref(r.ball.get()), ARF_RND_NEAR);
        }
        row.convergence = r.convergence;
        MetricsOptions mo;
        mo.depth = config_.depth;
        mo.checkpoints = config_.checkpoints;
        Metrics m = compute_metrics(pcf, mo);
        if (m.ok && r.converges) {
            put_metrics(row, m);
        }
        res.evaluations.push_back(std::move(row));
    }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

}  // namespace cvg::search
