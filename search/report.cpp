#include "search/report.hpp"

#include "search/known.hpp"

#include "src/pcf.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace cvg::search {
namespace {

const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                          "#e377c2", "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939"};
const char* kNoise = "#c8c8c8";

std::string colour(int cluster) { return cluster < 0 ? kNoise : kPalette[cluster % 12]; }

std::string num(double x, int prec = 4) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", prec, x);
    return buf;
}

// "Nice" tick positions covering [lo, hi].
std::vector<double> ticks(double lo, double hi) {
    double span = hi - lo;
    if (!(span > 0)) return {lo};
    double step = std::pow(10.0, std::floor(std::log10(span / 5)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (span / (step * m) <= 7) {
            step *= m;
            break;
        }
    std::vector<double> t;
    for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) t.push_back(std::fabs(v) < 1e-12 * step ? 0 : v);
    return t;
}

struct Axes {
    double x0, x1, y0, y1;  // data ranges
    static constexpr double W = 640, H = 420, L = 60, R = 20, T = 20, B = 50;
    double px(double x) const { return L + (x - x0) / (x1 - x0) * (W - L - R); }
    double py(double y) const { return H - B - (y - y0) / (y1 - y0) * (H - T - B); }
};

Axes fit(const std::vector<double>& xs, const std::vector<double>& ys) {
    auto range = [](const std::vector<double>& v, double& lo, double& hi) {
        std::vector<double> s(v);
        std::sort(s.begin(), s.end());
        // the 0.5% and 99.5% quantiles keep a few wild points from flattening the plot
        lo = s.empty() ? 0 : s[s.size() / 200];
        hi = s.empty() ? 1 : s[s.size() - 1 - s.size() / 200];
        if (hi <= lo) { lo -= 0.5; hi += 0.5; }
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
    };
    Axes a{};
    range(xs, a.x0, a.x1);
    range(ys, a.y0, a.y1);
    return a;
}

std::string axes_svg(const Axes& a, const std::string& xlabel, const std::string& ylabel) {
    std::ostringstream s;
    s << "<rect x='" << Axes::L << "' y='" << Axes::T << "' width='" << (Axes::W - Axes::L - Axes::R) << "' height='"
      << (Axes::H - Axes::T - Axes::B) << "' fill='none' stroke='#444'/>";
    for (double t : ticks(a.x0, a.x1))
        s << "<line x1='" << a.px(t) << "' x2='" << a.px(t) << "' y1='" << Axes::H - Axes::B << "' y2='" << Axes::H - Axes::B + 5
          << "' stroke='#444'/><text x='" << a.px(t) << "' y='" << Axes::H - Axes::B + 18
          << "' text-anchor='middle' font-size='11'>" << num(t) << "</text>";
    for (double t : ticks(a.y0, a.y1))
        s << "<line x1='" << Axes::L - 5 << "' x2='" << Axes::L << "' y1='" << a.py(t) << "' y2='" << a.py(t)
          << "' stroke='#444'/><text x='" << Axes::L - 8 << "' y='" << a.py(t) + 4
          << "' text-anchor='end' font-size='11'>" << num(t) << "</text>";
    s << "<text x='" << (Axes::L + Axes::W - Axes::R) / 2 << "' y='" << Axes::H - 10 << "' text-anchor='middle' font-size='13'>"
      << html_escape(xlabel) << "</text>";
    s << "<text transform='translate(16," << (Axes::T + Axes::H - Axes::B) / 2
      << ") rotate(-90)' text-anchor='middle' font-size='13'>" << html_escape(ylabel) << "</text>";
    return s.str();
}

struct Pt {
    double x, y;
    int cluster;
};

std::string scatter(const std::vector<Pt>& pts, const std::string& id, const std::string& xlabel, const std::string& ylabel) {
    std::vector<double> xs, ys;
    for (const Pt& p : pts) {
        xs.push_back(p.x);
        ys.push_back(p.y);
    }
    Axes a = fit(xs, ys);
    std::ostringstream s;
    s << "<svg id='" << id << "' class='plot' xmlns='http://www.w3.org/2000/svg' width='" << Axes::W << "' height='"
      << Axes::H << "' viewBox='0 0 " << Axes::W << " " << Axes::H << "'>" << axes_svg(a, xlabel, ylabel);
    // noise first, so clusters are drawn on top
    for (int pass = 0; pass < 2; ++pass)
        for (const Pt& p : pts) {
            if ((p.cluster >= 0) != (pass == 1)) continue;
            if (p.x < a.x0 || p.x > a.x1 || p.y < a.y0 || p.y > a.y1) continue;
            s << "<circle cx='" << num(a.px(p.x), 6) << "' cy='" << num(a.py(p.y), 6) << "' r='2' fill='" << colour(p.cluster)
              << "'" << (p.cluster < 0 ? " fill-opacity='0.6'" : "") << "/>";
        }
    s << "</svg>";
    return s.str();
}

// a0 + b1/(a1 + b2/(a2 + ...)) as nested MathML fractions; a negative b(n) shows as a minus sign
std::string pcf_mathml(const Pcf& pcf, int terms) {
    auto frac = [&](int n, const std::string& below) {
        Int b = pcf.b.eval(n);
        std::string op = b.sign() < 0 ? "&#x2212;" : "+";
        fmpz_abs(b.get(), b.get());
        return "<mo>" + op + "</mo><mfrac><mn>" + b.str() + "</mn><mrow>" + below + "</mrow></mfrac>";
    };
    std::string inner = "<mo>&#x22EF;</mo>";
    for (int n = terms; n >= 1; --n) inner = "<mn>" + pcf.a.eval(n).str() + "</mn>" + frac(n + 1, inner);
    return "<math display='inline'><mrow><mn>" + pcf.a.eval(0).str() + "</mn>" + frac(1, inner) + "</mrow></math>";
}

std::string poly_cell(const std::string& a, const std::string& b) {
    return "a(n) = " + html_escape(a) + ", b(n) = " + html_escape(b);
}

}  // namespace

