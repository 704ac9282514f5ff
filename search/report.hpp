// The HTML report of a database: one self-contained file (inline SVG plots and MathML formulas,
// no scripts, nothing fetched) with the plots a mathematician looks at after a blind run — delta
// against the convergence rate and the factorial-reduction plane coloured by cluster, delta
// trajectories of representative formulas — the clusters with their labels and formulas, the
// identified members that are no classical formula (new formula candidates), the verified conjectures, and the runs' parameters and timings. Everything taken from the database
// is HTML-escaped.
#pragma once

#include "db/store.hpp"

#include <string>

namespace cvg::search {

struct ReportOptions {
    size_t max_points = 20000;   // points per scatter plot (a deterministic subsample beyond)
    size_t max_clusters = 300;   // clusters in the table (named, linked, unlabelled; then by identified members, size)
    size_t per_cluster = 5;      // formulas listed per cluster
    size_t trajectories = 8;     // delta trajectories drawn
    size_t max_candidates = 500; // new formula candidates listed
    std::string title = "Convergent report";
};

struct ReportSummary {
    size_t evaluations = 0, plotted = 0, clusters = 0, conjectures = 0, new_candidates = 0, bytes = 0;
};

std::string html_escape(const std::string& s);

// Renders the report of `store` as an HTML document.
std::string render_report(db::Store& store, const ReportOptions& opt, ReportSummary* summary = nullptr);

}  // namespace cvg::search
