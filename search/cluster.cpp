#include "search/cluster.hpp"

#include "search/known.hpp"

#include "src/hdbscan.hpp"
#include "src/decimal.hpp"
#include "src/identify.hpp"
#include "src/lll.hpp"
#include "src/relation.hpp"

#include <nlohmann/json.hpp>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <set>

namespace cvg::search {
namespace {

struct Point : ClusterMember {
    std::vector<double> f;  // features
};

struct Naming {
    std::string label;               // "pi", "e,pi", "rational", "quadratic", ...
    std::vector<std::string> basis;  // what checks a member against the label: the relation's
    int degree = 1;                  // monomials ({"1"} alone for algebraic numbers), its degree in x
    std::string json, text;
    long digits = 0;
};

// The degree of an identified limit that is algebraic (1: rational), 0 for any other.
int algebraic_degree(const Finding& f) {
    const Relation& r = f.relation;
    if (!r.minimal_polynomial().empty()) return static_cast<int>(r.minimal_polynomial().size()) - 1;
    if (f.family == "rational" || r.basis() == std::vector<std::string>{"1"}) return r.degree();
    return 0;
}

// The monomials of a relation's basis (other than 1) that occur in it with a nonzero coefficient.
std::vector<std::string> used_monomials(const Relation& r) {
    std::vector<std::string> out;
    for (size_t i = 0; i < r.basis().size(); ++i) {
        if (r.basis()[i] == "1") continue;
        bool used = false;
        for (const auto& row : r.poly()) used = used || (i < row.size() && row[i].sign() != 0);
        if (used) out.push_back(r.basis()[i]);
    }
    return out;
}

// The label of an identified limit: the constants its relation is written in, or the kind of
// algebraic number it is (a quadratic irrational is "quadratic", whatever its field: one cluster of
// blind dynamics, delta = 1, holds them all).
std::string label_of(const Finding& f) {
    const char* kinds[] = {"", "rational", "quadratic", "cubic", "quartic"};
    if (int d = algebraic_degree(f)) return d <= 4 ? kinds[d] : "algebraic";
    std::set<std::string> names;
    for (const std::string& m : used_monomials(f.relation)) {
        size_t s = 0;
        while (s < m.size()) {
            size_t e = m.find('*', s);
            if (e == std::string::npos) e = m.size();
            std::string name = m.substr(s, e - s);
            name = name.substr(0, name.find('^'));
            if (name != "1") names.insert(name);
            s = e + 1;
        }
    }
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
    return out;
}

// How a name reads as (part of) a cluster label: the kind of algebraic number with the named
// fields its members' relations are written in ("quadratic (phi, sqrt2)"), or the name itself.
std::string display_label(const std::string& name, const std::vector<std::optional<Naming>>& rel) {
    if (name != "quadratic") return name;
    std::set<std::string> fields;
    for (const auto& r : rel) {
        if (!r || r->label != name) continue;
        try {
            const nlohmann::json j = nlohmann::json::parse(r->json);  // alive through the loop
            for (const auto& b : j.at("basis"))
                if (b.get<std::string>() != "1") fields.insert(b.get<std::string>());
        } catch (const std::exception&) {
        }
    }
    std::string out;
    for (const std::string& f : fields) out += (out.empty() ? "" : ", ") + f;
    return out.empty() ? name : name + " (" + out + ")";
}

// The part of a stored limit that labelling reads: its first 300 characters and the exponent, if
// any (a blind limit can have thousands of digits — 12,000 on average at depth 2000, 9 GB for
// the whole [-5, 5] space if kept — and checking them all against a slowly computed constant
// costs far more than it tells). A truncation of certified truncated digits is certified.
std::string limit_digits(const std::string& value) {
    const size_t e = value.find_first_of("eE");
    std::string mantissa = value.substr(0, e), tail = e == std::string::npos ? "" : value.substr(e);
    if (mantissa.size() > 300) mantissa.resize(300);
    return mantissa + tail;
}

// A stored limit as a target (limit_digits of it). Throws ParseError.
Target limit_target(const std::string& value) { return parse_decimal_target(limit_digits(value)); }

// A ratio whose numerator and denominator are proportional (6e/(7e), (2 + 2e^2)/(3 + 3e^2)): a
// rational written over the basis, not a formula for its constants.
bool constant_moebius(const Relation& r) {
    if (!r.is_ratio()) return false;
    std::vector<Int> n = r.numerator(), d = r.denominator();
    Int x, y;
    for (size_t i = 0; i < n.size(); ++i)
        for (size_t j = i + 1; j < n.size(); ++j) {
            fmpz_mul(x.get(), n[i].get(), d[j].get());
            fmpz_mul(y.get(), n[j].get(), d[i].get());
            if (x != y) return false;
        }
    return true;
}

// Names a limit given by its certain digits with the first relation that identify accepts
// (docs/IDENTIFY.md: every digit reproduced, digits >= 2 x coefficient digits + 10, LLL and PSLQ
// agree): over `basis` in degree `degree`, or trying every family when the basis is empty;
// simple: only the cheap families (rational, algebraic, Moebius of one constant) at 50 digits —
// the screen every member goes through.
std::optional<Naming> name_value(const std::string& value, const std::vector<std::string>& basis, int degree,
                                 bool simple = false) {
    try {
        Target t = limit_target(value);
        IdentifyOptions opt;
        opt.basis = basis;
        opt.degree = degree;
        opt.max_search_digits = simple ? 50 : 100;
        opt.simple_families = simple;
        std::vector<Finding> found = find_relations(t, opt);
        accept_decimal(found);
        for (const Finding& f : found) {
            if (!f.accepted || constant_moebius(f.relation)) continue;
            // over a basis of constants, but none of them occurs (3x^2 - x - 2 = 0 found over {1, e}):
            // an algebraic number, which is not what this basis is asked to name
            if (!algebraic_degree(f) && used_monomials(f.relation).empty()) continue;
            Naming n{label_of(f), {}, f.relation.degree(), f.relation.json(), f.relation.text(), f.digits_matched};
            if (int d = algebraic_degree(f)) {
                n.basis = {"1"};
                n.degree = d;
            } else {
                for (const std::string& m : f.relation.basis())
                    if (m != "1") n.basis.push_back(m);
            }
            return n;
        }
    } catch (const std::exception&) {  // not a decimal, or a basis that is dependent
    }
    return std::nullopt;
}

// x as a Moebius transform (c0 + c1 L)/(d0 + d1 L) of the limit L of another PCF (a cluster
// whose limits no named constant explains can still be one family: the 2024 paper's "connect the
// members to each other"). LLL on (1, L, x, x L) and the digits rule of identify: the relation
// reproduces every digit both share, and those digits are >= 2 x its coefficient digits + 10.
std::optional<Naming> link_to(const ClusterMember& x, const ClusterMember& rep) {
    try {
        Target tx = limit_target(x.value), tl = limit_target(rep.value);
        const long D = std::min(tx.digits, tl.digits);
        const slong bits = bits_for_digits(std::min<long>(D, 100)), wp = bits_for_digits(D) + 64;
        Ball one, xl;
        arb_one(one.get());
        arb_mul(xl.get(), tx.value.get(), tl.value.get(), wp);
        LllResult r = lll_relation(scale_for_relation({one, tl.value, tx.value, xl}, bits));
        if (!r.holds) return std::nullopt;
        const std::vector<Int>& c = r.relation;  // c0 + c1 L + c2 x + c3 x L = 0
        if (c[2].sign() == 0 && c[3].sign() == 0) return std::nullopt;  // a relation of L alone
        Int n0, n1;
        fmpz_neg(n0.get(), c[0].get());
        fmpz_neg(n1.get(), c[1].get());
        Relation rel = Relation::ratio({"1", "L"}, {n0, n1}, {c[2], c[3]});
        rel.normalize();
        if (D < rel.digits_needed() || constant_moebius(rel)) return std::nullopt;
        // x from the relation and L, against x's own digits
        Ball num, den, v;
        arb_mul_fmpz(num.get(), tl.value.get(), n1.get(), wp);
        arb_add_fmpz(num.get(), num.get(), n0.get(), wp);
        arb_mul_fmpz(den.get(), tl.value.get(), c[3].get(), wp);
        arb_add_fmpz(den.get(), den.get(), c[2].get(), wp);
        arb_div(v.get(), num.get(), den.get(), wp);
        if (!arb_is_finite(v.get()) || !arb_overlaps(v.get(), tx.value.get())) return std::nullopt;
        nlohmann::json j = nlohmann::json::parse(rel.json());
        j["L"] = {{"a", nlohmann::json::parse(rep.a)}, {"b", nlohmann::json::parse(rep.b)}};
        std::string label = "L = " + rep.a_expr + " | " + rep.b_expr;
        return Naming{label, {}, 1, j.dump(), rel.text(), D};
    } catch (const std::exception&) {  // too few digits
        return std::nullopt;
    }
}

bool is_anchor(const ClusterMember& p) {
    try {
        return match_known(Pcf{Poly::parse(p.a_expr), Poly::parse(p.b_expr)}) != nullptr;
    } catch (const std::exception&) {
        return false;
    }
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : (v[v.size() / 2] + v[(v.size() - 1) / 2]) / 2;
}

// Feature columns of the evaluations table and how to read each (rate on a log scale: it spans
// orders of magnitude between polynomial and factorial convergence).
std::vector<std::pair<std::string, std::string>> columns(const std::vector<std::string>& features) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const std::string& f : features) {
        if (f == "delta") out.push_back({"delta", "e.delta"});
        else if (f == "rate") out.push_back({"log10 rate", "log10(max(e.rate, 1e-12))"});
        else if (f == "fr_k") out.push_back({"fr_k", "e.fr_k"});
        else if (f == "growth") {
            out.push_back({"growth_nlogn", "e.growth_nlogn"});
            out.push_back({"growth_n", "e.growth_n"});
        } else if (f == "growth_nlogn" || f == "growth_n") out.push_back({f, "e." + f});
        else throw db::DbError("--features: unknown feature '" + f + "' (delta, rate, fr_k, growth, growth_nlogn, growth_n)", true);
    }
    return out;
}

