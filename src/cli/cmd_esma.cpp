// convergent esma: signed continued fractions + Berlekamp–Massey conjectures (ESMA).
#include "db/store.hpp"
#include "search/esma.hpp"
#include "search/runner.hpp"
#include "src/cli/common.hpp"
#include "src/cli/domain_args.hpp"
#include "src/cli/run_units.hpp"
#include "src/constants.hpp"
#include "src/version.hpp"

#include <oneapi/tbb/info.h>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace cvg::cli {
namespace {

struct EsmaArgs {
    std::string constant;
    int deg = 1;
    std::string coef = "-5:5";
    int max_period = 2;
    int terms = 100;
    long verify_digits = 100;
    int64_t verify_depth = 1000;
    std::string db = "convergent.db";
    bool resume = false;
    bool mpi = false;
    std::string shard;
    int threads = 0;
    bool json = false;
};

void run_esma(const EsmaArgs& args) {
    ConstantExpr c;
    try {
        c = parse_constant(args.constant);
    } catch (const ParseError& e) {
        throw UsageError("--constant", e.what());
    }
    search::EsmaConfig cfg;
    cfg.deg = args.deg;
    {
        size_t colon = args.coef.find(':', args.coef[0] == '-' ? 1 : 0);
        try {
            if (colon == std::string::npos) throw std::invalid_argument("");
            cfg.coef_lo = std::stoll(args.coef.substr(0, colon));
            cfg.coef_hi = std::stoll(args.coef.substr(colon + 1));
        } catch (const std::exception&) {
            throw UsageError("--coef", "expected LO:HI, e.g. -5:5 (got '" + args.coef + "')");
        }
        if (cfg.coef_lo > cfg.coef_hi || cfg.coef_lo < -1000 || cfg.coef_hi > 1000)
            throw UsageError("--coef", "expected LO <= HI within -1000..1000 (got '" + args.coef + "')");
        double count = std::pow(static_cast<double>(cfg.coef_hi - cfg.coef_lo + 1), 2.0 * (cfg.deg + 1));
        if (count > 5e7) throw UsageError("--coef", "the candidate space is too large (over 5*10^7 pairs P, Q)");
    }
    cfg.max_period = args.max_period;
    cfg.terms = args.terms;
    cfg.verify.digits = args.verify_digits;
    cfg.verify.min_depth = static_cast<uint64_t>(args.verify_depth);
    std::optional<std::pair<uint64_t, uint64_t>> shard;
    if (!args.shard.empty()) shard = parse_shard("--shard", args.shard);
    Json params{{"constant", c.str()}, {"deg", cfg.deg}, {"coef", {cfg.coef_lo, cfg.coef_hi}},
                {"max_period", cfg.max_period}, {"terms", cfg.terms}, {"verify_digits", cfg.verify.digits},
                {"verify_depth", cfg.verify.min_depth}, {"unit", search::EsmaSearch::kUnit}};
    auto threads = apply_threads(args.threads);
    RunSpec spec{"esma", params.dump(), args.db, c.str(), args.resume, args.mpi, shard};
    size_t candidates = 0, patterns = 0;
    RunOutcome out = run_units_cli(
        spec,
        [&]() -> std::unique_ptr<search::UnitSearch> {
            auto e = std::make_unique<search::EsmaSearch>([c](slong prec) { return constant_value(c, prec); }, cfg);
            candidates = e->candidates();
            patterns = e->patterns().size();
            return e;
        },
        [&](const search::Progress& p) {
            char buf[200];
            std::snprintf(buf, sizeof buf, "units %llu/%llu, %llu expansions, %llu patterns, %llu conjectures",
                          static_cast<unsigned long long>(p.units_done), static_cast<unsigned long long>(p.units_todo),
                          static_cast<unsigned long long>(p.totals.pcfs),
                          static_cast<unsigned long long>(p.totals.candidates),
                          static_cast<unsigned long long>(p.conjectures));
            return std::string(buf);
        });
    if (out.worker) return;
    const search::Progress& p = out.progress;
    const int64_t run = out.run_id;
    const search::UnitStats& t = p.totals;
    if (args.json) {
        Json j{{"run", run},
               {"db", args.db},
               {"constant", c.str()},
               {"candidates", candidates},
               {"sign_patterns", patterns},
               {"expansions", t.pcfs},
               {"expansions_complete", t.screened},
               {"patterns", t.candidates},
               {"rejected", t.rejected},
               {"conjectures", p.conjectures},
               {"units", out.units_total},
               {"units_run", p.units_done},
               {"seconds", p.seconds}};
        if (!out.ranks.empty()) j["ranks"] = ranks_json(out);
        std::cout << j.dump() << "\n";
    } else {
        std::printf("esma %s: %zu candidates x %zu sign patterns (run %lld in %s)\n", c.str().c_str(), candidates,
                    patterns, static_cast<long long>(run), args.db.c_str());
        std::printf("  expansions  %llu (%llu with %d terms in precision), %.2f s\n", static_cast<unsigned long long>(t.pcfs),
                    static_cast<unsigned long long>(t.screened), cfg.terms, p.seconds);
        std::printf("  patterns    %llu (%llu rejected by re-verification, %llu of them too slow)\n",
                    static_cast<unsigned long long>(t.candidates), static_cast<unsigned long long>(t.rejected),
                    static_cast<unsigned long long>(t.too_slow));
        std::printf("  conjectures %llu new, verified to >= %ld digits at depth >= %lld\n",
                    static_cast<unsigned long long>(p.conjectures), cfg.verify.digits, static_cast<long long>(cfg.verify.min_depth));
        print_ranks(out, "expansion");
        std::printf("Next: convergent query --db %s\n", args.db.c_str());
    }
}

}  // namespace

