// Blind discovery (the 2024 "unsupervised discovery" work): every PCF of a domain evaluated with
// no target constant — whether it converges, its limit to the digits that are certain, and its
// convergence dynamics (blind delta and its trajectory, rate and type, factorial reduction,
// growth) — stored as evaluation rows for clustering.
#pragma once

#include "search/domain.hpp"
#include "search/unit_search.hpp"
#include "src/metrics.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace cvg::search {

struct BlindConfig {
    uint64_t depth = 2000;
    int checkpoints = 10;
    double sample = 1.0;      // fraction of the domain, chosen deterministically from the seed
    uint64_t seed = 0;
    uint64_t unit_size = 1024;
};

// Whether PCF number `index` belongs to a sample of fraction f with seed s (a hash, so any subset
// of the domain is reproducible without enumerating the rest).
bool in_sample(uint64_t index, double fraction, uint64_t seed);

// The delta trajectory as JSON, [[n, delta], ...], null where delta is undefined.
nlohmann::json trajectory_json(const Metrics& m);

// The metrics columns of an evaluation row (blind runs, eval --db): the limit's source, with
// "-unreliable" appended when a blind limit is not much closer than x_N, and depth; delta and its
// trajectory, rate, type, factorial reduction, growth.
void put_metrics(db::EvaluationRow& row, const Metrics& m);

class BlindSearch : public UnitSearch {
public:
    BlindSearch(const Domain& domain, BlindConfig config) : domain_(domain), config_(config) {}
    uint64_t units() const override { return (domain_.size() + config_.unit_size - 1) / config_.unit_size; }
    UnitResult run_unit(uint64_t unit) const override;
    const char* method() const override { return "blind"; }

private:
    const Domain& domain_;
    BlindConfig config_;
};

}  // namespace cvg::search
