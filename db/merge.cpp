#include "db/merge.hpp"

#include <map>
#include <set>

namespace cvg::db {
namespace {

struct RunKey {
    std::string kind, params_hash, version;
};

std::vector<RunKey> search_runs(Connection& c, const std::string& schema) {
    Statement s(c, "SELECT DISTINCT kind, params_hash, version FROM " + schema + ".runs WHERE kind != 'eval'");
    std::vector<RunKey> out;
    while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2)});
    return out;
}

void refuse_corrupted(Connection& c, const std::string& path, const char* role) {
    std::string result = quick_check(c);
    if (result != "ok")
        throw DbError(std::string(role) + " '" + path + "' is corrupted (" + result + "); nothing was merged", true,
                      SQLITE_CORRUPT);
}

}  // namespace

std::vector<MergeReport::Search> unit_coverage(Store& store) {
    Connection& c = store.connection();
    std::vector<MergeReport::Search> out;
    // a cluster run has no work units: its units_total counts clusters
    Statement kinds(c, "SELECT kind, params_hash, max(units_total) FROM runs WHERE kind NOT IN ('eval', 'cluster') "
                       "GROUP BY kind, params_hash ORDER BY min(id)");
    while (kinds.step()) {
        MergeReport::Search s;
        s.kind = kinds.text(0);
        s.params_hash = kinds.text(1);
        s.units_total = kinds.is_null(2) ? 0 : kinds.int64(2);
        Statement u(c, "SELECT w.unit, count(*) FROM work_units w JOIN runs r ON r.id = w.run_id "
                       "WHERE r.kind = ? AND r.params_hash = ? GROUP BY w.unit ORDER BY w.unit");
        u.bind(1, s.kind).bind(2, s.params_hash);
        std::set<uint64_t> done;
        while (u.step()) {
            uint64_t unit = static_cast<uint64_t>(u.int64(0));
            done.insert(unit);
            if (u.int64(1) > 1) s.duplicated.push_back(unit);
        }
        s.units_done = static_cast<int64_t>(done.size());
        for (int64_t k = 0; k < s.units_total; ++k)
            if (!done.count(static_cast<uint64_t>(k))) s.missing.push_back(static_cast<uint64_t>(k));
        out.push_back(std::move(s));
    }
    return out;
}

