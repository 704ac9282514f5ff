// convergent search: meet-in-the-middle search for PCF formulas of a constant.
#include "db/store.hpp"
#include "search/domain.hpp"
#include "search/lhs.hpp"
#include "search/mitm.hpp"
#include "search/presets.hpp"
#include "search/runner.hpp"
#include "src/cli/common.hpp"
#include "src/cli/domain_args.hpp"
#include "src/cli/run_units.hpp"
#include "src/constants.hpp"
#include "src/decimal.hpp"
#include "src/real.hpp"
#include "src/version.hpp"

#include <oneapi/tbb/info.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <iostream>

namespace cvg::cli {
namespace {

struct SearchArgs {
    std::string constant, constant_value, name = "user";
    std::string preset;
    DomainArgs dom;
    int lhs_coef = 20;
    int screen_depth = 32;
    int rescreen_depth = 256;
    long verify_digits = 100;
    int64_t verify_depth = 1000;
    std::string db = "convergent.db";
    bool resume = false;
    bool mpi = false;
    std::string shard;
    int threads = 0;
    bool json = false;
};

// "@file" or the text itself: a decimal number with at least 50 significant digits.
std::string read_digits(const std::string& arg) {
    if (arg.empty() || arg[0] != '@') return arg;
    std::string s;
    for (char c : read_arg_file("--constant-value", arg.substr(1)))
        if (!std::isspace(static_cast<unsigned char>(c))) s += c;
    return s;
}

// Parses a decimal string into a ball whose radius is one unit of its last digit (the digits may
// be truncated or rounded); returns the number of significant digits.
long decimal_ball(const std::string& s, Ball& out) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t digits = 0, significant = 0;
    bool point = false, nonzero = false;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (c == '.' && !point) { point = true; continue; }
        if (!std::isdigit(static_cast<unsigned char>(c)))
            throw UsageError("--constant-value", "not a decimal number (unexpected '" + std::string(1, c) + "')");
        ++digits;
        if (c != '0') nonzero = true;
        if (nonzero) ++significant;
    }
    if (digits == 0 || !nonzero) throw UsageError("--constant-value", "not a nonzero decimal number");
    slong prec = bits_for_digits(static_cast<long>(digits) + 20);
    if (arb_set_str(out.get(), s.c_str(), prec) != 0) throw UsageError("--constant-value", "not a decimal number");
    // radius: one unit in the last place given
    size_t dot = s.find('.');
    long decimals = dot == std::string::npos ? 0 : static_cast<long>(s.size() - dot - 1);
    Ball ulp;
    arb_set_ui(ulp.get(), 10);
    arb_pow_ui(ulp.get(), ulp.get(), static_cast<ulong>(decimals), prec);
    arb_inv(ulp.get(), ulp.get(), prec);
    arb_add_error(out.get(), ulp.get());
    return static_cast<long>(significant);
}