std::string html_escape(const std::string& s) {
    std::string o;
    for (char c : s) switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            case '\'': o += "&#39;"; break;
            default: o += c;
        }
    return o;
}

std::string render_report(db::Store& store, const ReportOptions& opt, ReportSummary* summary) {
    db::Connection& c = store.connection();
    ReportSummary sum;
    // the last cluster run, if any
    int64_t cluster_run = 0;
    {
        db::Statement s(c, "SELECT coalesce(max(id), 0) FROM runs WHERE kind = 'cluster'");
        s.step();
        cluster_run = s.int64(0);
    }
    // each PCF's cluster in that run, in one pass (with a correlated subquery per evaluation SQLite
    // walked every cluster of the run for each: not done after 4 minutes on the whole [-5, 5] space)
    std::unordered_map<int64_t, int> cluster_of;
    {
        db::Statement s(c, "SELECT m.pcf_id, k.number FROM clusters k JOIN cluster_members m ON m.cluster_id = k.id "
                           "WHERE k.run_id = ?");
        s.bind(1, cluster_run);
        while (s.step()) cluster_of[s.int64(0)] = static_cast<int>(s.int64(1));
    }
    // evaluations with their cluster
    struct Ev {
        double delta, rate, frk, g1;
        int cluster;
    };
    std::vector<Ev> evs;
    {
        db::Statement s(c, "SELECT e.pcf_id, e.delta, e.rate, e.fr_k, e.growth_nlogn FROM evaluations e WHERE e.converges = 1 "
                           "AND e.delta IS NOT NULL AND e.rate IS NOT NULL ORDER BY e.pcf_id");
        while (s.step()) {
            auto it = cluster_of.find(s.int64(0));
            evs.push_back({s.real(1), s.real(2), s.is_null(3) ? 0 : s.real(3), s.is_null(4) ? 0 : s.real(4),
                           it == cluster_of.end() ? -1 : it->second});
        }
    }
    sum.evaluations = evs.size();
    size_t stride = std::max<size_t>(1, (evs.size() + opt.max_points - 1) / opt.max_points);
    std::vector<Pt> dr, fr;
    for (size_t i = 0; i < evs.size(); i += stride) {
        const Ev& e = evs[i];
        dr.push_back({std::log10(std::max(e.rate, 1e-12)), e.delta, e.cluster});
        fr.push_back({e.frk, e.g1, e.cluster});
    }
    sum.plotted = dr.size();

    std::ostringstream h;
    h << "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>" << html_escape(opt.title) << "</title><style>"
      << "body{font-family:sans-serif;margin:2em;max-width:1400px;color:#222}h1,h2{font-weight:600}"
      << "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;"
      << "vertical-align:top;font-size:13px}th{background:#f3f3f3}.plots{display:flex;flex-wrap:wrap;gap:2em}"
      << "figure{margin:0}figcaption{font-size:13px;color:#555;max-width:640px}.sw{display:inline-block;width:10px;"
      << "height:10px;margin-right:4px}code{font-size:12px}</style></head><body>";
    h << "<h1>" << html_escape(opt.title) << "</h1>";
    h << "<p>" << evs.size() << " converging PCFs with convergence metrics";
    if (stride > 1) h << " (every " << stride << "th plotted: " << dr.size() << " points)";
    h << ".</p>";

    // clusters
    struct Cl {
        int number;
        int64_t id, size, identified;
        std::string label, label_text;
    };
    std::vector<Cl> cls;
    if (cluster_run) {
        db::Statement s(c, "SELECT number, id, size, identified, coalesce(label, ''), coalesce(label_text, '') FROM clusters "
                           "WHERE run_id = ? ORDER BY label IS NULL, label LIKE 'L = %', identified DESC, size DESC, number");
        s.bind(1, cluster_run);
        while (s.step())
            cls.push_back({static_cast<int>(s.int64(0)), s.int64(1), s.int64(2), s.int64(3), s.text(4), s.text(5)});
    }
    sum.clusters = cls.size();

    h << "<h2>Convergence dynamics</h2><div class='plots'>";
    h << "<figure>" << scatter(dr, "plot-delta-rate", "log10 convergence rate (digits per term)", "irrationality measure delta")
      << "<figcaption>Each point a PCF: its blind delta against its rate, coloured by cluster (grey: noise).</figcaption></figure>";
    h << "<figure>" << scatter(fr, "plot-fr", "factorial reduction k (ln gcd / (n ln n - n))", "growth of reduced q: n ln n coefficient")
      << "<figcaption>The factorial-reduction plane, coloured by cluster.</figcaption></figure>";
    // delta trajectories: one formula of each of the first clusters of the table (named first), an
    // identified member when there is one; without clusters, the first formulas
    {
        std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>> lines;
        std::vector<int> line_cluster;
        auto add = [&](const std::string& a, const std::string& b, const std::string& traj, int cluster) {
            try {
                std::vector<std::pair<double, double>> pts;
                for (const auto& p : nlohmann::json::parse(traj))
                    if (p[1].is_number()) pts.push_back({p[0].get<double>(), p[1].get<double>()});
                if (pts.size() < 2) return;
                lines.push_back({"a(n) = " + a + ", b(n) = " + b, pts});
                line_cluster.push_back(cluster);
            } catch (const std::exception&) {
            }
        };
        const std::string pick = "SELECT p.a_expr, p.b_expr, e.delta_trajectory FROM evaluations e JOIN pcfs p ON p.id = e.pcf_id ";
        if (cls.empty()) {
            db::Statement s(c, pick + "WHERE e.converges = 1 AND e.delta_trajectory IS NOT NULL ORDER BY e.pcf_id LIMIT ?");
            s.bind(1, static_cast<int64_t>(4 * opt.trajectories));
            while (s.step() && lines.size() < opt.trajectories) add(s.text(0), s.text(1), s.text(2), -1);
        } else {
            db::Statement s(c, pick + "JOIN cluster_members m ON m.pcf_id = e.pcf_id WHERE m.cluster_id = ? AND e.converges = 1 "
                                      "AND e.delta_trajectory IS NOT NULL ORDER BY m.relation IS NULL, m.probability DESC, "
                                      "e.depth DESC, e.pcf_id LIMIT 1");
            for (size_t i = 0; i < cls.size() && lines.size() < opt.trajectories; ++i) {
                s.bind(1, cls[i].id);
                if (s.step()) add(s.text(0), s.text(1), s.text(2), cls[i].number);
                s.reset();
            }
        }
        std::vector<double> xs, ys;
        for (auto& [name, pts] : lines)
            for (auto [x, y] : pts) {
                xs.push_back(x);
                ys.push_back(y);
            }
        if (!lines.empty()) {
            Axes a = fit(xs, ys);
            h << "<figure><svg id='plot-trajectories' class='plot' xmlns='http://www.w3.org/2000/svg' width='" << Axes::W
              << "' height='" << Axes::H << "'>" << axes_svg(a, "depth n", "delta_n");
            for (size_t i = 0; i < lines.size(); ++i) {
                h << "<polyline fill='none' stroke-width='1.5' stroke='" << colour(line_cluster[i] < 0 ? static_cast<int>(i) : line_cluster[i])
                  << "' points='";
                for (auto [x, y] : lines[i].second) h << num(a.px(x), 6) << "," << num(a.py(std::clamp(y, a.y0, a.y1)), 6) << " ";
                h << "'><title>" << html_escape(lines[i].first) << "</title></polyline>";
            }
            h << "</svg><figcaption>delta_n against the depth for one formula of each of the first clusters in the table below: "
              << "the trajectories settle as the measure converges.</figcaption></figure>";
        }
    }
    h << "</div>";

    if (!cls.empty()) {
        // the families at a glance: each name of a label ("e; tan1" counts under both; "L = ..." links
        // to one member's limit count together), with its clusters, their members and those identified
        struct Family {
            size_t clusters = 0;
            int64_t members = 0, identified = 0;
        };
        std::vector<std::pair<std::string, Family>> fam;
        size_t labelled = 0;
        for (const Cl& k : cls) {
            if (k.label.empty()) continue;
            ++labelled;
            std::vector<std::string> parts;
            if (k.label.rfind("L = ", 0) == 0) parts.push_back("linked to one member's limit (L = ...)");
            else
                for (size_t s0 = 0; s0 <= k.label.size();) {
                    size_t e = k.label.find("; ", s0);
                    if (e == std::string::npos) e = k.label.size();
                    parts.push_back(k.label.substr(s0, std::min(e, k.label.find(" (", s0)) - s0));
                    s0 = e + 2;
                }
            for (const std::string& name : parts) {
                auto it = std::find_if(fam.begin(), fam.end(), [&](const auto& f) { return f.first == name; });
                if (it == fam.end()) it = fam.insert(fam.end(), {name, Family{}});
                ++it->second.clusters;
                it->second.members += k.size;
                it->second.identified += k.identified;
            }
        }
        auto linked = [](const std::string& name) { return name.rfind("linked", 0) == 0; };
        std::stable_sort(fam.begin(), fam.end(), [&](const auto& x, const auto& y) {
            if (linked(x.first) != linked(y.first)) return linked(y.first);
            return x.second.clusters > y.second.clusters;
        });
        h << "<h2>Families</h2><p>" << labelled << " of " << cls.size() << " clusters labelled.</p>";
        if (!fam.empty()) {
            h << "<table id='families'><tr><th>name in the label</th><th>clusters</th><th>members</th><th>identified</th></tr>";
            for (const auto& [name, f] : fam)
                h << "<tr><td>" << html_escape(name) << "</td><td>" << f.clusters << "</td><td>" << f.members << "</td><td>"
                  << f.identified << "</td></tr>";
            h << "</table>";
        }
        h << "<h2>Clusters</h2><table><tr><th>cluster</th><th>size</th><th>label</th><th>identified</th><th>named by</th>"
          << "<th>formulas (identified first)</th></tr>";
        db::Statement m(c, "SELECT p.a_expr, p.b_expr, coalesce(m.relation_text, '') FROM cluster_members m JOIN pcfs p ON "
                           "p.id = m.pcf_id WHERE m.cluster_id = ? ORDER BY m.relation IS NULL, length(p.a) + length(p.b), "
                           "m.pcf_id LIMIT ?");
        const size_t shown = std::min(cls.size(), opt.max_clusters);
        for (size_t i = 0; i < shown; ++i) {
            const Cl& k = cls[i];
            h << "<tr><td><span class='sw' style='background:" << colour(k.number) << "'></span>" << k.number << "</td><td>"
              << k.size << "</td><td>" << html_escape(k.label.empty() ? "(unlabelled)" : k.label) << "</td><td>" << k.identified
              << "</td><td>" << html_escape(k.label_text) << "</td><td>";
            m.bind(1, k.id).bind(2, static_cast<int64_t>(opt.per_cluster));
            while (m.step()) {
                std::string a = m.text(0), b = m.text(1), rel = m.text(2);
                try {
                    Pcf pcf{Poly::parse(a), Poly::parse(b)};
                    h << "<div>" << (rel.empty() ? "" : html_escape(rel) + " = ") << pcf_mathml(pcf, 3)
                      << " <code>" << poly_cell(a, b) << "</code></div>";
                } catch (const std::exception&) {
                    h << "<div><code>" << poly_cell(a, b) << "</code></div>";
                }
            }
            m.reset();
            h << "</td></tr>";
        }
        h << "</table>";
        if (shown < cls.size())
            h << "<p>The first " << shown << " of " << cls.size() << " clusters: those named by a constant first, then those "
              << "linked to a member's limit, then by identified members and size (<code>convergent query --what clusters</code> lists them all).</p>";
    }

    // identified members: the classical formulas found again, and the new ones
    if (cluster_run) {
        db::Statement s(c, "SELECT k.number, k.label, p.a_expr, p.b_expr, m.relation_text, m.digits FROM cluster_members m "
                           "JOIN clusters k ON k.id = m.cluster_id JOIN pcfs p ON p.id = m.pcf_id WHERE k.run_id = ? AND "
                           "m.relation IS NOT NULL AND json_extract(m.relation, '$.L') IS NULL ORDER BY k.number, length(p.a) + length(p.b), m.pcf_id");
        s.bind(1, cluster_run);
        std::ostringstream rows;
        size_t known = 0, fresh = 0;
        while (s.step()) {
            std::string a = s.text(2), b = s.text(3);
            try {
                Pcf pcf{Poly::parse(a), Poly::parse(b)};
                if (match_known(pcf)) {
                    ++known;
                    continue;
                }
                if (fresh++ >= opt.max_candidates) continue;
                rows << "<tr><td>" << s.int64(0) << "</td><td>" << html_escape(s.text(1)) << "</td><td>"
                     << html_escape(s.text(4)) << " = " << pcf_mathml(pcf, 3) << " <code>" << poly_cell(a, b)
                     << "</code></td><td>" << s.int64(5) << "</td></tr>";
            } catch (const std::exception&) {
            }
        }
        sum.new_candidates = fresh;
        h << "<h2>New formula candidates</h2><p>" << fresh << " cluster members named by a constant are none of the "
          << "classical formulas built into convergent (up to equivalence and shifts); " << known << " are. Each relation reproduces "
          << "every digit shown, and those digits are at least 2 &times; its coefficient digits + 10.";
        if (fresh > opt.max_candidates) h << " The first " << opt.max_candidates << " are listed.";
        h << "</p>";
        if (fresh)
            h << "<table><tr><th>cluster</th><th>label</th><th>formula</th><th>digits</th></tr>" << rows.str() << "</table>";
    }

    // verified conjectures (search, esma)
    {
        db::Statement s(c, "SELECT c.constant, c.relation_text, p.a_expr, p.b_expr, c.digits_matched, c.method FROM "
                           "conjectures c JOIN pcfs p ON p.id = c.pcf_id ORDER BY c.digits_matched DESC LIMIT 200");
        std::ostringstream rows;
        while (s.step()) {
            ++sum.conjectures;
            std::string a = s.text(2), b = s.text(3);
            rows << "<tr><td>" << html_escape(s.text(0)) << "</td><td>" << html_escape(s.text(1)) << "</td><td>";
            try {
                rows << pcf_mathml(Pcf{Poly::parse(a), Poly::parse(b)}, 3);
            } catch (const std::exception&) {
            }
            rows << " <code>" << poly_cell(a, b) << "</code></td><td>" << s.int64(4) << "</td><td>" << html_escape(s.text(5))
                 << "</td></tr>";
        }
        if (sum.conjectures)
            h << "<h2>Verified conjectures</h2><table><tr><th>constant</th><th>value</th><th>PCF</th><th>digits</th>"
              << "<th>method</th></tr>" << rows.str() << "</table>";
    }

    // runs
    h << "<h2>Runs</h2><table><tr><th>id</th><th>kind</th><th>status</th><th>started</th><th>wall s</th><th>cpu s</th>"
      << "<th>version</th><th>host</th><th>parameters</th></tr>";
    db::Statement r(c, "SELECT id, kind, status, started_at, wall_seconds, cpu_seconds, version, coalesce(host, ''), params "
                       "FROM runs ORDER BY id");
    while (r.step())
        h << "<tr><td>" << r.int64(0) << "</td><td>" << html_escape(r.text(1)) << "</td><td>" << html_escape(r.text(2))
          << "</td><td>" << html_escape(r.text(3)) << "</td><td>" << (r.is_null(4) ? "" : num(r.real(4))) << "</td><td>"
          << (r.is_null(5) ? "" : num(r.real(5))) << "</td><td>" << html_escape(r.text(6)) << "</td><td>"
          << html_escape(r.text(7)) << "</td><td><code>" << html_escape(r.text(8)) << "</code></td></tr>";
    h << "</table><p style='font-size:12px;color:#777'>Generated by convergent report. Self-contained: no scripts, "
      << "nothing loaded from the network.</p></body></html>\n";
    std::string out = h.str();
    sum.bytes = out.size();
    if (summary) *summary = sum;
    return out;
}

}  // namespace cvg::search
