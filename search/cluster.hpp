// Clustering the blind evaluations of a database into formula families: features from the
// convergence dynamics, robustly standardised; HDBSCAN (src/hdbscan.hpp); each cluster labelled by
// identifying the limits of its most precise members (src/identify.hpp), then every member checked
// against that label; results stored as a `cluster` run (tables clusters, cluster_members).
#pragma once

#include "db/store.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cvg::search {

struct ClusterConfig {
    // growth = its n ln n and n terms. Not fr_k by default: the factorial reduction changes under the
    // polynomial equivalence a -> c(n) a, b -> c(n) c(n-1) b, which keeps the limit and the dynamics of
    // the reduced convergents (docs/BLIND.md), so it splits one family in two.
    std::vector<std::string> features{"delta", "rate", "growth"};
    size_t min_cluster_size = 5;
    size_t min_samples = 5;
    int label_members = 12;        // members whose limits are identified to name a cluster
    long min_label_digits = 30;   // digits a member needs to take part in labelling
    std::function<void(const std::string&)> progress;
};

struct ClusterSummary {
    int64_t run_id = 0;
    size_t points = 0, clusters = 0, noise = 0, labelled = 0, identified = 0;
    double seconds_cluster = 0, seconds_label = 0;
};

// The accepted feature names (growth expands to growth_nlogn and growth_n).
std::vector<std::string> cluster_features();

// Throws db::DbError(bad_input) for unknown features or when no evaluation has them.
ClusterSummary cluster_evaluations(db::Store& store, const ClusterConfig& cfg, const std::string& version);

}  // namespace cvg::search
