// Clustering the blind evaluations of a database into formula families: features from the
// convergence dynamics, robustly standardised; HDBSCAN (src/hdbscan.hpp); each cluster labelled by
// identifying the limits of its members (src/identify.hpp: every member through the cheap families,
// the most precise through all), then every member checked against the names found; clusters
// labelled in parallel; results stored as a `cluster` run (tables clusters, cluster_members).
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
    int label_members = 12;        // most precise members identified through all families
    long min_label_digits = 30;   // digits a member needs to take part in labelling
    std::function<void(const std::string&)> progress;
};

struct ClusterSummary {
    int64_t run_id = 0;
    size_t points = 0, clusters = 0, noise = 0, labelled = 0, identified = 0;
    double seconds_cluster = 0, seconds_label = 0;
};

// A member of a cluster as labelling sees it.
struct ClusterMember {
    int64_t pcf_id = 0;
    std::string value;                 // its limit's certain digits (labelling reads the first 300)
    long digits = 0;                   // how many
    std::string a, b, a_expr, b_expr;  // the PCF: coefficient lists ("[1,2]") and expressions ("2n+1")
};

struct ClusterLabel {
    std::string label;                   // empty: unlabelled
    std::string json, text;              // the relation of the member that names the cluster
    int identified = 0;                  // members with a relation
    std::vector<std::string> relations;  // each member's relation as text ("" when none)
};

// Labels one cluster (docs/BLIND.md, "Labels"): the vote, every member checked against its names,
// or links to the most precise member's limit. Members in any order.
ClusterLabel label_cluster(const std::vector<ClusterMember>& members, const ClusterConfig& cfg);

// Whether a label name is a kind of algebraic number (rational, quadratic, cubic, quartic,
// algebraic) rather than a constant.
bool algebraic_kind(const std::string& name);

// The accepted feature names (growth expands to growth_nlogn and growth_n).
std::vector<std::string> cluster_features();

// Throws db::DbError(bad_input) for unknown features or when no evaluation has them.
ClusterSummary cluster_evaluations(db::Store& store, const ClusterConfig& cfg, const std::string& version);

}  // namespace cvg::search