// What the labelling of one cluster found.
struct Labelled {
    std::string label;                       // empty: unlabelled
    Naming top;                              // the relation of the member that names it
    int identified = 0;
    std::vector<std::optional<Naming>> rel;  // per member (most precise first)
};

// Labels the cluster whose members, most precise first, are `mem`.
Labelled label_ordered(const std::vector<const ClusterMember*>& mem, const ClusterConfig& cfg) {
    // The vote: which names identify gives the members' limits. The anchors first (members that are
    // classical formulas, search/known_pcfs.csv: the 2024 paper's anchors), each worth two votes; then
    // every member through the cheap families (rational, algebraic, Moebius of one constant at 50
    // digits, ~1 ms); then the most precise members through all families (~25 ms each: ratios in a
    // constant and its square, pairs of constants), stopping early after 4 when nothing is named.
    std::map<std::string, int> votes;
    std::map<std::string, Naming> example;  // name -> the first member named by it
    // name -> what checks a member against it: the union of the bases of the relations that voted
    // for it, in the largest degree (an "e" found as a Moebius transform of e and as a ratio over
    // {1, e, e^2} checks every member over {1, e, e^2})
    std::map<std::string, std::pair<std::vector<std::string>, int>> check;
    auto add_check = [&](const std::string& name, const std::vector<std::string>& basis, int degree) {
        auto& [b, d] = check[name];
        for (const std::string& m : basis)
            if (std::find(b.begin(), b.end(), m) == b.end()) b.push_back(m);
        d = std::max(d, degree);
    };
    std::vector<char> anchor(mem.size());
    std::vector<std::optional<Naming>> voted(mem.size());  // what the vote named each member
    auto vote = [&](size_t j, int weight, bool simple) {
        auto& f = voted[j] = name_value(mem[j]->value, {}, 1, simple);
        if (!f) return;
        votes[f->label] += weight;
        example.emplace(f->label, *f);
        add_check(f->label, f->basis, f->degree);
        // a Moebius transform of a constant K found by the screen: members are checked over
        // {1, K, K^2}, which holds those transforms and the ratios in K^2 the screen skips
        if (simple && f->basis.size() == 1 && !algebraic_kind(f->label)) add_check(f->label, {f->basis[0] + "^2"}, 1);
    };
    auto usable = [&](size_t j) { return mem[j]->digits >= cfg.min_label_digits; };  // fewer digits: never voted
    int anchors = 0;
    for (size_t j = 0; j < mem.size(); ++j) {
        const ClusterMember& p = *mem[j];
        anchor[j] = usable(j) && is_anchor(p);
        if (anchor[j] && anchors < cfg.label_members) {
            ++anchors;
            vote(j, 2, false);
        }
    }
    for (size_t j = 0; j < mem.size(); ++j)
        if (usable(j) && !anchor[j]) vote(j, 1, true);
    int tried = 0;
    for (size_t j = 0; j < mem.size(); ++j) {
        if (tried >= cfg.label_members || !usable(j) || (tried >= 4 && votes.empty())) break;
        ++tried;
        if (!anchor[j] && !voted[j]) vote(j, 1, false);
    }
    // Every member checked against the names the vote found (most votes first; the first that names
    // it wins). The label: the names that name members, most members first, when some name is a
    // constant (one member suffices, as one anchor labels its cluster in the paper) or the first
    // (an algebraic kind) names at least two, an anchor counting twice — "e; tan1" for the Bessel
    // family whose members are coth or cot, "pi; log2,log3" for a 2F1 family holding 4/pi and
    // 1/log(3/2). With no such name, every member is checked against the most precise one's limit
    // instead, kept as the label when at least two others are linked to it.
    std::vector<std::string> names;
    for (const auto& [l, v] : votes) names.push_back(l);
    std::stable_sort(names.begin(), names.end(), [&](const std::string& x, const std::string& y) { return votes[x] > votes[y]; });
    Labelled out;
    out.rel.resize(mem.size());
    std::map<std::string, int> named;  // members named by each name, anchors counting twice
    for (size_t j = 0; j < mem.size() && !names.empty(); ++j) {
        const ClusterMember& p = *mem[j];
        if (p.digits < 20) continue;
        for (const std::string& l : names) {
            auto r = voted[j] && voted[j]->label == l ? voted[j] : name_value(p.value, check[l].first, check[l].second);
            if (r && r->label == l) {
                out.rel[j] = std::move(r);
                named[l] += anchor[j] ? 2 : 1;
                ++out.identified;
                break;
            }
        }
    }
    std::vector<std::string> kept;
    for (const std::string& l : names)
        if (named[l] > 0) kept.push_back(l);
    std::stable_sort(kept.begin(), kept.end(), [&](const std::string& x, const std::string& y) { return named[x] > named[y]; });
    const bool constant = std::any_of(kept.begin(), kept.end(), [](const std::string& l) { return !algebraic_kind(l); });
    if (!kept.empty() && (constant || named[kept[0]] >= 2)) {
        for (const std::string& l : kept) out.label += (out.label.empty() ? "" : "; ") + display_label(l, out.rel);
        out.top = example[kept[0]];
        return out;
    }
    out.identified = 0;
    for (auto& r : out.rel) r.reset();
    const ClusterMember& rep = *mem[0];
    if (rep.digits < cfg.min_label_digits) return out;
    int linked = 0;
    for (size_t j = 1; j < mem.size(); ++j) {
        const ClusterMember& p = *mem[j];
        if (p.digits < 20) continue;
        out.rel[j] = link_to(p, rep);
        if (out.rel[j]) ++linked;
    }
    if (linked < 2) {
        for (auto& r : out.rel) r.reset();
        return out;
    }
    nlohmann::json self{{"basis", {"1", "L"}}, {"numerator", {0, 1}}, {"denominator", {1, 0}},
                        {"L", {{"a", nlohmann::json::parse(rep.a)}, {"b", nlohmann::json::parse(rep.b)}}}};
    out.label = "L = " + rep.a_expr + " | " + rep.b_expr;
    out.rel[0] = out.top = Naming{out.label, {}, 1, self.dump(), "L", rep.digits};
    out.identified = linked + 1;
    return out;
}

