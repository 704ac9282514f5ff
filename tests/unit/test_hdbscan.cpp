#include "src/hdbscan.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <algorithm>
#include <map>
#include <set>

using namespace cvg;

namespace {

// `per` points in a Gaussian blob around each centre, plus `noise` uniform points
std::vector<double> blobs(const std::vector<std::vector<double>>& centres, size_t per, double sigma, size_t noise,
                          uint64_t seed, std::vector<int>& truth) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g(0.0, sigma);
    std::uniform_real_distribution<double> u(-20.0, 20.0);
    std::vector<double> pts;
    for (size_t c = 0; c < centres.size(); ++c)
        for (size_t i = 0; i < per; ++i) {
            for (double x : centres[c]) pts.push_back(x + g(rng));
            truth.push_back(static_cast<int>(c));
        }
    for (size_t i = 0; i < noise; ++i) {
        for (size_t d = 0; d < centres[0].size(); ++d) pts.push_back(u(rng));
        truth.push_back(-1);
    }
    return pts;
}

}  // namespace

TEST_CASE("hdbscan: separated blobs are found, scattered points are noise", "[cluster]") {
    std::vector<int> truth;
    auto pts = blobs({{0, 0, 0}, {10, 0, 0}, {0, 10, 5}, {-8, -8, 8}}, 300, 0.5, 60, 1, truth);
    HdbscanOptions o;
    o.min_cluster_size = 20;
    HdbscanResult r = hdbscan(pts, 3, o);
    REQUIRE(r.count == 4);
    // each true blob maps to exactly one found cluster, with almost all of its points
    for (int c = 0; c < 4; ++c) {
        std::map<int, int> votes;
        for (size_t i = 0; i < truth.size(); ++i)
            if (truth[i] == c) ++votes[r.labels[i]];
        auto best = std::max_element(votes.begin(), votes.end(), [](auto& a, auto& b) { return a.second < b.second; });
        CHECK(best->first >= 0);
        CHECK(best->second >= 280);
    }
    size_t noise_as_noise = 0;
    for (size_t i = 0; i < truth.size(); ++i)
        if (truth[i] < 0 && r.labels[i] < 0) ++noise_as_noise;
    CHECK(noise_as_noise >= 35);
    for (double p : r.probability) CHECK((p >= 0 && p <= 1));
}

TEST_CASE("hdbscan: a blob with no dense part of min_cluster_size inside it is one cluster", "[cluster]") {
    std::vector<int> truth;
    auto pts = blobs({{0, 0}}, 500, 1.0, 0, 2, truth);
    HdbscanOptions o;
    o.min_cluster_size = 200;
    HdbscanResult r = hdbscan(pts, 2, o);
    CHECK(r.count == 1);
    size_t in = std::count(r.labels.begin(), r.labels.end(), 0);
    CHECK(in >= 400);
}

TEST_CASE("hdbscan: deterministic and small inputs", "[cluster]") {
    std::vector<int> truth;
    auto pts = blobs({{0, 0}, {5, 5}}, 50, 0.3, 10, 3, truth);
    HdbscanOptions o;
    o.min_cluster_size = 15;
    HdbscanResult a = hdbscan(pts, 2, o), b = hdbscan(pts, 2, o);
    CHECK(a.labels == b.labels);
    CHECK(a.count == 2);
    HdbscanResult empty = hdbscan({}, 2, HdbscanOptions{});
    CHECK(empty.count == 0);
    HdbscanResult few = hdbscan({0, 0, 1, 1, 2, 2}, 2, HdbscanOptions{});  // fewer points than min_cluster_size
    CHECK(few.count == 0);
    CHECK(few.labels == std::vector<int>{-1, -1, -1});
    std::vector<double> dup(200, 1.0);  // 100 identical points
    HdbscanResult same = hdbscan(dup, 2, HdbscanOptions{});
    CHECK(same.labels.size() == 100);
}
