// ESMA's expand + F_p prefilter stage: candidate expansions per second per core. A "candidate
// expansion" is one x = P(K)/Q(K) expanded to --terms partial quotients for every sign pattern of
// period <= 2, each sequence then run through the Berlekamp–Massey filter over F_p.
//   bench_esma [--constant e] [--terms 100] [--coef 5] [--reps 5] [--check 1]
// --check 1 also expands every candidate fully with the fast expansion and with the exact
// reference signed_cf (untimed), and reports mismatches (must be 0) and how often the fast path
// restarted at the ball's full precision or needed the exact fallback, and runs the scalar filter
// on every full sequence: its count of passing sequences must equal the timed run's `passed`.
#include "search/esma.hpp"
#include "search/verify.hpp"
#include "src/berlekamp_massey.hpp"
#include "src/constants.hpp"
#include "src/signed_cf_fast.hpp"

#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace cvg;

int main(int argc, char** argv) {
    std::string name = "e";
    int terms = 100, coef = 5, check = 0, reps = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k == "--constant") name = argv[i + 1];
        else if (k == "--terms") terms = std::atoi(argv[i + 1]);
        else if (k == "--coef") coef = std::atoi(argv[i + 1]);
        else if (k == "--check") check = std::atoi(argv[i + 1]);
        else if (k == "--reps") reps = std::max(1, std::atoi(argv[i + 1]));
    }
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    search::EsmaConfig cfg;
    cfg.terms = terms;
    cfg.coef_lo = -coef;
    cfg.coef_hi = coef;
    cfg.prefilter_only = true;
    search::EsmaSearch s([name](slong p) { return constant_value(name, p); }, cfg);
    // median of --reps runs over all candidates (the machine may be shared: single runs are noisy)
    std::vector<double> times;
    uint64_t expansions = 0, complete = 0, filtered = 0;
    for (int rep = 0; rep < reps; ++rep) {
        expansions = complete = filtered = 0;
        auto t0 = std::chrono::steady_clock::now();
        for (uint64_t u = 0; u < s.units(); ++u) {
            search::UnitResult r = s.run_unit(u);
            expansions += r.stats.pcfs;
            complete += r.stats.screened;
            filtered += r.stats.candidates;
        }
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(times.begin(), times.end());
    const double t = times[times.size() / 2];
    std::printf("RESULT peer=convergent workload=esma case=%s terms=%d candidates=%zu patterns=%zu median_s=%.4f "
                "candidates_per_s=%.0f expansions_per_s=%.0f complete=%llu passed=%llu\n",
                name.c_str(), terms, s.candidates(), s.patterns().size(), t, s.candidates() / t, expansions / t,
                static_cast<unsigned long long>(complete), static_cast<unsigned long long>(filtered));
    if (check) {
        const slong prec = 16 * terms + 256;  // as EsmaSearch
        Ball K = constant_value(name, prec);
        uint64_t n = 0, mismatches = 0, restarts = 0, fallbacks = 0, fast_terms = 0, all_terms = 0, passed = 0;
        LinearComplexity61 lc;
        SignedCfExpander ex;
        for (const auto& c : search::esma_candidates(cfg.deg, cfg.coef_lo, cfg.coef_hi)) {
            Ball x = search::relation_value(search::Relation{c.num, c.den}, K, prec);
            for (const SignPattern& sp : s.patterns()) {
                std::vector<int64_t> ref = signed_cf(x, sp, terms), fast;
                ex.start(x, sp, terms);
                for (int64_t a; ex.next(a);) fast.push_back(a);
                ++n;
                mismatches += fast != ref;
                restarts += ex.restarted();
                fallbacks += ex.used_fallback();
                fast_terms += static_cast<uint64_t>(ex.fast_terms());
                all_terms += ref.size();
                lc.reset();  // the filter on the whole sequence (what passes it: the peer's "passed")
                for (int64_t a : ref) lc.push(a);
                passed += static_cast<int>(ref.size()) >= std::min(terms, 40) &&
                          lc.complexity() <= static_cast<int>(ref.size()) / 4 + cfg.max_offset;
            }
        }
        std::printf("CHECK expansions=%llu mismatches=%llu restarts=%llu fallbacks=%llu fast_terms=%llu exact_terms=%llu "
                    "passed=%llu\n",
                    static_cast<unsigned long long>(n), static_cast<unsigned long long>(mismatches), static_cast<unsigned long long>(restarts),
                    static_cast<unsigned long long>(fallbacks), static_cast<unsigned long long>(fast_terms),
                    static_cast<unsigned long long>(all_terms), static_cast<unsigned long long>(passed));
        if (mismatches || passed != filtered) return 1;  // the same terms, the same filter decisions
    }
    return 0;
}