void setup_esma(CLI::App& app) {
    auto args = std::make_shared<EsmaArgs>();
    CLI::App* sub = app.add_subcommand("esma", "Signed continued fractions + Berlekamp-Massey conjectures (ESMA)");
    sub->add_option("--constant", args->constant, "The constant K: pi, e, zeta3, ...")->required();
    sub->add_option("--deg", args->deg, "Degree of P and Q in the candidates x = P(K)/Q(K)")
        ->check(CLI::Range(1, 3))->default_val(1);
    sub->add_option("--coef", args->coef, "Coefficient range of P and Q, LO:HI")->default_val("-5:5");
    sub->add_option("--max-period", args->max_period, "Sign patterns of period up to this")
        ->check(CLI::Range(1, 4))->default_val(2);
    sub->add_option("--terms", args->terms, "Partial quotients per expansion")->check(CLI::Range(24, 2000))->default_val(100);
    sub->add_option("--verify-digits", args->verify_digits, "Digits a conjecture must hold to")
        ->check(CLI::Range(20L, 100000L))->default_val(100);
    sub->add_option("--verify-depth", args->verify_depth, "Least depth of the exact re-verification")
        ->check(CLI::Range(int64_t{100}, int64_t{10'000'000}))->default_val(1000);
    sub->add_option("--db", args->db, "The database")->default_val("convergent.db");
    sub->add_flag("--resume", args->resume, "Continue the run with the same parameters in --db");
    sub->add_option("--shard", args->shard, "Only work units u with u % N == i (i/N)");
    sub->add_flag("--mpi", args->mpi, "Run under mpirun/srun: rank 0 hands out units and writes, the others compute");
    sub->add_flag("--json", args->json, "Print the summary as JSON");
    add_threads_option(sub, args->threads);
    sub->footer(
        "For every x = P(K)/Q(K), ESMA expands x as a signed continued fraction x = a0 +- 1/(a1 +- 1/(...)) for every\n"
        "periodic sign pattern; short linear recurrences in the partial quotients become PCF conjectures, verified\n"
        "exactly (see docs/ESMA.md).\n"
        "Examples:\n"
        "  convergent esma --constant e --db e.db && convergent query --db e.db --what conjectures\n"
        "  convergent esma --constant pi --coef -3:3 --max-period 2 --db pi.db");
    sub->callback([args] { with_mpi_abort(args->mpi, "esma", [&] { run_esma(*args); }); });
}

}  // namespace cvg::cli