// Labels the cluster whose members are `in`, in any order; the relations come back in that order.
Labelled label_members(const std::vector<const ClusterMember*>& in, const ClusterConfig& cfg) {
    std::vector<size_t> order(in.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return in[a]->digits > in[b]->digits; });
    std::vector<const ClusterMember*> mem;
    for (size_t i : order) mem.push_back(in[i]);
    Labelled l = label_ordered(mem, cfg);
    std::vector<std::optional<Naming>> rel(in.size());
    for (size_t j = 0; j < order.size(); ++j) rel[order[j]] = std::move(l.rel[j]);
    l.rel = std::move(rel);
    return l;
}

}  // namespace

bool algebraic_kind(const std::string& name) {
    return name == "rational" || name == "quadratic" || name == "cubic" || name == "quartic" || name == "algebraic";
}

std::vector<std::string> cluster_features() { return {"delta", "rate", "fr_k", "growth", "growth_nlogn", "growth_n"}; }

ClusterLabel label_cluster(const std::vector<ClusterMember>& members, const ClusterConfig& cfg) {
    std::vector<const ClusterMember*> mem;
    for (const ClusterMember& m : members) mem.push_back(&m);
    Labelled l = label_members(mem, cfg);
    ClusterLabel out{l.label, l.top.json, l.top.text, l.identified, std::vector<std::string>(members.size())};
    for (size_t i = 0; i < members.size(); ++i)
        if (l.rel[i]) out.relations[i] = l.rel[i]->text;
    return out;
}

