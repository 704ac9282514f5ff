// convergent query: what a database holds — conjectures, evaluations, runs — as an aligned
// table, CSV, JSON or LaTeX.
#include "db/query.hpp"
#include "search/cluster.hpp"
#include "search/known.hpp"
#include "src/cli/common.hpp"
#include "src/constants.hpp"
#include "src/pcf_format.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace cvg::cli {
namespace {

struct QueryArgs {
    std::string db = "convergent.db";
    std::string what = "conjectures";
    std::string constant;
    bool named_constant = false;  // --constant is a constant expression (else a name to look up)
    std::optional<long> min_digits;
    std::optional<double> min_delta;
    std::optional<long> cluster;
    bool only_new = false;
    std::string sort;
    bool ascending = false;
    long limit = 0;
    std::string format = "table";
    bool all = false;
};

std::string cell_text(const db::Cell& c) {
    if (std::holds_alternative<std::nullptr_t>(c)) return "";
    if (auto* i = std::get_if<int64_t>(&c)) return std::to_string(*i);
    if (auto* d = std::get_if<double>(&c)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6g", *d);
        return buf;
    }
    return std::get<std::string>(c);
}

Json cell_json(const db::Cell& c) {
    if (std::holds_alternative<std::nullptr_t>(c)) return nullptr;
    if (auto* i = std::get_if<int64_t>(&c)) return *i;
    if (auto* d = std::get_if<double>(&c)) return *d;
    return std::get<std::string>(c);
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

// Rebuild the PCF of a row from its canonical expressions.
std::optional<Pcf> row_pcf(const db::Table& t, const std::vector<db::Cell>& row) {
    int ia = t.column("a_expr"), ib = t.column("b_expr");
    if (ia < 0 || ib < 0) return std::nullopt;
    try {
        return Pcf{Poly::parse(cell_text(row[ia])), Poly::parse(cell_text(row[ib]))};
    } catch (const ParseError&) {
        return std::nullopt;
    }
}

// The readable table: selected columns, the formula as a continued fraction.
void print_table(const db::Table& t, const std::string& what) {
    std::vector<std::string> cols;
    if (what == "conjectures")
        cols = {"id", "constant", "relation_text", "formula", "digits_matched", "verification_depth", "delta", "members",
                "method"};
    else if (what == "evaluations")
        cols = {"id", "formula", "depth", "digits", "value", "delta", "rate", "convergence", "fr_k"};
    else if (what == "clusters")
        cols = {"number", "size", "label", "identified", "label_text", "example", "stability"};
    else if (what == "members")
        cols = {"id", "cluster", "label", "formula", "relation_text", "digits", "known"};
    else
        cols = {"id", "kind", "status", "started_at", "wall_seconds", "units_done", "units_total", "conjectures",
                "evaluations"};
    std::vector<std::vector<std::string>> cells;
    std::vector<std::string> head;
    for (const auto& c : cols) head.push_back(c == "relation_text" ? "relation" : c == "digits_matched" ? "digits"
                                              : c == "verification_depth" ? "depth" : c);
    for (const auto& row : t.rows) {
        std::vector<std::string> out;
        for (const auto& c : cols) {
            if (c == "formula") {
                auto pcf = row_pcf(t, row);
                out.push_back(pcf ? cf_text(*pcf, 3) : "");
                continue;
            }
            int i = t.column(c);
            std::string v = i < 0 ? (c == "members" ? "1" : "") : cell_text(row[i]);
            if (c == "value" && v.size() > 32) v = v.substr(0, 30) + "..";
            out.push_back(v);
        }
        cells.push_back(out);
    }
    std::vector<size_t> w(head.size());
    for (size_t k = 0; k < head.size(); ++k) {
        w[k] = head[k].size();
        for (const auto& r : cells) w[k] = std::max(w[k], r[k].size());
    }
    auto line = [&](const std::vector<std::string>& r) {
        std::string s;
        for (size_t k = 0; k < r.size(); ++k) {
            s += r[k];
            if (k + 1 < r.size()) s += std::string(w[k] - r[k].size() + 2, ' ');
        }
        while (!s.empty() && s.back() == ' ') s.pop_back();
        std::cout << s << "\n";
    };
    line(head);
    std::vector<std::string> rule;
    for (size_t k = 0; k < head.size(); ++k) rule.push_back(std::string(w[k], '-'));
    line(rule);
    for (const auto& r : cells) line(r);
    std::cout << "(" << t.rows.size() << " row" << (t.rows.size() == 1 ? "" : "s") << ")\n";
}

std::string relation_latex(const Json& rel) {
    auto side = [&](const Json& coeffs) {
        std::string s;
        const Json& basis = rel["basis"];
        for (size_t i = 0; i < coeffs.size() && i < basis.size(); ++i) {
            long long c = coeffs[i].is_number() ? coeffs[i].get<long long>() : std::stoll(coeffs[i].get<std::string>());
            if (c == 0) continue;
            std::string b = basis[i].get<std::string>();
            std::string term = b == "1" ? std::to_string(std::llabs(c))
                                        : (std::llabs(c) == 1 ? "" : std::to_string(std::llabs(c))) + constant_latex(b);
            s += (c < 0 ? (s.empty() ? "-" : " - ") : (s.empty() ? "" : " + ")) + term;
        }
        return s.empty() ? std::string("0") : s;
    };
    std::string num = side(rel["numerator"]), den = side(rel["denominator"]);
    return den == "1" ? num : "\\frac{" + num + "}{" + den + "}";
}

// A stored value ("4.2360679...", "1.234e-20") in LaTeX: its first 50 digits (a deep evaluation
// stores thousands), \ldots, and the power of ten.
std::string value_latex(const std::string& v) {
    const size_t e = v.find('e');
    std::string out;
    int digits = 0;
    for (char ch : v.substr(0, e)) {
        if (std::isdigit(static_cast<unsigned char>(ch)) && ++digits > 50) break;
        out += ch;
    }
    out += "\\ldots";
    if (e != std::string::npos) out += " \\times 10^{" + v.substr(e + 1) + "}";
    return out;
}

void print_latex(const db::Table& t, const std::string& what) {
    if (what != "conjectures" && what != "evaluations") throw UsageError("--format", "latex is for conjectures and evaluations");
    std::cout << "% convergent query --what " << what << " (" << t.rows.size() << " rows)\n";
    for (const auto& row : t.rows) {
        auto pcf = row_pcf(t, row);
        if (!pcf) {
            std::cout << "% id " << cell_text(row[t.column("id")]) << ": the formula cannot be read\n";
            continue;
        }
        std::string lhs, note;
        if (what == "conjectures") {
            try {
                lhs = relation_latex(Json::parse(cell_text(row[t.column("relation")])));
            } catch (const std::exception&) {
                lhs = cell_text(row[t.column("relation_text")]);
            }
            lhs += " = ";
        } else if (std::string v = cell_text(row[t.column("value")]); !v.empty()) {
            lhs = value_latex(v) + " = ";
        } else {
            note = cell_text(row[t.column("converges")]) == "0" ? "does not converge" : "no digit is certain";
            note = " \\quad \\text{(" + note + " at depth " + cell_text(row[t.column("depth")]) + ")}";
        }
        std::cout << "\\begin{equation}\n  " << lhs << cf_latex(*pcf, 3) << note << "\n"
                  << "  \\qquad a(n) = " << poly_latex(pcf->a) << ",\\ b(n) = " << poly_latex(pcf->b)
                  << "\n\\end{equation}\n";
    }
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// One word: letters, digits, _.
bool is_word(const std::string& s) { return !s.empty() && std::all_of(s.begin(), s.end(), word_char); }

// Whether `name` is one of the words of `text`: "pi" in "pi; log2,log3" and in "80/(-16 + 15*pi)",
// "e" in "(-11 + 4*e)/(19 - 7*e)", not in "gompertz".
bool mentions(const std::string& text, const std::string& name) {
    for (size_t i = 0; i < text.size();) {
        if (!word_char(text[i])) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < text.size() && word_char(text[j])) ++j;
        if (text.compare(i, j - i, name) == 0) return true;
        i = j;
    }
    return false;
}

void run_query(const QueryArgs& args) {
    db::QueryOptions q;
    q.what = args.what;
    // clusters and members are filtered here (by --constant, --new), before the limit; the database
    // returns only the labelled or identified ones then
    const bool cluster_kind = args.what == "clusters" || args.what == "members";
    const bool filtered = cluster_kind && (args.only_new || !args.constant.empty());
    if (!args.constant.empty() && !cluster_kind) q.constant = args.constant;
    q.named = filtered;
    q.min_digits = args.min_digits;
    q.min_delta = args.min_delta;
    q.sort = args.sort;
    q.descending = !args.ascending;
    q.limit = filtered ? 0 : args.limit;
    q.families = !args.all;
    q.cluster = args.cluster;
    if (args.only_new && args.what != "members") throw UsageError("--new", "applies to --what members");
    if (cluster_kind && !args.constant.empty() && !is_word(args.constant))
        throw UsageError("--constant", "for --what " + args.what + ", one name (pi, e, log2, quadratic, ...), not '" +
                                           args.constant + "'");
    if (args.min_delta && !std::isfinite(*args.min_delta))
        throw UsageError("--min-delta", "must be a finite number, not " + std::to_string(*args.min_delta));
    db::Store store(args.db, db::Store::Open::read_only);
    if (!args.constant.empty() && !args.named_constant && (cluster_kind || args.what == "conjectures")) {
        // not a constant expression: the --name a search stored, or a kind of algebraic number (cluster labels)
        if (cluster_kind ? !search::algebraic_kind(args.constant) : !db::has_constant(store, args.constant)) {
            std::string names;
            for (const ConstantInfo& c : named_constants()) names += (names.empty() ? "" : ", ") + std::string(c.name);
            throw UsageError("--constant", "unknown constant '" + args.constant + "' (known: " + names +
                                               (cluster_kind ? "; rational, quadratic, cubic, quartic, algebraic)"
                                                             : "; products and powers such as pi^2*log2; or a "
                                                               "search --name stored in this database)"));
        }
    }
    db::Table t = db::run_query(store, q);
    if (cluster_kind) {
        // members: which classical formula (search/known_pcfs.csv) each is; --constant: the clusters
        // whose label, the members whose relation, names it
        const bool members = args.what == "members";
        if (members) t.columns.push_back("known");
        const int rel = members ? t.column("relation") : -1, text = t.column(members ? "relation_text" : "label");
        std::vector<std::vector<db::Cell>> kept;
        for (auto& row : t.rows) {
            if (args.limit > 0 && static_cast<long>(kept.size()) >= args.limit) break;
            if (!args.constant.empty() && !mentions(cell_text(row[text]), args.constant)) continue;
            if (members) {
                auto pcf = row_pcf(t, row);
                const search::KnownPcf* k = pcf ? search::match_known(*pcf) : nullptr;
                row.push_back(k ? db::Cell(k->id) : db::Cell(nullptr));
                // new: named by a constant (not only linked to another member's limit L), and not classical
                const std::string r = cell_text(row[rel]);
                if (args.only_new && (k || r.empty() || Json::parse(r).contains("L"))) continue;
            }
            kept.push_back(std::move(row));
        }
        t.rows = std::move(kept);
    }
    if (args.format == "json") {
        Json out = Json::array();
        for (const auto& row : t.rows) {
            Json o;
            for (size_t i = 0; i < t.columns.size(); ++i) {
                Json v = cell_json(row[i]);
                if ((t.columns[i] == "relation" || t.columns[i] == "params" || t.columns[i] == "delta_trajectory") &&
                    v.is_string()) {
                    try {
                        v = Json::parse(v.get<std::string>());
                    } catch (const std::exception&) {
                    }
                }
                o[t.columns[i]] = v;
            }
            out.push_back(o);
        }
        std::cout << out.dump(1) << "\n";
    } else if (args.format == "csv") {
        for (size_t i = 0; i < t.columns.size(); ++i) std::cout << (i ? "," : "") << csv_field(t.columns[i]);
        std::cout << "\n";
        for (const auto& row : t.rows) {
            for (size_t i = 0; i < row.size(); ++i) std::cout << (i ? "," : "") << csv_field(cell_text(row[i]));
            std::cout << "\n";
        }
    } else if (args.format == "latex") {
        print_latex(t, args.what);
    } else {
        print_table(t, args.what);
    }
}

}  // namespace

void setup_query(CLI::App& app) {
    auto args = std::make_shared<QueryArgs>();
    CLI::App* sub = app.add_subcommand("query", "Show what a database holds: conjectures, evaluations, clusters, runs");
    sub->add_option("--db", args->db, "The database")->default_val("convergent.db");
    sub->add_option("--what", args->what, "conjectures, evaluations, clusters, members (of clusters) or runs")
        ->check(CLI::IsMember({"conjectures", "evaluations", "clusters", "members", "runs"}))
        ->default_val("conjectures");
    sub->add_option("--constant", args->constant,
                    "Only conjectures for this constant (pi, zeta3, pi^2, ..., or the --name of your own); clusters whose "
                    "label, members whose relation, names it (pi, e, log2, quadratic, ...)");
    sub->add_option("--min-digits", args->min_digits, "At least this many digits")->check(CLI::Range(0L, 1'000'000'000L));
    sub->add_option("--min-delta", args->min_delta, "delta at least this");
    sub->add_option("--cluster", args->cluster, "Only this cluster (its number): clusters, members, evaluations")
        ->check(CLI::Range(0L, 1'000'000'000L));
    sub->add_flag("--new", args->only_new,
                  "members: only members named by a constant that are no classical formula (new formula candidates)");
    sub->add_option("--sort", args->sort, "Sort by this column (descending; --asc for ascending)");
    sub->add_flag("--asc", args->ascending, "Sort ascending");
    sub->add_option("--limit", args->limit, "At most this many rows")->check(CLI::Range(1L, 1'000'000'000L));
    sub->add_flag("--all", args->all, "Every conjecture (default: one per family of equivalent PCFs)");
    sub->add_option("--format", args->format, "table, csv, json or latex")
        ->check(CLI::IsMember({"table", "csv", "json", "latex"}))
        ->default_val("table");
    sub->footer(
        "Examples:\n"
        "  convergent query --db pi.db\n"
        "  convergent query --db pi.db --constant pi --min-digits 100 --format latex\n"
        "  convergent query --db blind.db --what evaluations --sort delta --limit 20 --format csv\n"
        "  convergent query --db blind.db --what clusters\n"
        "  convergent query --db blind.db --what members --new --format csv\n"
        "  convergent query --db blind.db --what clusters --constant pi\n"
        "  convergent query --db blind.db --what evaluations --cluster 3\n"
        "  convergent query --db runs.db --what runs --format json");
    sub->callback([args] {
        if (!args->constant.empty()) {
            try {
                args->constant = parse_constant(args->constant).str();
                args->named_constant = true;
            } catch (const ParseError& e) {
                // the --name of a user's constant (search --constant-value): a plain identifier
                const std::string& n = args->constant;
                if (n.size() > 64 || !is_word(n) || std::isdigit(static_cast<unsigned char>(n[0])))
                    throw UsageError("--constant", e.what());
            }
        }
        run_query(*args);
    });
}

}  // namespace cvg::cli
