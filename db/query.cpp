#include "db/query.hpp"

#include <algorithm>

namespace cvg::db {
namespace {

struct Kind {
    const char* name;
    const char* select;       // SELECT ... FROM ... (no WHERE)
    const char* default_sort;
    std::vector<std::string> sortable;
};

const Kind kKinds[] = {
    {"conjectures",
     "SELECT c.id, c.constant, c.relation_text, p.a_expr, p.b_expr, p.a, p.b, c.digits_matched, "
     "c.certified_digits, c.verification_depth, c.delta, c.rate, c.convergence, c.method, c.status, c.family, "
     "c.run_id, c.relation FROM conjectures c JOIN pcfs p ON p.id = c.pcf_id",
     "c.digits_matched DESC, c.id",
     {"id", "constant", "digits_matched", "certified_digits", "verification_depth", "delta", "rate", "method",
      "status", "family"}},
    // the rows are chosen, filtered and cut in a subquery on the narrow columns (run_query), so that
    // the wide ones (value: thousands of digits) are read only for the rows returned
    {"evaluations",
     "SELECT e.pcf_id AS id, p.a_expr, p.b_expr, p.a, p.b, e.depth, e.converges, e.digits, e.value, e.limit_source, "
     "e.limit_depth, e.delta, e.delta_trajectory, e.rate, e.convergence, e.fr_k, e.fr_stable, e.growth_nlogn, "
     "e.growth_n, e.run_id FROM evaluations e JOIN pcfs p ON p.id = e.pcf_id",
     "e.pcf_id, e.depth, e.limit_source",
     {"id", "depth", "digits", "delta", "rate", "convergence", "fr_k", "growth_nlogn", "growth_n", "value"}},
    {"clusters",
     "SELECT k.id, k.number, k.size, k.label, k.identified, k.label_text, k.stability, k.centroid, k.run_id, "
     "(SELECT p.a_expr || ' | ' || p.b_expr FROM cluster_members m JOIN pcfs p ON p.id = m.pcf_id "
     " WHERE m.cluster_id = k.id ORDER BY m.relation IS NULL, length(p.a) + length(p.b), m.pcf_id LIMIT 1) AS example "
     "FROM clusters k WHERE k.run_id = (SELECT max(id) FROM runs WHERE kind = 'cluster')",
     "k.size DESC, k.id",
     {"id", "size", "label", "identified", "stability"}},
    {"members",
     "SELECT m.pcf_id AS id, k.number AS cluster, k.label, p.a_expr, p.b_expr, p.a, p.b, m.relation_text, m.digits, "
     "m.probability, e.delta, e.rate, m.relation FROM cluster_members m JOIN clusters k ON k.id = m.cluster_id "
     "JOIN pcfs p ON p.id = m.pcf_id LEFT JOIN evaluations e ON e.pcf_id = m.pcf_id AND e.run_id = "
     "(SELECT max(x.run_id) FROM evaluations x WHERE x.pcf_id = m.pcf_id AND x.limit_source LIKE 'blind%') "
     "WHERE k.run_id = (SELECT max(id) FROM runs WHERE kind = 'cluster')",
     "k.number, m.relation IS NULL, m.probability DESC, m.pcf_id",
     {"id", "cluster", "digits", "probability", "delta", "rate"}},
    {"runs",
     "SELECT r.id, r.kind, r.status, r.started_at, r.finished_at, r.wall_seconds, r.cpu_seconds, r.units_total, "
     "(SELECT count(*) FROM work_units w WHERE w.run_id = r.id) AS units_done, "
     "(SELECT count(*) FROM conjectures c WHERE c.run_id = r.id) AS conjectures, "
     "(SELECT count(*) FROM evaluations e WHERE e.run_id = r.id) AS evaluations, "
     "r.version, r.host, r.params FROM runs r",
     "r.id",
     {"id", "kind", "status", "started_at", "wall_seconds", "units_done", "conjectures", "evaluations"}},
};

const Kind& kind_of(const std::string& what) {
    for (const Kind& k : kKinds)
        if (what == k.name) return k;
    throw DbError("--what: unknown kind '" + what + "' (conjectures, evaluations, clusters, members, runs)", true);
}

// Table alias of a sortable column, for ORDER BY.
std::string qualified(const Kind& k, const std::string& col) {
    const std::string name = k.name;
    if (name == "members") {
        if (col == "id") return "m.pcf_id";
        if (col == "cluster") return "k.number";
        return (col == "delta" || col == "rate" ? "e." : "m.") + col;
    }
    std::string prefix = name == "conjectures" ? "c." : name == "evaluations" ? "e." : name == "clusters" ? "k." : "";
    if (std::string(k.name) == "runs") {
        if (col == "units_done" || col == "conjectures" || col == "evaluations") return col;
        return "r." + col;
    }
    if (prefix == "e." && col == "id") return "e.pcf_id";
    if (prefix == "e." && col == "value") return "e.value_approx";  // the number, not its digits as text
    return prefix + col;
}

}  // namespace

int Table::column(const std::string& name) const {
    auto it = std::find(columns.begin(), columns.end(), name);
    return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
}

std::vector<std::string> sortable_columns(const std::string& what) { return kind_of(what).sortable; }

Table run_query(Store& store, const QueryOptions& q) {
    const Kind& k = kind_of(q.what);
    std::string sql = k.select;
    std::vector<std::string> where;
    std::string w = q.what;
    if (q.constant) {
        if (w != "conjectures") throw DbError("--constant applies to --what conjectures", true);
        where.push_back("c.constant = ?1");
    }
    if (q.min_digits) {
        if (w == "runs" || w == "clusters") throw DbError("--min-digits does not apply to --what " + w, true);
        where.push_back(w == "conjectures" ? "c.digits_matched >= ?2" : w == "members" ? "m.digits >= ?2" : "e.digits >= ?2");
    }
    if (q.min_delta) {
        if (w == "runs" || w == "clusters") throw DbError("--min-delta does not apply to --what " + w, true);
        where.push_back(w == "conjectures" ? "c.delta >= ?3" : "e.delta >= ?3");
    }
    if (q.cluster) {
        if (w == "clusters" || w == "members") where.push_back("k.number = ?5");
        else if (w == "evaluations")
            where.push_back("e.pcf_id IN (SELECT m.pcf_id FROM cluster_members m JOIN clusters k ON k.id = m.cluster_id "
                            "WHERE k.number = ?5 AND k.run_id = (SELECT max(id) FROM runs WHERE kind = 'cluster'))");
        else throw DbError("--cluster applies to --what clusters, members or evaluations", true);
    }
    if (q.named) {
        if (w == "clusters") where.push_back("k.label IS NOT NULL");
        else if (w == "members") where.push_back("m.relation IS NOT NULL");
        else throw DbError("only clusters and members are named", true);
    }
    bool has_where = sql.find(" WHERE ") != std::string::npos && (w == "clusters" || w == "members");
    std::string filter;
    for (size_t i = 0; i < where.size(); ++i) filter += (i == 0 && !has_where ? " WHERE " : " AND ") + where[i];
    sql += filter;
    std::string order = k.default_sort;
    if (!q.sort.empty()) {
        if (std::find(k.sortable.begin(), k.sortable.end(), q.sort) == k.sortable.end()) {
            std::string allowed;
            for (const auto& s : k.sortable) allowed += (allowed.empty() ? "" : ", ") + s;
            throw DbError("--sort: unknown column '" + q.sort + "' for " + w + " (" + allowed + ")", true);
        }
        // NULLs last whichever the direction
        std::string col = qualified(k, q.sort);
        order = col + " IS NULL, " + col + (q.descending ? " DESC" : " ASC") + ", " +
                (w == "evaluations" ? std::string("e.pcf_id, e.depth, e.limit_source") : qualified(k, "id"));
    }
    if (q.families && w == "conjectures") {
        // Rank the members of each family (a PCF without a family is its own), keep the first.
        std::string ranked = sql;
        ranked.insert(ranked.find(" FROM conjectures"),
                      ", count(*) OVER fam AS members, group_concat(c.id, ' ') OVER fam_all AS member_ids, "
                      "row_number() OVER (PARTITION BY coalesce(c.family, 'id:' || c.id) "
                      "ORDER BY (c.family = p.a || ';' || p.b) DESC, length(p.a) + length(p.b), c.digits_matched DESC, c.id) "
                      "AS fam_rank");
        ranked += " WINDOW fam AS (PARTITION BY coalesce(c.family, 'id:' || c.id)), "
                  "fam_all AS (PARTITION BY coalesce(c.family, 'id:' || c.id) ORDER BY c.id "
                  "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)";
        // the outer query sees unqualified names
        std::string outer_order = order;
        for (const char* pfx : {"c.", "p."}) {
            for (size_t pos; (pos = outer_order.find(pfx)) != std::string::npos;) outer_order.erase(pos, 2);
        }
        sql = "SELECT * FROM (" + ranked + ") WHERE fam_rank = 1 ORDER BY " + outer_order;
    } else if (w == "evaluations" && q.limit > 0) {
        // the keys of the rows first (filtered, sorted and cut on narrow rows), then only those rows
        // whole: SQLite would carry every row's value through the sorter otherwise
        std::string keys = "SELECT e.pcf_id, e.depth, e.limit_source FROM evaluations e" + filter + " ORDER BY " +
                           order + " LIMIT ?4";
        sql = k.select;
        sql.erase(sql.find(" FROM evaluations e"));  // the columns
        sql += " FROM (" + keys + ") r JOIN evaluations e ON e.pcf_id = r.pcf_id AND e.depth = r.depth AND "
               "e.limit_source = r.limit_source JOIN pcfs p ON p.id = e.pcf_id ORDER BY " + order;
    } else {
        sql += " ORDER BY " + order;
        if (q.limit > 0) sql += " LIMIT ?4";
    }
    // a version-1 database (opened read-only, so not migrated; version 2 added the cluster tables)
    // has no cluster tables: read them as empty
    if (store.schema_version() < 2)
        sql = "WITH clusters(id, run_id, number, size, stability, label, label_relation, label_text, identified, "
              "centroid) AS (SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0), "
              "cluster_members(cluster_id, pcf_id, probability, relation, relation_text, digits) AS "
              "(SELECT NULL, NULL, NULL, NULL, NULL, NULL WHERE 0) " + sql;

    Statement s(store.connection(), sql);
    if (q.constant) s.bind(1, *q.constant);
    if (q.min_digits) s.bind(2, *q.min_digits);
    if (q.min_delta) s.bind(3, *q.min_delta);
    if (q.limit > 0) s.bind(4, q.limit);
    if (q.cluster) s.bind(5, *q.cluster);
    Table t;
    int skip = -1;  // the internal rank column is not shown
    for (int i = 0; i < s.columns(); ++i) {
        if (s.name(i) == "fam_rank") skip = i;
        else t.columns.push_back(s.name(i));
    }
    while (s.step()) {
        std::vector<Cell> row;
        for (int i = 0; i < s.columns(); ++i) {
            if (i == skip) continue;
            switch (s.type(i)) {
                case SQLITE_INTEGER: row.emplace_back(s.int64(i)); break;
                case SQLITE_FLOAT: row.emplace_back(s.real(i)); break;
                case SQLITE_NULL: row.emplace_back(nullptr); break;
                default: row.emplace_back(s.text(i)); break;
            }
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

bool has_constant(Store& store, const std::string& constant) {
    Statement s(store.connection(), "SELECT 1 FROM conjectures WHERE constant = ?1 LIMIT 1");
    s.bind(1, constant);
    return s.step();
}

}  // namespace cvg::db
