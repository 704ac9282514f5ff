// convergent report: one self-contained HTML file with the plots, clusters, conjectures and runs.
#include "search/report.hpp"
#include "src/cli/common.hpp"

#include <cstdio>
#include <fstream>

namespace cvg::cli {
namespace {

struct ReportArgs {
    std::string db = "convergent.db";
    std::string out = "report.html";
    std::string title = "Convergent report";
    size_t max_points = 20000;
    size_t max_clusters = 300;
};

void run_report(const ReportArgs& a) {
    db::Store store(a.db, db::Store::Open::read_only);
    search::ReportOptions opt;
    opt.max_points = a.max_points;
    opt.max_clusters = a.max_clusters;
    opt.title = a.title;
    search::ReportSummary sum;
    std::string html = search::render_report(store, opt, &sum);
    // written beside the target and renamed: an interrupted or failed write leaves no half report
    const std::string tmp = a.out + ".tmp";
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw UsageError("--out", "cannot write '" + a.out + "'");
    out << html;
    out.close();
    if (!out || std::rename(tmp.c_str(), a.out.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw RuntimeFailure("writing '" + a.out + "' failed (disk full?)");
    }
    std::printf("wrote %s (%zu bytes): %zu evaluations (%zu plotted), %zu clusters, %zu new formula candidates, "
                "%zu conjectures\n",
                a.out.c_str(), sum.bytes, sum.evaluations, sum.plotted, sum.clusters, sum.new_candidates, sum.conjectures);
}

}  // namespace

void setup_report(CLI::App& app) {
    auto args = std::make_shared<ReportArgs>();
    CLI::App* sub = app.add_subcommand("report", "Write a self-contained HTML report of a database");
    sub->add_option("--db", args->db, "The database")->default_val("convergent.db");
    sub->add_option("--out", args->out, "The HTML file to write")->default_val("report.html");
    sub->add_option("--title", args->title, "Title of the report")->default_val("Convergent report");
    sub->add_option("--max-points", args->max_points, "Points per scatter plot (a deterministic subsample beyond)")
        ->check(CLI::Range(100, 1000000))->default_val(20000);
    sub->add_option("--max-clusters", args->max_clusters,
                    "Clusters listed in the table (named by a constant first, then linked, then the rest)")
        ->check(CLI::Range(1, 1000000))->default_val(300);
    sub->footer(
        "The report needs no network to view: inline SVG plots, MathML formulas, no scripts.\n"
        "Examples:\n"
        "  convergent report --db blind.db --out report.html\n"
        "  convergent report --db blind.db --out all.html --max-clusters 100000\n"
        "  convergent report --db pi.db --out pi.html --title \"pi search\"");
    sub->callback([args] { run_report(*args); });
}

}  // namespace cvg::cli
