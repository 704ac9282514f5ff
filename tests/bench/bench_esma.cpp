// ESMA's expand + F_p prefilter stage: candidate expansions per second per core. A "candidate
// expansion" is one x = P(K)/Q(K) expanded to --terms partial quotients for every sign pattern of
// period <= 2, each sequence then run through the Berlekamp–Massey filter over F_p.
//   bench_esma [--constant e] [--terms 100] [--coef 5]
#include "search/esma.hpp"
#include "src/constants.hpp"

#include <oneapi/tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace cvg;

int main(int argc, char** argv) {
    std::string name = "e";
    int terms = 100, coef = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k == "--constant") name = argv[i + 1];
        else if (k == "--terms") terms = std::atoi(argv[i + 1]);
        else if (k == "--coef") coef = std::atoi(argv[i + 1]);
    }
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    search::EsmaConfig cfg;
    cfg.terms = terms;
    cfg.coef_lo = -coef;
    cfg.coef_hi = coef;
    cfg.prefilter_only = true;
    search::EsmaSearch s([name](slong p) { return constant_value(name, p); }, cfg);
    auto t0 = std::chrono::steady_clock::now();
    uint64_t expansions = 0, complete = 0;
    for (uint64_t u = 0; u < s.units(); ++u) {
        search::UnitResult r = s.run_unit(u);
        expansions += r.stats.pcfs;
        complete += r.stats.screened;
    }
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("RESULT peer=convergent workload=esma case=%s terms=%d candidates=%zu patterns=%zu median_s=%.4f "
                "candidates_per_s=%.0f expansions_per_s=%.0f complete=%llu\n",
                name.c_str(), terms, s.candidates(), s.patterns().size(), t, s.candidates() / t, expansions / t,
                static_cast<unsigned long long>(complete));
    return 0;
}