MergeReport merge(Store& target, const std::vector<std::string>& parts, const std::function<void(size_t)>& on_part) {
    Connection& c = target.connection();
    MergeReport report;
    refuse_corrupted(c, c.path(), "the output database");
    // Check every part first: a Convergent database, and one search per kind.
    std::map<std::string, RunKey> by_kind;
    for (const RunKey& k : search_runs(c, "main")) by_kind.emplace(k.kind, k);
    std::vector<int> versions;  // each part's schema version
    for (const std::string& p : parts) {
        Store part(p, Store::Open::read_only);  // validates: exists, SQLite, Convergent, schema
        refuse_corrupted(part.connection(), p, "part");
        versions.push_back(part.schema_version());
        for (const RunKey& k : search_runs(part.connection(), "main")) {
            auto [it, fresh] = by_kind.emplace(k.kind, k);
            if (fresh) continue;
            if (it->second.params_hash != k.params_hash)
                throw DbError("'" + p + "' holds a different " + k.kind + " (parameters " + k.params_hash + ", not " +
                                  it->second.params_hash + "): refusing to mix runs",
                              true);
            if (it->second.version != k.version)
                throw DbError("'" + p + "' was written by convergent " + k.version + ", not " + it->second.version +
                                  ": refusing to mix versions",
                              true);
        }
    }
    for (size_t i = 0; i < parts.size(); ++i) {
        const std::string& p = parts[i];
        MergeReport::Part pr;
        pr.path = p;
        {
            Statement attach(c, "ATTACH DATABASE ? AS src");  // only read from
            attach.bind(1, p);
            attach.run();
        }
        try {
            Transaction tx(c);
            auto changes = [&] { return static_cast<int64_t>(sqlite3_changes(c.get())); };
            c.exec("INSERT INTO main.runs(uid, kind, params, params_hash, version, host, started_at, finished_at, "
                   "wall_seconds, cpu_seconds, units_total, status) SELECT uid, kind, params, params_hash, version, "
                   "host, started_at, finished_at, wall_seconds, cpu_seconds, units_total, status FROM src.runs "
                   "WHERE true ON CONFLICT(uid) DO NOTHING");
            pr.runs = changes();
            c.exec("INSERT INTO main.pcfs(a, b, a_expr, b_expr, a_deg, b_deg) SELECT a, b, a_expr, b_expr, a_deg, "
                   "b_deg FROM src.pcfs WHERE true ON CONFLICT(a, b) DO NOTHING");
            pr.pcfs = changes();
            // ids of the part mapped to the target through the natural keys (uid; a, b)
            c.exec("CREATE TEMP TABLE run_map AS SELECT s.id AS src_id, m.id AS dst_id FROM src.runs s "
                   "JOIN main.runs m ON m.uid = s.uid");
            c.exec("CREATE TEMP TABLE pcf_map AS SELECT s.id AS src_id, m.id AS dst_id FROM src.pcfs s "
                   "JOIN main.pcfs m ON m.a = s.a AND m.b = s.b");
            c.exec("CREATE UNIQUE INDEX temp.pcf_map_src ON pcf_map(src_id)");
            // named columns: databases created before value became the last column order them differently
            c.exec("INSERT INTO main.evaluations(pcf_id, run_id, depth, converges, digits, value_approx, limit_source, "
                   "limit_depth, delta, delta_trajectory, rate, convergence, fr_k, fr_stable, growth_nlogn, growth_n, "
                   "value) SELECT pm.dst_id, rm.dst_id, e.depth, e.converges, e.digits, e.value_approx, e.limit_source, "
                   "e.limit_depth, e.delta, e.delta_trajectory, e.rate, e.convergence, e.fr_k, e.fr_stable, "
                   "e.growth_nlogn, e.growth_n, e.value FROM src.evaluations e "
                   "JOIN pcf_map pm ON pm.src_id = e.pcf_id JOIN run_map rm ON rm.src_id = e.run_id "
                   "WHERE true ON CONFLICT DO NOTHING");
            pr.evaluations = changes();
            c.exec("INSERT INTO main.conjectures(pcf_id, run_id, method, constant, relation, relation_text, "
                   "digits_matched, verification_depth, certified_digits, delta, rate, convergence, status, family) "
                   "SELECT pm.dst_id, rm.dst_id, k.method, k.constant, k.relation, k.relation_text, k.digits_matched, "
                   "k.verification_depth, k.certified_digits, k.delta, k.rate, k.convergence, k.status, k.family "
                   "FROM src.conjectures k JOIN pcf_map pm ON pm.src_id = k.pcf_id "
                   "JOIN run_map rm ON rm.src_id = k.run_id WHERE true ORDER BY k.id ON CONFLICT DO NOTHING");
            pr.conjectures = changes();
            c.exec("INSERT INTO main.work_units SELECT rm.dst_id, w.unit, w.state, w.items, w.candidates, "
                   "w.conjectures, w.seconds, w.finished_at FROM src.work_units w "
                   "JOIN run_map rm ON rm.src_id = w.run_id WHERE true ON CONFLICT DO NOTHING");
            pr.units = changes();
            if (versions[i] >= 2) {  // version 2 added the cluster tables
                c.exec("INSERT INTO main.clusters(run_id, number, size, stability, label, label_relation, label_text, "
                       "identified, centroid) SELECT rm.dst_id, k.number, k.size, k.stability, k.label, "
                       "k.label_relation, k.label_text, k.identified, k.centroid FROM src.clusters k "
                       "JOIN run_map rm ON rm.src_id = k.run_id WHERE true ORDER BY k.id ON CONFLICT DO NOTHING");
                pr.clusters = changes();
                c.exec("INSERT INTO main.cluster_members(cluster_id, pcf_id, probability, relation, relation_text, "
                       "digits) SELECT mk.id, pm.dst_id, m.probability, m.relation, m.relation_text, m.digits "
                       "FROM src.cluster_members m JOIN src.clusters sk ON sk.id = m.cluster_id "
                       "JOIN run_map rm ON rm.src_id = sk.run_id "
                       "JOIN main.clusters mk ON mk.run_id = rm.dst_id AND mk.number = sk.number "
                       "JOIN pcf_map pm ON pm.src_id = m.pcf_id WHERE true ON CONFLICT DO NOTHING");
            }
            c.exec("DROP TABLE temp.run_map");
            c.exec("DROP TABLE temp.pcf_map");
            tx.commit();
        } catch (const DbError& e) {
            // the target connection reports errors under the target's name: say which part it was
            sqlite3_exec(c.get(), "DETACH DATABASE src", nullptr, nullptr, nullptr);
            throw DbError(std::string(e.what()) + " (while merging '" + p + "'; nothing of it was written)",
                          e.bad_input(), e.code());
        } catch (...) {
            sqlite3_exec(c.get(), "DETACH DATABASE src", nullptr, nullptr, nullptr);
            throw;
        }
        c.exec("DETACH DATABASE src");
        report.parts.push_back(pr);
        if (on_part) on_part(report.parts.size());
    }
    report.searches = unit_coverage(target);
    return report;
}

}  // namespace cvg::db
