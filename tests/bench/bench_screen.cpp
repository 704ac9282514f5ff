// Workload "screen": the double-precision screen of a domain at 32 terms (a(0..31), i.e. 31
// recurrence steps, as the Ramanujan Machine's first pass and ../shared/bench/screen_numpy.py),
// one thread; then the whole first pass (screen + left-side lookup, no verification) per core.
// Prints RESULT lines for compare.py.
//   bench_screen [--domain pi|deg12x5] [--reps 3] [--threads 1]
#include "search/domain.hpp"
#include "search/lhs.hpp"
#include "search/mitm.hpp"
#include "src/constants.hpp"
#include "src/screen_batch.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

using namespace cvg;

namespace {

struct Box {
    int a_lo, a_hi, b_lo, b_hi;
};

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

}  // namespace

int main(int argc, char** argv) {
    std::string name = "pi";
    int reps = 3, threads = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k == "--domain") name = argv[i + 1];
        else if (k == "--reps") reps = std::atoi(argv[i + 1]);
        else if (k == "--threads") threads = std::atoi(argv[i + 1]);
    }
    Box box = name == "pi" ? Box{-13, 13, -11, 11} : Box{-5, 5, -5, 5};
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    const int terms = 32, steps = terms - 1;

    // a(n) = a1 n + a0 with a1 >= 1, b(n) = b2 n^2 + b1 n + b0, as screen_common.py
    std::vector<std::vector<double>> as;
    for (int a1 = std::max(1, box.a_lo); a1 <= box.a_hi; ++a1)
        for (int a0 = box.a_lo; a0 <= box.a_hi; ++a0) {
            std::vector<double> a(terms);
            for (int n = 0; n < terms; ++n) a[n] = a1 * n + a0;
            as.push_back(a);
        }
    size_t nb = static_cast<size_t>(box.b_hi - box.b_lo + 1);
    nb = nb * nb * nb;
    std::vector<double> b(static_cast<size_t>(terms) * nb);
    size_t j = 0;
    for (int b2 = box.b_lo; b2 <= box.b_hi; ++b2)
        for (int b1 = box.b_lo; b1 <= box.b_hi; ++b1)
            for (int b0 = box.b_lo; b0 <= box.b_hi; ++b0, ++j)
                for (int n = 0; n < terms; ++n) b[static_cast<size_t>(n) * nb + j] = b2 * n * n + b1 * n + b0;
    double max_a = 0, max_b = 0;
    for (auto& a : as) max_a = std::max(max_a, std::fabs(a.back()));
    for (double x : b) max_b = std::max(max_b, std::fabs(x));
    int every = rescale_interval(max_a, max_b);

    // 1. the screen alone: lanes over 16 b(n) at a time, every a(n) per block (cache-resident)
    std::vector<LaneResult> out(16);
    std::vector<double> times;
    size_t count = 0, finite = 0;
    double checksum = 0;
    for (int r = 0; r < reps; ++r) {
        count = finite = 0;
        checksum = 0;
        double t0 = now();
        for (size_t jb = 0; jb < nb; jb += 16) {
            size_t lanes = std::min<size_t>(16, nb - jb);
            for (const auto& a : as) {
                screen_lanes(a.data(), b.data() + jb, nb, lanes, steps, every, out.data());
                for (size_t k = 0; k < lanes; ++k) {
                    ++count;
                    if (out[k].status == lane_ok) {
                        ++finite;
                        if (std::fabs(out[k].value) < 1e6) checksum += out[k].value;
                    }
                }
            }
        }
        times.push_back(now() - t0);
    }
    std::sort(times.begin(), times.end());
    double med = times[times.size() / 2];
    // arithmetic limit: 4 double operations per PCF-term, 2 FMA units x 4 lanes per cycle
    std::printf("RESULT peer=convergent workload=screen case=%s terms=%d pcfs=%zu reps=%d median_s=%.6f min_s=%.6f "
                "pcfs_per_s=%.4g terms_per_s=%.4g finite=%zu checksum=%.9g threads=%d\n",
                name.c_str(), terms, count, reps, med, times.front(), count / med, count * steps / med, finite,
                checksum, threads);

    // 2. the whole first pass: screen + left-side lookup (|coefficients| <= 20), no verification
    const char* cname = name == "pi" ? "pi" : "e";
    search::Domain d = search::Domain::box({{box.a_lo, box.a_hi}, {std::max(1, box.a_lo), box.a_hi}},
                                           {{box.b_lo, box.b_hi}, {box.b_lo, box.b_hi}, {box.b_lo, box.b_hi}});
    Ball k = constant_value(cname, 128);
    double t_lhs = now();
    search::LhsTable lhs(static_cast<long double>(arf_get_d(arb_midref(k.get()), ARF_RND_NEAR)), 20);
    t_lhs = now() - t_lhs;
    search::MitmConfig cfg;
    cfg.screen_only = true;
    search::MitmSearch s(d, lhs, [cname](slong p) { return constant_value(cname, p); }, cfg);
    double t0 = now();
    std::atomic<uint64_t> pcfs = 0, cands = 0, rescreened = 0;
    tbb::parallel_for(uint64_t{0}, s.units(), [&](uint64_t u) {  // units on --threads threads
        search::UnitResult r = s.run_unit(u);
        pcfs += r.stats.pcfs;
        cands += r.stats.candidates;
        rescreened += r.stats.rescreened;
    });
    double t = now() - t0;
    std::printf("RESULT peer=convergent workload=screen case=%s-first-pass terms=%d pcfs=%llu reps=1 median_s=%.6f "
                "pcfs_per_s=%.4g candidates=%llu rescreened=%llu lhs_size=%zu lhs_build_s=%.3f threads=%d\n",
                name.c_str(), cfg.screen_depth, static_cast<unsigned long long>(pcfs.load()), t, static_cast<double>(pcfs) / t,
                static_cast<unsigned long long>(cands.load()), static_cast<unsigned long long>(rescreened.load()), lhs.size(), t_lhs,
                threads);
    return 0;
}
