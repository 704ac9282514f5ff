// What search, esma and blind share at the command line: the run row (new, or continued with
// --resume), the work units (local oneTBB pipeline, or MPI under mpirun/srun), the progress line,
// and the closing of the run.
#pragma once

#include "search/runner.hpp"
#ifdef CONVERGENT_HAVE_MPI
#include "search/mpi_runner.hpp"
#endif

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cvg::cli {

struct RunSpec {
    std::string kind;      // search | esma | blind
    std::string params;    // canonical JSON: identifies the run for --resume and merge
    std::string db;
    std::string constant;  // stored with the conjectures
    bool resume = false, mpi = false;
    std::optional<std::pair<uint64_t, uint64_t>> shard;
};

struct RankStatsView {
    int rank = 0;
    uint64_t units = 0, pcfs = 0;
    double busy_seconds = 0, idle_seconds = 0, wall_seconds = 0;
};

struct RunOutcome {
    bool worker = false;  // an MPI rank other than 0: nothing to report
    int64_t run_id = 0;
    search::Progress progress;
    std::vector<RankStatsView> ranks;  // MPI only
    uint64_t units_total = 0, units_done_total = 0;
};

// The per-rank statistics of an MPI run (empty otherwise): a JSON array, and text lines
// ("  rank 1      12 units, 3.4 k items/s while busy, ...") with `items` naming what a unit holds.
nlohmann::json ranks_json(const RunOutcome& out);
void print_ranks(const RunOutcome& out, const char* items);

// Builds the search with `make` (on every rank), runs its units and, on rank 0 (or without MPI),
// records them in the database. `status` turns progress into the text of the progress line.
RunOutcome run_units_cli(const RunSpec& spec, const std::function<std::unique_ptr<search::UnitSearch>()>& make,
                         const std::function<std::string(const search::Progress&)>& status);

// Runs a subcommand's body; with --mpi a failure on any rank aborts the whole job instead of
// leaving the other ranks waiting.
void with_mpi_abort(bool mpi, const char* name, const std::function<void()>& body);

}  // namespace cvg::cli
