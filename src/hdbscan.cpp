#include "src/hdbscan.hpp"

#include <nanoflann.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace cvg {
namespace {

struct Cloud {
    const std::vector<double>& pts;
    size_t dim;
    size_t kdtree_get_point_count() const { return pts.size() / dim; }
    double kdtree_get_pt(size_t i, size_t d) const { return pts[i * dim + d]; }
    template <class BBox>
    bool kdtree_get_bbox(BBox&) const { return false; }
};

using Tree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, Cloud>, Cloud, -1, size_t>;

class UnionFind {
public:
    explicit UnionFind(size_t n) : parent_(n), size_(n, 1) { std::iota(parent_.begin(), parent_.end(), 0); }
    size_t find(size_t x) {
        while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
        return x;
    }
    size_t size(size_t root) const { return size_[root]; }
    size_t unite(size_t a, size_t b) {  // returns the new root
        if (size_[a] < size_[b]) std::swap(a, b);
        parent_[b] = a;
        size_[a] += size_[b];
        return a;
    }

private:
    std::vector<size_t> parent_, size_;
};

struct Edge {
    double w;
    uint32_t a, b;
};

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

HdbscanResult hdbscan(const std::vector<double>& points, size_t dim, const HdbscanOptions& opt) {
    HdbscanResult res;
    const size_t n = dim ? points.size() / dim : 0;
    res.labels.assign(n, -1);
    res.probability.assign(n, 0.0);
    if (n == 0) return res;
    const size_t k = std::min(n, std::max(opt.neighbours, opt.min_samples) + 1);  // + the point itself

    // 1. neighbours and core distances
    Cloud cloud{points, dim};
    Tree tree(static_cast<int>(dim), cloud, nanoflann::KDTreeSingleIndexAdaptorParams(16));
    tree.buildIndex();
    std::vector<size_t> nbr(n * k);
    std::vector<double> d2(n * k), core(n);
    for (size_t i = 0; i < n; ++i) {
        size_t found = tree.knnSearch(&points[i * dim], k, &nbr[i * k], &d2[i * k]);
        for (size_t j = found; j < k; ++j) {
            nbr[i * k + j] = i;
            d2[i * k + j] = kInf;
        }
        size_t m = std::min(opt.min_samples, k - 1);
        core[i] = std::sqrt(d2[i * k + m]);
    }
    // 2. mutual-reachability edges of the neighbour graph, and the minimum spanning forest
    std::vector<Edge> edges;
    edges.reserve(n * (k - 1));
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 1; j < k; ++j) {
            size_t t = nbr[i * k + j];
            if (t == i || !std::isfinite(d2[i * k + j])) continue;
            double w = std::max({core[i], core[t], std::sqrt(d2[i * k + j])});
            edges.push_back({w, static_cast<uint32_t>(std::min(i, t)), static_cast<uint32_t>(std::max(i, t))});
        }
    std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
        return x.w < y.w || (x.w == y.w && (x.a < y.a || (x.a == y.a && x.b < y.b)));
    });
    // 3. single-linkage hierarchy: node ids 0..n-1 are points, n.. are merges
    std::vector<size_t> left, right, node_size;
    std::vector<double> height;
    UnionFind uf(n);
    std::vector<size_t> node_of(n);
    std::iota(node_of.begin(), node_of.end(), 0);
    for (const Edge& e : edges) {
        size_t ra = uf.find(e.a), rb = uf.find(e.b);
        if (ra == rb) continue;
        size_t id = n + left.size();
        left.push_back(node_of[ra]);
        right.push_back(node_of[rb]);
        height.push_back(e.w);
        node_of[uf.unite(ra, rb)] = id;
    }
    node_size.assign(n + left.size(), 1);
    for (size_t m = 0; m < left.size(); ++m) node_size[n + m] = node_size[left[m]] + node_size[right[m]];
    // roots of the forest
    std::vector<size_t> roots;
    for (size_t i = 0; i < n; ++i)
        if (uf.find(i) == i) roots.push_back(node_of[i]);

    // 4. condensed tree: clusters with birth lambda, points' fall-out lambda
    struct Cluster {
        int parent;
        double birth;
        double stability = 0;
        std::vector<int> children;
        bool selected = false;
    };
    std::vector<Cluster> clusters;
    std::vector<int> point_cluster(n, -1);    // the last condensed cluster a point belonged to
    std::vector<double> point_lambda(n, 0.0); // lambda at which it left that cluster
    auto lambda_of = [](double h) { return 1.0 / std::max(h, 1e-300); };  // duplicates: a huge, finite lambda
    // iterative walk: (node, cluster it belongs to)
    std::vector<std::pair<size_t, int>> stack;
    auto leave = [&](size_t node, int c, double lambda) {  // every point under node leaves c at lambda
        std::vector<size_t> st{node};
        while (!st.empty()) {
            size_t x = st.back();
            st.pop_back();
            if (x < n) {
                point_cluster[x] = c;
                point_lambda[x] = lambda;
            } else {
                st.push_back(left[x - n]);
                st.push_back(right[x - n]);
            }
        }
    };
    for (size_t root : roots) {
        if (node_size[root] < opt.min_cluster_size) {
            continue;  // too small to be a cluster: noise
        }
        clusters.push_back(Cluster{-1, 0.0, 0.0, {}, false});
        stack.push_back({root, static_cast<int>(clusters.size()) - 1});
        while (!stack.empty()) {
            auto [node, c] = stack.back();
            stack.pop_back();
            if (node < n) {  // a single point at the bottom (min_cluster_size 1): it never leaves
                point_cluster[node] = c;
                point_lambda[node] = clusters[static_cast<size_t>(c)].birth;
                continue;
            }
            size_t l = left[node - n], r = right[node - n];
            double lambda = lambda_of(height[node - n]);
            bool big_l = node_size[l] >= opt.min_cluster_size, big_r = node_size[r] >= opt.min_cluster_size;
            if (big_l && big_r) {  // a true split: two new clusters
                for (size_t child : {l, r}) {
                    clusters.push_back(Cluster{c, lambda, 0.0, {}, false});
                    int id = static_cast<int>(clusters.size()) - 1;
                    clusters[static_cast<size_t>(c)].children.push_back(id);
                    stack.push_back({child, id});
                }
            } else {  // small parts fall out of c here; c continues in the big one
                if (!big_l) leave(l, c, lambda);
                else stack.push_back({l, c});
                if (!big_r) leave(r, c, lambda);
                else stack.push_back({r, c});
            }
        }
    }
    // 5. stability: sum over points (and sub-clusters) of (lambda_leave - lambda_birth)
    for (size_t i = 0; i < n; ++i) {
        int c = point_cluster[i];
        if (c < 0) continue;
        clusters[static_cast<size_t>(c)].stability += point_lambda[i] - clusters[static_cast<size_t>(c)].birth;
    }
    // points inside sub-clusters also belonged to the parent until its split (lambda = child birth)
    for (size_t i = 0; i < n; ++i) {
        int c = point_cluster[i];
        while (c >= 0 && clusters[static_cast<size_t>(c)].parent >= 0) {
            int p = clusters[static_cast<size_t>(c)].parent;
            clusters[static_cast<size_t>(p)].stability += clusters[static_cast<size_t>(c)].birth - clusters[static_cast<size_t>(p)].birth;
            c = p;
        }
    }
    // 6. excess of mass, bottom-up (children have larger ids than parents); roots are not selected
    //    when they split, as in the reference implementation
    std::vector<double> best(clusters.size(), 0.0);
    for (size_t c = clusters.size(); c-- > 0;) {
        double sum = 0;
        for (int ch : clusters[c].children) sum += best[static_cast<size_t>(ch)];
        bool root = clusters[c].parent < 0;
        if (clusters[c].children.empty() || (!root && clusters[c].stability >= sum)) {
            clusters[c].selected = true;
            best[c] = clusters[c].stability;
        } else {
            best[c] = sum;
        }
    }
    // a selected cluster wins over everything below it
    std::vector<int> chosen(clusters.size(), -1);  // the selected ancestor (or itself)
    for (size_t c = 0; c < clusters.size(); ++c) {
        int p = clusters[c].parent;
        if (p >= 0 && chosen[static_cast<size_t>(p)] >= 0) chosen[c] = chosen[static_cast<size_t>(p)];
        else if (clusters[c].selected) chosen[c] = static_cast<int>(c);
    }
    std::vector<int> number(clusters.size(), -1);
    for (size_t c = 0; c < clusters.size(); ++c)
        if (chosen[c] == static_cast<int>(c)) {
            number[c] = static_cast<int>(res.count++);
            res.stability.push_back(clusters[c].stability);
        }
    // membership strength: lambda of the point relative to the largest lambda in its cluster
    std::vector<double> max_lambda(res.count, 0.0);
    for (size_t i = 0; i < n; ++i) {
        int c = point_cluster[i];
        if (c < 0 || chosen[static_cast<size_t>(c)] < 0) continue;
        int lab = number[static_cast<size_t>(chosen[static_cast<size_t>(c)])];
        res.labels[i] = lab;
        max_lambda[static_cast<size_t>(lab)] = std::max(max_lambda[static_cast<size_t>(lab)], point_lambda[i]);
    }
    for (size_t i = 0; i < n; ++i) {
        int lab = res.labels[i];
        if (lab < 0) continue;
        double mx = max_lambda[static_cast<size_t>(lab)];
        res.probability[i] = mx > 0 ? std::min(1.0, point_lambda[i] / mx) : 1.0;
    }
    return res;
}

}  // namespace cvg
