// HDBSCAN density clustering (Campello, Moulavi, Sander 2013) over a k-nearest-neighbour graph:
// core distances and neighbours from a KD-tree (nanoflann), the minimum spanning forest of the
// mutual-reachability graph restricted to those neighbours (Kruskal), the single-linkage
// hierarchy, its condensation with min_cluster_size, and the clusters of maximal stability
// ("excess of mass"). Restricting the graph to k neighbours is the usual approximation that keeps
// millions of points in memory and minutes; with k = n it is exact.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cvg {

struct HdbscanOptions {
    size_t min_cluster_size = 5;
    size_t min_samples = 5;   // the core distance is the distance to the min_samples-th neighbour
    size_t neighbours = 16;   // k of the neighbour graph (>= min_samples)
};

struct HdbscanResult {
    std::vector<int> labels;           // cluster of each point, -1 for noise; clusters 0..count-1
    std::vector<double> probability;   // strength of membership in [0, 1] (0 for noise)
    std::vector<double> stability;     // per cluster
    size_t count = 0;
};

// points: n rows of dim coordinates, row-major.
HdbscanResult hdbscan(const std::vector<double>& points, size_t dim, const HdbscanOptions& opt);

}  // namespace cvg
