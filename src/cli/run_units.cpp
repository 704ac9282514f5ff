#include "src/cli/run_units.hpp"

#include "src/cli/common.hpp"
#include "src/version.hpp"

#ifdef CONVERGENT_HAVE_MPI
#include <mpi.h>
#endif
#include <oneapi/tbb/info.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace cvg::cli {
namespace {

// A run only adds to a sound database: a page that SQLite cannot read (disk error, a copy cut
// short, bytes overwritten) is reported before the first write, with the file left as it is.
void refuse_corrupted(db::Store& store, const std::string& path) {
    std::string result = db::quick_check(store.connection());
    if (result != "ok")
        throw db::DbError("'" + path + "' is corrupted (" + result + "); nothing was written", true, SQLITE_CORRUPT);
}

}  // namespace

RunOutcome run_units_cli(const RunSpec& spec, const std::function<std::unique_ptr<search::UnitSearch>()>& make,
                         const std::function<std::string(const search::Progress&)>& status) {
    RunOutcome out;
    const int parallel = static_cast<int>(2 * tbb::info::default_concurrency());
#ifdef CONVERGENT_HAVE_MPI
    std::unique_ptr<search::MpiSession> mpi;
    if (spec.mpi) {
        mpi = std::make_unique<search::MpiSession>(nullptr, nullptr);
        if (mpi->rank() != 0) {  // a worker: no database, no output
            auto s = make();
            search::run_units_mpi_worker(*s, parallel);
            out.worker = true;
            return out;
        }
    }
#else
    if (spec.mpi)
        throw UsageError("--mpi", "this convergent was built without MPI: install libopenmpi-dev and rebuild "
                                  "(scripts/setup.sh does both), or use --shard i/N with a job array");
#endif
    db::Store store(spec.db, db::Store::Open::read_write);
    refuse_corrupted(store, spec.db);
    auto existing = store.find_run(spec.kind, spec.params);
    if (existing && !spec.resume)
        throw UsageError("--resume", "'" + spec.db + "' already has this " + spec.kind + " (run " +
                                         std::to_string(existing->id) + ", " + existing->status +
                                         "): add --resume to continue it, or use another --db");
    auto s = make();
    out.units_total = s->units();
    std::set<uint64_t> done;
    if (existing) {
        out.run_id = existing->id;
        done = store.done_units(out.run_id);
    } else {
        out.run_id = store.begin_run({spec.kind, spec.params, CONVERGENT_VERSION, static_cast<int64_t>(s->units())});
    }
    Progress bar(spec.kind);
    search::RunOptions ro;
    if (spec.shard) ro.shard = {spec.shard->first, spec.shard->second};
    ro.max_parallel_units = parallel;
    ro.on_progress = [&](const search::Progress& p) { bar.update(status(p)); };
    auto cpu0 = std::clock();
    auto t0 = std::chrono::steady_clock::now();
    try {
#ifdef CONVERGENT_HAVE_MPI
        if (mpi) {
            std::vector<search::RankStats> ranks;
            out.progress = search::run_units_mpi_master(*s, store, out.run_id, done, spec.constant, ro, ranks);
            for (const auto& r : ranks)
                out.ranks.push_back({r.rank, r.units, r.pcfs, r.busy_seconds, r.idle_seconds, r.wall_seconds});
        } else
#endif
            out.progress = search::run_units(*s, store, out.run_id, done, spec.constant, ro);
    } catch (...) {
        // A write error (full disk, lock, I/O) or a failed unit: the committed units stay done and
        // --resume continues from them; the run is marked interrupted when the database still
        // takes the update (not on a full disk, say, which the update is then allowed to fail on).
        bar.done();
        try {
            store.finish_run(out.run_id, "interrupted",
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                             static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC);
        } catch (...) {
        }
        throw;
    }
    bar.done();
    double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    out.units_done_total = store.done_units(out.run_id).size();
    store.finish_run(out.run_id, out.units_done_total == out.units_total ? "finished" : "partial", out.progress.seconds,
                     cpu);
    return out;
}

nlohmann::json ranks_json(const RunOutcome& out) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : out.ranks)
        j.push_back({{"rank", r.rank}, {"units", r.units}, {"pcfs", r.pcfs}, {"busy_seconds", r.busy_seconds},
                     {"idle_seconds", r.idle_seconds}, {"wall_seconds", r.wall_seconds}});
    return j;
}

void print_ranks(const RunOutcome& out, const char* items) {
    for (const auto& r : out.ranks)
        std::printf("  rank %-4d   %llu units, %.0f %s/s while busy, busy %.2f s, idle %.2f s, wall %.2f s\n", r.rank,
                    static_cast<unsigned long long>(r.units),
                    r.busy_seconds > 0 ? static_cast<double>(r.pcfs) / r.busy_seconds : 0.0, items, r.busy_seconds,
                    r.idle_seconds, r.wall_seconds);
}

void with_mpi_abort(bool mpi, const char* name, const std::function<void()>& body) {
#ifdef CONVERGENT_HAVE_MPI
    if (mpi) {
        try {
            body();
        } catch (const std::exception& e) {
            int init = 0, fin = 0;
            MPI_Initialized(&init);
            MPI_Finalized(&fin);
            if (init && !fin) {
                std::fprintf(stderr, "convergent %s: error: %s\n", name, e.what());
                MPI_Abort(MPI_COMM_WORLD, dynamic_cast<const UsageError*>(&e) ? 2 : 1);
            }
            throw;
        }
        return;
    }
#else
    (void)name;
    (void)mpi;
#endif
    body();
}

}  // namespace cvg::cli
