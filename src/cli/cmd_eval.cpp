// convergent eval: the value of one PCF to digits that are certain.
#include "db/store.hpp"
#include "search/blind.hpp"
#include "src/cli/common.hpp"
#include "src/const_expr.hpp"
#include "src/decimal.hpp"
#include "src/evaluate.hpp"
#include "src/identify.hpp"
#include "src/metrics.hpp"
#include "src/version.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace cvg::cli {
namespace {

struct EvalArgs {
    std::string a, b;
    int64_t depth = 0;
    long digits = 0;
    int64_t max_depth = 10'000'000;
    std::string method = "auto";
    bool exact = false;
    bool json = false;
    bool metrics = false;
    bool identify = false;
    std::string limit, constant;
    bool limit_given = false;
    std::string db;
    int threads = 0;
};

std::string error_text(double log10_error) {
    if (log10_error == -INFINITY) return "0 (exact)";
    if (!std::isfinite(log10_error)) return "unknown";
    double e = std::floor(log10_error);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1fe%+.0f", std::pow(10.0, log10_error - e), e);
    return buf;
}

std::string reduced_fraction(const Convergents& c) {
    Int g, p, q;
    fmpz_gcd(g.get(), c.p.get(), c.q.get());
    fmpz_divexact(p.get(), c.p.get(), g.get());
    fmpz_divexact(q.get(), c.q.get(), g.get());
    if (q.sign() < 0) { fmpz_neg(p.get(), p.get()); fmpz_neg(q.get(), q.get()); }
    return p.str() + "/" + q.str();
}

Json number_or_null(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

void add_metrics_json(Json& j, const Metrics& m) {
    j["metrics_depth"] = m.depth;
    j["limit_source"] = m.limit_source;
    if (m.limit_depth) {
        j["limit_depth"] = m.limit_depth;
        j["limit_reliable"] = m.limit_reliable;
    }
    if (!m.ok) {
        j["metrics_note"] = m.note;
        j["delta"] = nullptr;
        return;
    }
    j["delta"] = number_or_null(m.delta);
    j["delta_trajectory"] = search::trajectory_json(m);
    j["rate"] = number_or_null(m.rate);
    j["convergence"] = m.convergence;
    j["fr_k"] = number_or_null(m.fr_k);
    j["fr_stable"] = m.fr_stable;
    j["fr_k_fit"] = number_or_null(m.fr_k_fit);
    j["growth"] = Json{{"n_log_n", number_or_null(m.growth_nlogn)}, {"n", number_or_null(m.growth_n)}};
}

void print_metrics(const Metrics& m) {
    if (!m.ok) {
        std::cout << "metrics     none: " << m.note << "\n";
        return;
    }
    char buf[256];
    std::snprintf(buf, sizeof buf, "%.5f at depth %llu (limit: %s", m.delta,
                  static_cast<unsigned long long>(m.depth), m.limit_source.c_str());
    std::cout << "delta       " << buf;
    if (m.limit_depth) std::cout << " from depth " << m.limit_depth;
    std::cout << ")";
    if (!m.limit_reliable) std::cout << " UNRELIABLE: the blind limit is not much closer than x_N (slow convergence)";
    std::cout << "\ntrajectory ";
    for (const MetricsPoint& p : m.trajectory) {
        if (std::isfinite(p.delta)) std::snprintf(buf, sizeof buf, " %llu:%.4f", static_cast<unsigned long long>(p.n), p.delta);
        else std::snprintf(buf, sizeof buf, " %llu:undefined", static_cast<unsigned long long>(p.n));  // q'_n = 1, or x_n = L
        std::cout << buf;
    }
    std::snprintf(buf, sizeof buf, "\nrate        %.4g digits/term (%s)\nFR          k = %.4f (%s)",
                  m.rate, m.convergence.c_str(), m.fr_k, m.fr_stable ? "stable" : "not stable");
    std::cout << buf;
    if (std::isfinite(m.fr_k_fit)) {
        std::snprintf(buf, sizeof buf, "; fitted over the trajectory, ln gcd ~ %.4f (n ln n - n) + c n", m.fr_k_fit);
        std::cout << buf;
    }
    std::snprintf(buf, sizeof buf, "\ngrowth      ln q' = %.4f n ln n %+.4f n\n", m.growth_nlogn, m.growth_n);
    std::cout << buf;
}

db::PcfRow pcf_row(const Pcf& pcf) {
    return db::PcfRow{pcf.a.to_list(), pcf.b.to_list(), pcf.a.to_expr(), pcf.b.to_expr(), pcf.a.degree(),
                      pcf.b.degree()};
}

void store_evaluation(db::Store& store, const EvalArgs& args, const Pcf& pcf, const EvalResult& r,
                      const std::optional<Metrics>& met, double wall_seconds, double cpu_seconds) {
    Json params{{"a", pcf.a.to_list()}, {"b", pcf.b.to_list()}, {"depth", args.depth}, {"digits", args.digits},
                {"max_depth", args.max_depth}, {"metrics", args.metrics}, {"limit", args.limit},
                {"constant", args.constant}};
    int64_t run = store.begin_run({"eval", params.dump(), CONVERGENT_VERSION, 1});
    db::Batch b;
    b.run_id = run;
    db::EvaluationRow e;
    e.pcf = pcf_row(pcf);
    e.depth = r.depth;
    e.converges = r.converges;
    e.digits = r.value.count();
    if (r.converges) {
        e.value = r.value.str();
        e.value_approx = arf_get_d(arb_midref(r.ball.get()), ARF_RND_NEAR);
    }
    e.convergence = r.convergence;
    e.rate = r.digits_per_term;
    if (met && met->ok) search::put_metrics(e, *met);
    b.evaluations.push_back(std::move(e));
    b.unit = db::WorkUnitRow{0, 1, std::nullopt, std::nullopt, std::nullopt};
    store.write(b);
    store.finish_run(run, "finished", wall_seconds, cpu_seconds);
}

// --constant K: the limit as the relation identify accepts for the value over K alone
ConstExpr limit_over_constant(const EvalResult& r, const std::string& constant) {
    try {
        ConstExpr::parse(constant);
    } catch (const ParseError& e) {
        throw UsageError("--constant", e.what());
    }
    if (r.converges && r.value.count() > 0) {
        IdentifyOptions io;
        io.basis = {constant};
        std::vector<Finding> found = find_relations(parse_decimal_target(r.value.str()), io);
        accept_decimal(found);
        for (const Finding& f : found)
            if (f.accepted) return ConstExpr::parse(f.relation.text());
    }
    throw RuntimeFailure("--constant: the limit is no Moebius transform of " + constant + " to the " +
                         std::to_string(r.value.count()) + " certain digits; give the limit with --limit");
}

// A given limit must lie in the enclosure of the value (its certain digits): a wrong one would
// give a delta of nothing.
void check_limit(const ConstExpr& limit, const EvalResult& r) {
    if (!r.converges) return;
    Ball L;
    try {
        L = limit.value(bits_for_digits(r.value.count()) + 64);
    } catch (const std::exception& e) {
        throw UsageError("--limit", limit.text() + ": " + e.what());
    }
    if (!arb_is_finite(L.get())) throw UsageError("--limit", limit.text() + " is not a finite number");
    if (!arb_overlaps(L.get(), r.ball.get()))
        throw UsageError("--limit", limit.text() + " disagrees with the value of the PCF, " +
                                     r.value.str().substr(0, 30) + (r.value.str().size() > 30 ? "..." : "") + " (" +
                                     std::to_string(r.value.count()) + " certain digits)");
}

void run_eval(const EvalArgs& args) {
    Pcf pcf{parse_poly_arg("--a", args.a), parse_poly_arg("--b", args.b)};
    if (args.depth > args.max_depth)
        throw UsageError("--depth", "is larger than --max-depth " + std::to_string(args.max_depth));
    std::optional<ConstExpr> limit;
    if (args.limit_given) {
        try {
            limit = ConstExpr::parse(args.limit);
        } catch (const ParseError& e) {
            throw UsageError("--limit", e.what());
        }
    }
    auto threads = apply_threads(args.threads);
    std::optional<db::Store> store;  // opened first: a file that is no database fails before the work
    if (!args.db.empty()) store.emplace(args.db, db::Store::Open::read_write);
    auto t0 = std::chrono::steady_clock::now();
    std::clock_t cpu0 = std::clock();

    EvalOptions opt;
    opt.depth = static_cast<uint64_t>(args.depth);
    opt.digits = args.digits > 0 ? args.digits : 50;
    opt.max_depth = static_cast<uint64_t>(args.max_depth);
    opt.keep_exact = args.exact;
    opt.method = args.method == "exact" ? EvalMethod::exact
               : args.method == "mpfr"  ? EvalMethod::mpfr
                                        : EvalMethod::automatic;
    Progress progress("eval");
    opt.progress = [&](const std::string& s) { progress.update(s); };
    EvalResult r = evaluate(pcf, opt);
    std::optional<Metrics> met;
    if (args.metrics) {
        MetricsOptions mo;
        mo.depth = r.depth;
        if (!args.constant.empty()) {
            limit = limit_over_constant(r, args.constant);
            mo.limit_source = "constant:" + args.constant;
        } else if (limit) {
            check_limit(*limit, r);
            mo.limit_source = "given:" + limit->text();
        }
        if (limit) mo.limit = [&](slong prec) { return limit->value(prec); };
        mo.progress = opt.progress;
        if (r.converges) {
            met = compute_metrics(pcf, mo);
        } else {  // no digit is certain: there is no limit to measure against
            met = Metrics{};
            met->depth = r.depth;
            met->limit_source = mo.limit_source;
            met->note = "the fraction does not converge (no certain digit at depth " + std::to_string(r.depth) + ")";
        }
    }
    progress.done();
    if (store)
        store_evaluation(*store, args, pcf, r, met,
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                         static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC);
    const std::string convergence = met && met->ok ? met->convergence : r.convergence;  // the fit, when there is one

    if (args.json) {
        Json j;
        j["a"] = pcf.a.to_expr();
        j["b"] = pcf.b.to_expr();
        j["a_coeffs"] = coeffs_json(pcf.a);
        j["b_coeffs"] = coeffs_json(pcf.b);
        j["depth"] = r.depth;
        j["digits"] = r.value.count();
        j["value"] = r.converges ? Json(r.value.str()) : Json(nullptr);
        j["converges"] = r.converges;
        if (r.value.rounded) j["rounded"] = true;  // digits rounded to nearest, not truncated
        j["convergence"] = convergence;
        j["digits_per_term"] = r.digits_per_term;
        j["log10_error"] = std::isfinite(r.log10_error) ? Json(r.log10_error) : Json(nullptr);
        j["error_model"] = r.error_model;
        j["method"] = r.method;
        j["terminated"] = r.terminated;
        if (r.terminated) {
            j["termination_index"] = r.termination_index;
            if (r.converges) j["rational"] = reduced_fraction(*r.exact);
        }
        if (r.exact && args.exact) {
            j["p"] = r.exact->p.str();
            j["q"] = r.exact->q.str();
        }
        if (met) add_metrics_json(j, *met);
        if (limit) j["limit"] = limit->text();
        if (args.identify && r.converges) identify_after_eval(pcf.a, pcf.b, true, &j);
        if (!r.note.empty()) j["note"] = r.note;
        std::cout << j.dump() << "\n";
    } else {
        std::cout << "a(n)        " << pcf.a.to_expr() << "\n"
                  << "b(n)        " << pcf.b.to_expr() << "\n"
                  << "value       " << (r.converges ? r.value.str() : "none (does not converge)") << "\n"
                  << "digits      " << r.value.count() << " certain"
                  << (r.value.rounded ? " (rounded: the value is at a decimal boundary)" : "") << "\n"
                  << "depth       " << r.depth << " (" << r.method << ")\n";
        std::cout << "convergence " << convergence;
        if (r.digits_per_term > 0 && !r.terminated) {
            char buf[64];
            std::snprintf(buf, sizeof buf, ", %.4g digits/term", r.digits_per_term);
            std::cout << buf;
        }
        std::cout << "; error bound " << error_text(r.log10_error) << " (" << r.error_model << ")\n";
        if (r.terminated && r.exact && r.converges) std::cout << "rational    " << reduced_fraction(*r.exact) << "\n";
        if (met) print_metrics(*met);
        if (r.exact && args.exact) std::cout << "p           " << r.exact->p.str() << "\n"
                               << "q           " << r.exact->q.str() << "\n";
        if (args.identify && r.converges) identify_after_eval(pcf.a, pcf.b, false, nullptr);
    }
    if (!r.note.empty() && (!r.converges || (args.depth == 0 && r.value.count() < opt.digits) || r.terminated))
        std::fprintf(stderr, "convergent eval: %s\n", r.note.c_str());
}

}  // namespace

void setup_eval(CLI::App& app) {
    auto args = std::make_shared<EvalArgs>();
    CLI::App* sub = app.add_subcommand("eval", "Evaluate one PCF to digits that are certain");
    sub->add_option("--a", args->a, "a(n), a polynomial in n, e.g. \"34n^3+51n^2+27n+5\"")->required();
    sub->add_option("--b", args->b, "b(n), a polynomial in n, e.g. \"-n^6\"")->required();
    auto* depth = sub->add_option("--depth", args->depth, "Evaluate at exactly this depth N")
                      ->check(CLI::Range(int64_t{1}, int64_t{1'000'000'000}));
    auto* digits = sub->add_option("--digits", args->digits,
                                   "Deepen until this many significant digits are certain (default 50)")
                       ->check(CLI::Range(1L, 100'000'000L));
    depth->excludes(digits);
    sub->add_option("--max-depth", args->max_depth, "Deepest evaluation for --digits")
        ->check(CLI::Range(int64_t{4}, int64_t{1'000'000'000}))
        ->default_val(10'000'000);
    sub->add_option("--method", args->method, "auto, exact (binary splitting) or mpfr (recurrence)")
        ->check(CLI::IsMember({"auto", "exact", "mpfr"}))
        ->default_val("auto");
    sub->add_flag("--exact", args->exact, "Also print the exact convergent p_N, q_N");
    sub->add_flag("--json", args->json, "Print one JSON object");
    sub->add_flag("--identify", args->identify, "Then identify the limit (as 'convergent identify --a --b', docs/IDENTIFY.md)");
    CLI::Option* metrics = sub->add_flag("--metrics", args->metrics,
                  "Convergence dynamics at the depth used: delta and its trajectory, rate, type, "
                  "factorial reduction, growth");
    CLI::Option* limit = sub->add_option("--limit", args->limit,
                    "The limit for --metrics as a closed form, e.g. \"6/zeta3\", \"4/pi+1\" (default: blind, "
                    "from a convergent twice as deep); it must agree with the certain digits")
                          ->needs(metrics);
    sub->add_option("--constant", args->constant,
                    "The limit for --metrics is a Moebius transform of this constant, found by identify "
                    "(e.g. zeta3 for 6/zeta3)")
        ->excludes(limit)
        ->needs(metrics);
    sub->add_option("--db", args->db, "Store the evaluation in this SQLite database");
    add_threads_option(sub, args->threads);
    sub->footer(
        "PCF convention: a(0) + b(1)/(a(1) + b(2)/(a(2) + ...)).\n"
        "Only certain digits are printed: truncated, or rounded for a value at a decimal boundary\n"
        "(see docs/EVALUATION.md).\n"
        "Examples:\n"
        "  convergent eval --a \"34n^3+51n^2+27n+5\" --b \"-n^6\" --digits 1000   # 6/zeta(3)\n"
        "  convergent eval --a 2 --b \"(2n-1)^2\" --depth 100000                  # 4/pi + 1\n"
        "  convergent eval --a \"n+3\" --b \"-n\" --json --exact --depth 20\n"
        "  convergent eval --a \"34n^3+51n^2+27n+5\" --b \"-n^6\" --depth 500 --metrics --limit \"6/zeta3\"\n"
        "  convergent eval --a 2 --b 1 --depth 1000 --metrics --db results.db        # blind delta, stored");
    sub->callback([args, limit] {
        args->limit_given = limit->count() > 0;
        run_eval(*args);
    });
}

}  // namespace cvg::cli
