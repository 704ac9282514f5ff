// HDBSCAN (src/hdbscan.hpp) on synthetic blind features: `clusters` Gaussian blobs of random
// sizes and widths plus 20% uniform noise in a 5-d box (the default features of `convergent
// cluster`: delta, log rate, fr_k and the two growth coefficients), timed from points to labels. Prints RESULT lines.
//   bench_hdbscan [--points 2000000] [--clusters 500] [--dim 5] [--reps 1]
#include "src/hdbscan.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    size_t n = 2'000'000, clusters = 500, dim = 5;
    int reps = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        long v = std::strtol(argv[i + 1], nullptr, 10);
        if (k == "--points") n = static_cast<size_t>(v);
        else if (k == "--clusters") clusters = static_cast<size_t>(v);
        else if (k == "--dim") dim = static_cast<size_t>(v);
        else if (k == "--reps") reps = static_cast<int>(v);
    }
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> box(0.0, 100.0), width(0.05, 1.0);
    std::vector<double> centre(clusters * dim), sigma(clusters);
    for (auto& c : centre) c = box(rng);
    for (auto& s : sigma) s = width(rng);
    std::vector<double> pts(n * dim);
    std::exponential_distribution<double> size(1.0);
    std::vector<double> weight(clusters);
    for (auto& w : weight) w = size(rng);
    std::discrete_distribution<size_t> pick(weight.begin(), weight.end());
    std::normal_distribution<double> gauss(0.0, 1.0);
    for (size_t i = 0; i < n; ++i) {
        if (i % 5 == 0) {  // noise
            for (size_t d = 0; d < dim; ++d) pts[i * dim + d] = box(rng);
            continue;
        }
        size_t c = pick(rng);
        for (size_t d = 0; d < dim; ++d) pts[i * dim + d] = centre[c * dim + d] + sigma[c] * gauss(rng);
    }
    std::vector<double> secs;
    cvg::HdbscanResult r;
    for (int k = 0; k < reps; ++k) {
        auto t0 = std::chrono::steady_clock::now();
        r = cvg::hdbscan(pts, dim, {});
        secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(secs.begin(), secs.end());
    size_t noise = static_cast<size_t>(std::count(r.labels.begin(), r.labels.end(), -1));
    std::printf("RESULT peer=convergent workload=hdbscan points=%zu dim=%zu blobs=%zu median_s=%.2f clusters=%zu "
                "noise=%zu\n",
                n, dim, clusters, secs[secs.size() / 2], r.count, noise);
}
