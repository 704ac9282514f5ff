// convergent blind: every PCF of a domain evaluated with no target constant — convergence, limit,
// delta (blind), rate and type, factorial reduction, growth — for clustering.
#include "search/blind.hpp"
#include "src/cli/common.hpp"
#include "src/cli/domain_args.hpp"
#include "src/cli/run_units.hpp"

#include <cstdio>
#include <iostream>

namespace cvg::cli {
namespace {

struct BlindArgs {
    DomainArgs dom;
    int64_t depth = 2000;
    int checkpoints = 10;
    double sample = 1.0;
    uint64_t seed = 0;
    std::string db = "convergent.db";
    bool resume = false, mpi = false, json = false;
    std::string shard;
    int threads = 0;
};

void run_blind(const BlindArgs& args) {
    std::optional<search::Domain> domain = domain_from_args(args.dom);
    if (!domain) throw UsageError("", "no domain: give --a-deg/--b-deg with --coef (or --a-coef/--b-coef), or --domain");
    if (!(args.sample > 0 && args.sample <= 1)) throw UsageError("--sample", "must be in (0, 1]");
    std::optional<std::pair<uint64_t, uint64_t>> shard;
    if (!args.shard.empty()) shard = parse_shard("--shard", args.shard);
    search::BlindConfig cfg;
    cfg.depth = static_cast<uint64_t>(args.depth);
    cfg.checkpoints = args.checkpoints;
    cfg.sample = args.sample;
    cfg.seed = args.seed;
    Json params{{"domain", domain->to_json()}, {"depth", cfg.depth}, {"checkpoints", cfg.checkpoints},
                {"sample", cfg.sample}, {"seed", cfg.seed}, {"unit_size", cfg.unit_size}};
    auto threads = apply_threads(args.threads);
    RunSpec spec{"blind", params.dump(), args.db, "", args.resume, args.mpi, shard};
    RunOutcome out = run_units_cli(
        spec, [&]() -> std::unique_ptr<search::UnitSearch> { return std::make_unique<search::BlindSearch>(*domain, cfg); },
        [&](const search::Progress& p) {
            double rate = p.seconds > 0 ? static_cast<double>(p.totals.screened) / p.seconds : 0;
            double eta = p.units_done ? p.seconds * static_cast<double>(p.units_todo - p.units_done) /
                                            static_cast<double>(p.units_done)
                                      : 0;
            char buf[200];
            std::snprintf(buf, sizeof buf, "units %llu/%llu, %llu PCFs, %llu converge, %.0f exact evaluations/s, ETA %.0f s",
                          static_cast<unsigned long long>(p.units_done), static_cast<unsigned long long>(p.units_todo),
                          static_cast<unsigned long long>(p.totals.pcfs), static_cast<unsigned long long>(p.totals.screened),
                          rate, eta);
            return std::string(buf);
        });
    if (out.worker) return;
    const search::UnitStats& t = out.progress.totals;
    uint64_t evaluated = t.pcfs - t.sampled_out - t.equivalent - t.terminated;
    if (args.json) {
        Json j{{"run", out.run_id},
               {"db", args.db},
               {"domain_size", domain->size()},
               {"pcfs", t.pcfs},
               {"sampled_out", t.sampled_out},
               {"equivalent", t.equivalent},
               {"terminated", t.terminated},
               {"evaluated", evaluated},
               {"diverge", t.unconverged},
               {"converge_screen", t.screened},
               {"units", out.units_total},
               {"units_run", out.progress.units_done},
               {"units_done_total", out.units_done_total},
               {"seconds", out.progress.seconds}};
        if (!out.ranks.empty()) j["ranks"] = ranks_json(out);
        std::cout << j.dump() << "\n";
        return;
    }
    std::printf("blind over %llu PCFs at depth %lld (run %lld in %s)\n", static_cast<unsigned long long>(domain->size()),
                static_cast<long long>(args.depth), static_cast<long long>(out.run_id), args.db.c_str());
    std::printf("  skipped     %llu outside the sample, %llu equivalent to another (c a, c^2 b; -a, b), %llu terminating\n",
                static_cast<unsigned long long>(t.sampled_out), static_cast<unsigned long long>(t.equivalent),
                static_cast<unsigned long long>(t.terminated));
    std::printf("  evaluated   %llu: %llu diverge or oscillate, %llu converge (exact metrics), %.2f s\n",
                static_cast<unsigned long long>(evaluated), static_cast<unsigned long long>(t.unconverged),
                static_cast<unsigned long long>(t.screened), out.progress.seconds);
    std::printf("  units done  %llu of %llu\n", static_cast<unsigned long long>(out.units_done_total),
                static_cast<unsigned long long>(out.units_total));
    print_ranks(out, "PCF");
    std::printf("Next: convergent cluster --db %s, then convergent report --db %s --out report.html\n", args.db.c_str(),
                args.db.c_str());
}

}  // namespace

void setup_blind(CLI::App& app) {
    auto args = std::make_shared<BlindArgs>();
    CLI::App* sub = app.add_subcommand("blind", "Evaluate every PCF of a domain blind: limits and convergence dynamics");
    add_domain_options(sub, args->dom, true);
    sub->add_option("--depth", args->depth, "Depth of the evaluation and the metrics")
        ->check(CLI::Range(int64_t{50}, int64_t{1'000'000}))->default_val(2000);
    sub->add_option("--checkpoints", args->checkpoints, "Points of the delta trajectory")->check(CLI::Range(2, 100))->default_val(10);
    sub->add_option("--sample", args->sample, "Evaluate this fraction of the domain, chosen deterministically")->default_val(1.0);
    sub->add_option("--seed", args->seed, "Seed of the sample")->default_val(0);
    sub->add_option("--db", args->db, "The database")->default_val("convergent.db");
    sub->add_flag("--resume", args->resume, "Continue the run with the same parameters in --db");
    sub->add_option("--shard", args->shard, "Only work units u with u % N == i (i/N)");
    sub->add_flag("--mpi", args->mpi, "Run under mpirun/srun: rank 0 hands out units and writes, the others compute");
    sub->add_flag("--json", args->json, "Print the summary as JSON");
    add_threads_option(sub, args->threads);
    sub->footer(
        "Examples:\n"
        "  convergent blind --a-deg 2 --b-deg 2 --coef -2:2 --depth 2000 --db blind.db\n"
        "  convergent blind --a-deg 2 --b-deg 2 --coef -5:5 --sample 0.01 --seed 1 --db blind1pct.db\n"
        "  convergent cluster --db blind.db && convergent report --db blind.db --out report.html");
    sub->callback([args] { with_mpi_abort(args->mpi, "blind", [&] { run_blind(*args); }); });
}

}  // namespace cvg::cli
