// convergent cluster: formula families from the blind evaluations of a database.
#include "search/cluster.hpp"
#include "src/cli/common.hpp"
#include "src/version.hpp"

#include <cstdio>
#include <iostream>

namespace cvg::cli {
namespace {

struct ClusterArgs {
    std::string db = "convergent.db";
    std::string features = "delta,rate,growth";
    size_t min_cluster_size = 5, min_samples = 5;
    int label_members = 12;
    int threads = 0;
    bool json = false;
};

void run_cluster(const ClusterArgs& a) {
    search::ClusterConfig cfg;
    cfg.features.clear();
    size_t s = 0;
    while (s <= a.features.size()) {
        size_t e = a.features.find(',', s);
        if (e == std::string::npos) e = a.features.size();
        std::string f = a.features.substr(s, e - s);
        if (f.empty()) throw UsageError("--features", "empty feature name in '" + a.features + "'");
        cfg.features.push_back(f);
        s = e + 1;
    }
    cfg.min_cluster_size = a.min_cluster_size;
    cfg.min_samples = a.min_samples;
    cfg.label_members = a.label_members;
    auto threads = apply_threads(a.threads);
    Progress bar("cluster");
    cfg.progress = [&](const std::string& m) { bar.update(m); };
    db::Store store(a.db, db::Store::Open::existing);
    search::ClusterSummary sum = search::cluster_evaluations(store, cfg, CONVERGENT_VERSION);
    bar.done();
    if (a.json) {
        std::cout << Json{{"run", sum.run_id},         {"points", sum.points},
                          {"clusters", sum.clusters},   {"noise", sum.noise},
                          {"labelled", sum.labelled},   {"identified", sum.identified},
                          {"seconds_cluster", sum.seconds_cluster}, {"seconds_label", sum.seconds_label}}
                         .dump()
                  << "\n";
        return;
    }
    std::printf("clustered %zu converging PCFs on %s: %zu clusters, %zu noise (%.2f s)\n", sum.points, a.features.c_str(),
                sum.clusters, sum.noise, sum.seconds_cluster);
    std::printf("labelled %zu clusters by identifying their members' limits; %zu members identified (%.2f s)\n",
                sum.labelled, sum.identified, sum.seconds_label);
    std::printf("Next: convergent query --db %s --what clusters, or convergent report --db %s --out report.html\n",
                a.db.c_str(), a.db.c_str());
}

}  // namespace

void setup_cluster(CLI::App& app) {
    auto args = std::make_shared<ClusterArgs>();
    CLI::App* sub = app.add_subcommand("cluster", "Cluster blind evaluations into formula families (HDBSCAN)");
    sub->add_option("--db", args->db, "The database (with a blind run)")->default_val("convergent.db");
    sub->add_option("--features", args->features, "Comma list: delta, rate, fr_k, growth (= growth_nlogn, growth_n)")
        ->default_val("delta,rate,growth");
    sub->add_option("--min-cluster-size", args->min_cluster_size, "Smallest cluster")->check(CLI::Range(2, 1000000))->default_val(5);
    sub->add_option("--min-samples", args->min_samples, "Neighbours that make a point dense")->check(CLI::Range(1, 1000))->default_val(5);
    sub->add_option("--label-members", args->label_members, "Most precise members per cluster identified through all families")
        ->check(CLI::Range(1, 1000000))
        ->default_val(12);
    add_threads_option(sub, args->threads);
    sub->add_flag("--json", args->json, "Print the summary as JSON");
    sub->footer(
        "Each cluster is labelled by identifying (LLL, see docs/IDENTIFY.md) the limits of its members: anchors\n"
        "(classical formulas), every member through the cheap families (rational, algebraic, Moebius of one constant),\n"
        "the most precise through all; then every member is checked against the names found (label \"e; tan1\" when\n"
        "both name members). Clusters are labelled in parallel.\n"
        "fr_k is not a default feature: it changes under polynomial equivalence. See docs/BLIND.md.\n"
        "Examples:\n"
        "  convergent cluster --db blind.db\n"
        "  convergent cluster --db blind.db --features delta,rate --min-cluster-size 20\n"
        "  convergent query --db blind.db --what clusters");
    sub->callback([args] { run_cluster(*args); });
}

}  // namespace cvg::cli
