// convergent merge: combine the databases of shards (or of separate runs) into one, and
// convergent status: the progress of the runs in a database, also while they are writing.
#include "db/merge.hpp"
#include "search/runner.hpp"
#include "src/cli/common.hpp"

#include <cstdio>
#include <ctime>
#include <iostream>

namespace cvg::cli {
namespace {

std::string unit_list(const std::vector<uint64_t>& u) {
    std::string s;
    for (size_t i = 0; i < u.size() && i < 20; ++i) s += (i ? "," : "") + std::to_string(u[i]);
    if (u.size() > 20) s += ",... (" + std::to_string(u.size()) + ")";
    return s;
}

Json coverage_json(const db::MergeReport::Search& s) {
    return Json{{"kind", s.kind},         {"params_hash", s.params_hash}, {"units_total", s.units_total},
                {"units_done", s.units_done}, {"missing", s.missing},      {"duplicated", s.duplicated}};
}

struct MergeArgs {
    std::string out;
    std::vector<std::string> parts;
    bool json = false;
};

void run_merge(const MergeArgs& a) {
    for (const std::string& p : a.parts)
        if (p == a.out) throw UsageError("PART", "'" + p + "' is the output database");
    db::Store target(a.out, db::Store::Open::read_write);
    // CONVERGENT_TEST_KILL_AFTER_UNITS=k (crash-consistency tests): SIGKILL after the k-th part
    db::MergeReport r = db::merge(target, a.parts, [](size_t merged) { search::maybe_kill_after_commit(merged); });
    if (a.json) {
        Json j;
        j["db"] = a.out;
        j["parts"] = Json::array();
        for (const auto& p : r.parts)
            j["parts"].push_back({{"path", p.path}, {"runs", p.runs}, {"pcfs", p.pcfs}, {"evaluations", p.evaluations},
                                  {"conjectures", p.conjectures}, {"units", p.units},
                                  {"clusters", p.clusters}});
        j["searches"] = Json::array();
        for (const auto& s : r.searches) j["searches"].push_back(coverage_json(s));
        std::cout << j.dump() << "\n";
        return;
    }
    for (const auto& p : r.parts) {
        std::printf("merged %s: +%lld runs, +%lld PCFs, +%lld evaluations, +%lld conjectures, +%lld units",
                    p.path.c_str(), static_cast<long long>(p.runs), static_cast<long long>(p.pcfs),
                    static_cast<long long>(p.evaluations), static_cast<long long>(p.conjectures),
                    static_cast<long long>(p.units));
        if (p.clusters) std::printf(", +%lld clusters", static_cast<long long>(p.clusters));
        std::printf("\n");
    }
    for (const auto& s : r.searches) {
        std::printf("%s %s: %lld of %lld units done", s.kind.c_str(), s.params_hash.c_str(),
                    static_cast<long long>(s.units_done), static_cast<long long>(s.units_total));
        if (!s.missing.empty()) std::printf("; missing %s", unit_list(s.missing).c_str());
        if (!s.duplicated.empty()) std::printf("; done twice %s", unit_list(s.duplicated).c_str());
        std::printf("\n");
    }
}

struct StatusArgs {
    std::string db = "convergent.db";
    bool json = false;
};

double seconds_since_iso(const std::string& iso) {
    std::tm tm{};
    if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return 0;
    return std::difftime(std::time(nullptr), timegm(&tm));
}

void run_status(const StatusArgs& a) {
    db::Store store(a.db, db::Store::Open::read_only);
    auto coverage = db::unit_coverage(store);
    db::Statement s(store.connection(),
                    "SELECT r.kind, r.params_hash, min(r.started_at), max(r.status), "
                    "(SELECT count(*) FROM conjectures c JOIN runs x ON x.id = c.run_id WHERE x.kind = r.kind AND "
                    "x.params_hash = r.params_hash), "
                    "(SELECT count(*) FROM evaluations e JOIN runs x ON x.id = e.run_id WHERE x.kind = r.kind AND "
                    "x.params_hash = r.params_hash), "
                    "(SELECT sum(w.seconds) FROM work_units w JOIN runs x ON x.id = w.run_id WHERE x.kind = r.kind "
                    "AND x.params_hash = r.params_hash), count(*) "
                    "FROM runs r WHERE r.kind != 'eval' GROUP BY r.kind, r.params_hash ORDER BY min(r.id)");
    Json out = Json::array();
    size_t i = 0;
    while (s.step()) {
        const db::MergeReport::Search& c = coverage.at(i++);
        double elapsed = seconds_since_iso(s.text(2));
        double unit_seconds = s.is_null(6) ? 0 : s.real(6);
        double per_unit = c.units_done ? unit_seconds / static_cast<double>(c.units_done) : 0;
        double left = static_cast<double>(c.units_total - c.units_done);
        Json j = coverage_json(c);
        j["runs"] = s.int64(7);
        j["started_at"] = s.text(2);
        j["conjectures"] = s.int64(4);
        j["evaluations"] = s.int64(5);
        j["cpu_seconds_per_unit"] = per_unit;
        j["eta_cpu_seconds"] = per_unit * left;
        out.push_back(j);
        if (!a.json) {
            double pct = c.units_total ? 100.0 * static_cast<double>(c.units_done) / static_cast<double>(c.units_total) : 0;
            std::printf("%s %s: %lld/%lld units (%.1f%%), %lld conjectures, %lld evaluations, %lld run(s), "
                        "started %s (%.0f s ago), %.3g s per unit, ETA %.3g s of one worker\n",
                        c.kind.c_str(), c.params_hash.c_str(), static_cast<long long>(c.units_done),
                        static_cast<long long>(c.units_total), pct, static_cast<long long>(s.int64(4)),
                        static_cast<long long>(s.int64(5)), static_cast<long long>(s.int64(7)), s.text(2).c_str(),
                        elapsed, per_unit, per_unit * left);
            if (!c.duplicated.empty()) std::printf("  units done twice: %s\n", unit_list(c.duplicated).c_str());
        }
    }
    if (a.json) std::cout << out.dump() << "\n";
    else if (out.empty()) std::printf("no search runs in %s\n", a.db.c_str());
}

}  // namespace

void setup_merge(CLI::App& app) {
    auto args = std::make_shared<MergeArgs>();
    CLI::App* sub = app.add_subcommand("merge", "Merge shard databases into one (idempotent)");
    sub->add_option("OUT", args->out, "The merged database (created if missing)")->required();
    sub->add_option("PART", args->parts, "Databases to merge into OUT")->required()->check(CLI::ExistingFile);
    sub->add_flag("--json", args->json, "Print the report as JSON");
    sub->footer(
        "Parts must hold the same search (same parameters and convergent version). Merging a part twice adds\n"
        "nothing. The report lists work units that no part has done, or that two parts both did.\n"
        "Examples:\n"
        "  convergent merge all.db part-*.db\n"
        "  convergent merge all.db late-shard.db --json");
    sub->callback([args] { run_merge(*args); });

    auto st = std::make_shared<StatusArgs>();
    CLI::App* ss = app.add_subcommand("status", "Progress of the runs in a database (also while they run)");
    ss->add_option("--db", st->db, "The database")->default_val("convergent.db");
    ss->add_flag("--json", st->json, "Print a JSON array, one object per search");
    ss->footer("Examples:\n  convergent status --db pi.db\n  watch -n 5 convergent status --db z3.db");
    ss->callback([st] { run_status(*st); });
}

}  // namespace cvg::cli