ClusterSummary cluster_evaluations(db::Store& store, const ClusterConfig& cfg, const std::string& version) {
    auto t0 = std::chrono::steady_clock::now();
    auto cols = columns(cfg.features);
    std::string sel, notnull;
    for (const auto& [name, expr] : cols) {
        sel += ", " + expr;
        notnull += " AND " + expr + " IS NOT NULL";
    }
    // one evaluation per PCF: the deepest blind one
    db::Statement q(store.connection(),
                    "SELECT e.pcf_id, coalesce(e.value, ''), e.digits, p.a, p.b, p.a_expr, p.b_expr" + sel +
                        " FROM evaluations e JOIN pcfs p ON p.id = e.pcf_id WHERE e.converges = 1 AND e.limit_source LIKE 'blind%'" + notnull +
                        " AND e.depth = (SELECT max(depth) FROM evaluations x WHERE x.pcf_id = e.pcf_id AND "
                        "x.limit_source LIKE 'blind%') ORDER BY e.pcf_id");
    std::vector<Point> pts;
    while (q.step()) {
        Point p;
        p.pcf_id = q.int64(0);
        p.value = limit_digits(q.text(1));
        p.digits = static_cast<long>(q.int64(2));
        p.a = q.text(3);
        p.b = q.text(4);
        p.a_expr = q.text(5);
        p.b_expr = q.text(6);
        for (size_t i = 0; i < cols.size(); ++i) p.f.push_back(q.real(static_cast<int>(i + 7)));
        bool finite = std::all_of(p.f.begin(), p.f.end(), [](double x) { return std::isfinite(x); });
        if (finite) pts.push_back(std::move(p));
    }
    if (pts.empty())
        throw db::DbError("no converging blind evaluation with these features in the database (run convergent blind first)",
                          true);
    // robust standardisation: (x - median) / (1.4826 MAD), MAD 0 -> 1
    const size_t dim = cols.size();
    std::vector<double> X(pts.size() * dim);
    std::vector<double> centre(dim), scale(dim);
    for (size_t d = 0; d < dim; ++d) {
        std::vector<double> col;
        for (const Point& p : pts) col.push_back(p.f[d]);
        centre[d] = median(col);
        for (double& x : col) x = std::fabs(x - centre[d]);
        double mad = 1.4826 * median(col);
        scale[d] = mad > 1e-12 ? mad : 1.0;
        for (size_t i = 0; i < pts.size(); ++i) X[i * dim + d] = (pts[i].f[d] - centre[d]) / scale[d];
    }
    if (cfg.progress) cfg.progress("clustering " + std::to_string(pts.size()) + " PCFs");
    HdbscanOptions ho;
    ho.min_cluster_size = cfg.min_cluster_size;
    ho.min_samples = cfg.min_samples;
    HdbscanResult h = hdbscan(X, dim, ho);
    ClusterSummary sum;
    sum.points = pts.size();
    sum.clusters = h.count;
    sum.noise = static_cast<size_t>(std::count(h.labels.begin(), h.labels.end(), -1));
    auto t1 = std::chrono::steady_clock::now();
    sum.seconds_cluster = std::chrono::duration<double>(t1 - t0).count();

    // members of each cluster
    std::vector<std::vector<size_t>> members(h.count);
    for (size_t i = 0; i < pts.size(); ++i)
        if (h.labels[i] >= 0) members[static_cast<size_t>(h.labels[i])].push_back(i);

    // clusters labelled in parallel (each on its own), stored in order
    std::vector<Labelled> lab(h.count);
    std::atomic<size_t> done{0};
    std::mutex report;
    tbb::parallel_for(tbb::blocked_range<size_t>(0, h.count, 1), [&](const tbb::blocked_range<size_t>& r) {
        for (size_t k = r.begin(); k != r.end(); ++k) {
            std::vector<const ClusterMember*> mem;
            for (size_t i : members[k]) mem.push_back(&pts[i]);
            lab[k] = label_members(mem, cfg);
            const size_t n = ++done;
            std::unique_lock<std::mutex> lock(report, std::try_to_lock);
            if (lock && cfg.progress) cfg.progress("labelled " + std::to_string(n) + " of " + std::to_string(h.count) + " clusters");
        }
    });
    nlohmann::json params{{"features", cfg.features}, {"min_cluster_size", cfg.min_cluster_size},
                          {"min_samples", cfg.min_samples}, {"points", pts.size()}};
    int64_t run = store.begin_run({"cluster", params.dump(), version, static_cast<int64_t>(h.count)});
    sum.run_id = run;
    db::Connection& c = store.connection();
    db::Transaction tx(c);
    db::Statement ins_c(c, "INSERT INTO clusters(run_id, number, size, stability, label, label_relation, label_text, "
                           "identified, centroid) VALUES (?,?,?,?,?,?,?,?,?)");
    db::Statement ins_m(c, "INSERT INTO cluster_members(cluster_id, pcf_id, probability, relation, relation_text, digits) "
                           "VALUES (?,?,?,?,?,?)");
    for (size_t k = 0; k < h.count; ++k) {
        const Labelled& L = lab[k];
        sum.identified += static_cast<size_t>(L.identified);
        if (!L.label.empty()) ++sum.labelled;
        nlohmann::json centroid = nlohmann::json::object();
        for (size_t d = 0; d < dim; ++d) {
            double m = 0;
            for (size_t i : members[k]) m += pts[i].f[d];
            centroid[cols[d].first] = m / static_cast<double>(members[k].size());
        }
        ins_c.bind(1, run).bind(2, static_cast<int64_t>(k)).bind(3, static_cast<int64_t>(members[k].size()));
        ins_c.bind(4, h.stability[k]);
        if (L.label.empty()) ins_c.bind(5, nullptr).bind(6, nullptr).bind(7, nullptr);
        else ins_c.bind(5, L.label).bind(6, L.top.json).bind(7, L.top.text);
        ins_c.bind(8, L.identified).bind(9, centroid.dump());
        ins_c.run();
        int64_t cid = sqlite3_last_insert_rowid(c.get());
        for (size_t j = 0; j < members[k].size(); ++j) {
            size_t i = members[k][j];
            ins_m.bind(1, cid).bind(2, pts[i].pcf_id).bind(3, h.probability[i]);
            const auto& rel = L.rel[j];
            if (!rel) ins_m.bind(4, nullptr).bind(5, nullptr).bind(6, nullptr);
            else ins_m.bind(4, rel->json).bind(5, rel->text).bind(6, static_cast<int64_t>(rel->digits));
            ins_m.run();
        }
    }
    tx.commit();
    sum.seconds_label = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    store.finish_run(run, "finished", sum.seconds_cluster + sum.seconds_label, 0);
    return sum;
}

}  // namespace cvg::search