std::string fmt_count(double x) {
    char buf[32];
    if (x >= 1e9) std::snprintf(buf, sizeof buf, "%.2fG", x / 1e9);
    else if (x >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", x / 1e6);
    else if (x >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", x / 1e3);
    else std::snprintf(buf, sizeof buf, "%.0f", x);
    return buf;
}

void run_search(SearchArgs args, const CLI::App& sub) {
    // The domain: a preset, a domain file, or --a-deg/--a-coef/--b-deg/--b-coef.
    std::optional<search::Domain> domain;
    if (!args.preset.empty()) {
        const search::Preset* p = search::find_preset(args.preset);
        if (!p) throw UsageError("--preset", "unknown preset '" + args.preset + "' (" + search::preset_names() + ")");
        domain = search::Domain::from_json(nlohmann::ordered_json::parse(p->domain));
        if (args.constant.empty() && args.constant_value.empty()) args.constant = p->constant;
        if (sub.count("--lhs-coef") == 0) args.lhs_coef = p->lhs_coef;
    }
    if (auto d = domain_from_args(args.dom)) {
        if (domain) throw UsageError("--preset", "give either --preset or a domain (--domain, --a-deg ...)");
        domain = std::move(d);
    }
    if (!domain) throw UsageError("", "no domain: give --preset, --domain FILE, or --a-deg/--a-coef/--b-deg/--b-coef");

    // The constant: a named one, or digits given by the user.
    std::string constant_name;
    search::ConstantFn constant;
    long double constant_ld = 0;
    long verify_digits = args.verify_digits;
    if (!args.constant.empty() && !args.constant_value.empty())
        throw UsageError("--constant", "give either --constant or --constant-value");
    if (!args.constant.empty()) {
        ConstantExpr c;
        try {
            c = parse_constant(args.constant);
        } catch (const ParseError& e) {
            throw UsageError("--constant", e.what());
        }
        constant_name = c.str();
        constant = [c](slong prec) { return constant_value(c, prec); };
    } else if (!args.constant_value.empty()) {
        auto ball = std::make_shared<Ball>();
        long given = decimal_ball(read_digits(args.constant_value), *ball);
        if (given < 50) throw UsageError("--constant-value", "needs at least 50 significant digits (got " + std::to_string(given) + ")");
        if (verify_digits > given - 5) {
            verify_digits = given - 5;
            std::fprintf(stderr, "convergent search: verifying to %ld digits (the constant has %ld)\n", verify_digits, given);
        }
        constant_name = args.name;
        constant = [ball](slong) { return *ball; };
    } else {
        throw UsageError("--constant", "is required (or --constant-value, or a --preset)");
    }
    {
        // the left side is built from K as a long double (64-bit mantissa)
        Ball k = constant(128);
        Real m(64);
        arf_get_mpfr(m.get(), arb_midref(k.get()), MPFR_RNDN);
        constant_ld = mpfr_get_ld(m.get(), MPFR_RNDN);
    }
    std::optional<std::pair<uint64_t, uint64_t>> shard;
    if (!args.shard.empty()) shard = parse_shard("--shard", args.shard);

    search::MitmConfig cfg;
    cfg.screen_depth = args.screen_depth;
    cfg.rescreen_depth = args.rescreen_depth;
    cfg.verify.digits = verify_digits;
    cfg.verify.min_depth = static_cast<uint64_t>(args.verify_depth);

    nlohmann::ordered_json params;
    params["domain"] = domain->to_json();
    params["constant"] = constant_name;
    if (!args.constant_value.empty()) params["constant_digits_hash"] = db::params_hash(read_digits(args.constant_value));
    params["lhs_coef"] = args.lhs_coef;
    params["screen_depth"] = cfg.screen_depth;
    params["rescreen_depth"] = cfg.rescreen_depth;
    params["verify_digits"] = cfg.verify.digits;
    params["verify_depth"] = cfg.verify.min_depth;
    params["unit_size"] = search::unit_size_for(*domain);
    std::string params_text = params.dump();

    auto threads = apply_threads(args.threads);
    RunSpec spec{"search", params_text, args.db, constant_name, args.resume, args.mpi, shard};
    // the search owns its left-side table
    struct OwnedMitm : search::UnitSearch {
        search::LhsTable lhs;
        search::MitmSearch mitm;
        double lhs_seconds;
        OwnedMitm(long double k, int R, const search::Domain& d, search::ConstantFn c, search::MitmConfig cfg,
                  std::chrono::steady_clock::time_point t0)
            : lhs(k, R), mitm(d, lhs, std::move(c), cfg),
              lhs_seconds(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()) {}
        uint64_t units() const override { return mitm.units(); }
        search::UnitResult run_unit(uint64_t u) const override { return mitm.run_unit(u); }
        const char* method() const override { return mitm.method(); }
    };
    size_t lhs_size = 0;
    double lhs_seconds = 0;
    RunOutcome out = run_units_cli(
        spec,
        [&]() -> std::unique_ptr<search::UnitSearch> {
            auto o = std::make_unique<OwnedMitm>(constant_ld, args.lhs_coef, *domain, constant, cfg,
                                                 std::chrono::steady_clock::now());
            lhs_size = o->lhs.size();
            lhs_seconds = o->lhs_seconds;
            return o;
        },
        [&](const search::Progress& p) {
            double rate = p.seconds > 0 ? static_cast<double>(p.totals.pcfs) / p.seconds : 0;
            double eta = p.units_done ? p.seconds * static_cast<double>(p.units_todo - p.units_done) /
                                            static_cast<double>(p.units_done)
                                      : 0;
            char buf[256];
            std::snprintf(buf, sizeof buf, "units %llu/%llu, %s PCF/s, %llu candidates, %llu conjectures, ETA %.0f s",
                          static_cast<unsigned long long>(p.units_done), static_cast<unsigned long long>(p.units_todo),
                          fmt_count(rate).c_str(), static_cast<unsigned long long>(p.totals.candidates),
                          static_cast<unsigned long long>(p.conjectures), eta);
            return std::string(buf);
        });
    if (out.worker) return;
    const search::Progress& p = out.progress;
    const int64_t run_id = out.run_id;
    const uint64_t units = out.units_total;
    const size_t units_done_total = out.units_done_total;
    const search::UnitStats& t = p.totals;
    if (args.json) {
        Json j;
        j["run"] = run_id;
        j["db"] = args.db;
        j["constant"] = constant_name;
        j["domain_size"] = domain->size();
        j["units"] = units;
        j["units_run"] = p.units_done;
        j["units_done_total"] = units_done_total;
        j["pcfs"] = t.pcfs;
        j["screened"] = t.screened;
        j["rescreened"] = t.rescreened;
        j["skipped"] = {{"terminated", t.terminated}, {"overflow", t.overflow}, {"q_zero", t.q_zero}, {"unconverged", t.unconverged}};
        j["candidates"] = t.candidates;
        j["rejected"] = t.rejected;
        j["too_slow"] = t.too_slow;
        j["conjectures"] = p.conjectures;
        j["lhs_size"] = lhs_size;
        j["seconds"] = p.seconds + lhs_seconds;
        if (!out.ranks.empty()) j["ranks"] = ranks_json(out);
        std::cout << j.dump() << "\n";
    } else {
        std::printf("search %s over %s PCFs (%llu units, run %lld in %s)\n", constant_name.c_str(),
                    fmt_count(static_cast<double>(domain->size())).c_str(), static_cast<unsigned long long>(units),
                    static_cast<long long>(run_id), args.db.c_str());
        std::printf("  left side   %zu transforms, |coefficients| <= %d (%.2f s)\n", lhs_size, args.lhs_coef, lhs_seconds);
        std::printf("  screened    %llu PCFs in %llu units (%.2f s, %s PCF/s)\n", static_cast<unsigned long long>(t.pcfs),
                    static_cast<unsigned long long>(p.units_done), p.seconds,
                    fmt_count(p.seconds > 0 ? static_cast<double>(t.pcfs) / p.seconds : 0).c_str());
        std::printf("  skipped     %llu terminating, %llu overflow, %llu q=0, %llu not converged at depth %d "
                    "(%llu slow ones screened again at depth %d)\n",
                    static_cast<unsigned long long>(t.terminated), static_cast<unsigned long long>(t.overflow),
                    static_cast<unsigned long long>(t.q_zero), static_cast<unsigned long long>(t.unconverged), cfg.screen_depth,
                    static_cast<unsigned long long>(t.rescreened), cfg.rescreen_depth);
        std::printf("  candidates  %llu (%llu rejected by re-verification: %llu no relation, %llu converge too slowly "
                    "to certify %ld digits by depth %llu)\n",
                    static_cast<unsigned long long>(t.candidates), static_cast<unsigned long long>(t.rejected),
                    static_cast<unsigned long long>(t.rejected - t.too_slow), static_cast<unsigned long long>(t.too_slow),
                    cfg.verify.digits, static_cast<unsigned long long>(cfg.verify.max_depth));
        std::printf("  conjectures %llu new, verified to >= %ld digits at depth >= %lld\n",
                    static_cast<unsigned long long>(p.conjectures), cfg.verify.digits, static_cast<long long>(cfg.verify.min_depth));
        std::printf("  units done  %zu of %llu%s\n", units_done_total, static_cast<unsigned long long>(units),
                    shard ? " (this shard covers part of them)" : "");
        print_ranks(out, "PCF");
        std::printf("Next: convergent query --db %s\n", args.db.c_str());
    }
}

}  // namespace

void setup_search(CLI::App& app) {
    auto args = std::make_shared<SearchArgs>();
    CLI::App* sub = app.add_subcommand("search", "Meet-in-the-middle search for PCF formulas of a constant");
    sub->add_option("--constant", args->constant, "Target constant: pi, e, zeta3, catalan, pi^2, ...");
    sub->add_option("--constant-value", args->constant_value, "Your own constant: >= 50 digits, or @file");
    sub->add_option("--name", args->name, "Name stored for --constant-value")->default_val("user");
    sub->add_option("--preset", args->preset, "A published domain: " + search::preset_names());
    add_domain_options(sub, args->dom, false);
    sub->add_option("--lhs-coef", args->lhs_coef, "Bound R on the Mobius coefficients of the left side")
        ->check(CLI::Range(1, 200))->default_val(20);
    sub->add_option("--screen-depth", args->screen_depth, "Depth of the double-precision screen")
        ->check(CLI::Range(8, 1000))->default_val(32);
    sub->add_option("--rescreen-depth", args->rescreen_depth,
                    "Screen slowly converging PCFs again this deep (0: skip them)")
        ->check(CLI::Range(0, 100000))->default_val(256);
    sub->add_option("--verify-digits", args->verify_digits, "Digits a relation must hold to")
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
        "Examples:\n"
        "  convergent search --preset pi --db pi.db && convergent query --db pi.db\n"
        "  convergent search --constant pi --a-deg 1 --a-coef -13:13 --b-deg 2 --b-coef -11:11 --db pi.db\n"
        "  convergent search --constant zeta3 --domain zeta3.json --db z3.db --shard 3/8\n"
        "  mpirun -n 8 convergent search --preset pi --mpi --db pi.db\n"
        "  convergent search --constant-value @myconst.txt --name mine --a-deg 2 --a-coef -5:5 --b-deg 2 --b-coef -5:5");
    sub->callback([args, sub] { with_mpi_abort(args->mpi, "search", [&] { run_search(*args, *sub); }); });
}

}  // namespace cvg::cli
