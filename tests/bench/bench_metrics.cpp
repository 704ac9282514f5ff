// Convergence metrics per second per core (blind delta with its trajectory, rate and type,
// factorial reduction, growth) over PCFs with a, b of degree 2 and small coefficients.
//   bench_metrics [--depth N] [--count C] [--checkpoints K]
#include "src/metrics.hpp"

#include <oneapi/tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <string>

using namespace cvg;

int main(int argc, char** argv) {
    uint64_t depth = 2000;
    int count = 200, checkpoints = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        long v = std::strtol(argv[i + 1], nullptr, 10);
        if (k == "--depth") depth = static_cast<uint64_t>(v);
        else if (k == "--count") count = static_cast<int>(v);
        else if (k == "--checkpoints") checkpoints = static_cast<int>(v);
    }
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    // a deterministic walk over a, b of degree 2 with coefficients in [-5, 5], convergent ones kept
    int done = 0, measured = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (uint64_t i = 0; measured < count; ++i) {
        uint64_t x = i * 2654435761u % 1771561;  // 11^6 combinations
        auto c = [&](int k) { return static_cast<slong>((x / static_cast<uint64_t>(std::pow(11, k))) % 11) - 5; };
        Pcf p{Poly::from_si({c(0), c(1), c(2)}), Poly::from_si({c(3), c(4), c(5)})};
        if (p.a.degree() < 1 || p.b.is_zero()) continue;
        MetricsOptions o;
        o.depth = depth;
        o.checkpoints = checkpoints;
        Metrics m = compute_metrics(p, o);
        ++done;
        if (m.ok) ++measured;
        if (done > 20 * count) break;
    }
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("RESULT peer=convergent workload=metrics case=deg2_coef5 depth=%llu checkpoints=%d pcfs=%d "
                "converging=%d median_s=%.4f pcfs_per_s=%.0f\n",
                static_cast<unsigned long long>(depth), checkpoints, done, measured, t, done / t);
    return 0;
}
