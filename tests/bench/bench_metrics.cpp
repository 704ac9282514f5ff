// Convergence metrics per second per core (blind delta with its trajectory, rate and type,
// factorial reduction, growth) over PCFs with a, b of degree 2 and small coefficients; then, for
// the same PCFs, the time of the exact p_N, q_N alone (binary splitting) and of one exact
// gcd(p_N, q_N) alone: together the floor under delta at depth N, without any trajectory.
//   bench_metrics [--depth N] [--count C] [--checkpoints K]
#include "src/exact.hpp"
#include "src/metrics.hpp"

#include <oneapi/tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

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
    std::vector<Pcf> pcfs;
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
        pcfs.push_back(p);
        if (m.ok) ++measured;
        if (done > 20 * count) break;
    }
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // the floor under it: p_N, q_N and one exact gcd(p_N, q_N) per PCF (the same PCFs), which FR and delta need
    double t_gcd = 0, t_conv = 0;
    for (const Pcf& p : pcfs) {
        auto c0 = std::chrono::steady_clock::now();
        Convergents c = convergents(p, depth);
        t_conv += std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
        Int g;
        auto g0 = std::chrono::steady_clock::now();
        fmpz_gcd(g.get(), c.p.get(), c.q.get());
        t_gcd += std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
    }
    std::printf("RESULT peer=convergent workload=metrics case=deg2_coef5 depth=%llu checkpoints=%d pcfs=%d "
                "converging=%d median_s=%.4f pcfs_per_s=%.0f gcd_at_depth_ms=%.3f convergents_at_depth_ms=%.3f\n",
                static_cast<unsigned long long>(depth), checkpoints, done, measured, t, done / t,
                1e3 * t_gcd / static_cast<double>(pcfs.size()), 1e3 * t_conv / static_cast<double>(pcfs.size()));
    return 0;
}
