// Runs the numbered work units of a search in parallel (oneTBB pipeline: units are processed
// in parallel and committed in unit order by the single writer, one transaction per unit), skips
// units already done (resume) or belonging to other shards, and reports progress.
#pragma once

#include "db/store.hpp"
#include "search/mitm.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>

namespace cvg::search {

struct Shard {
    uint64_t index = 0, count = 1;  // units u with u % count == index
};

struct Progress {
    uint64_t units_done = 0, units_todo = 0;
    UnitStats totals;
    uint64_t conjectures = 0;  // while running: as found; at the end: the distinct rows stored
    double seconds = 0;
};

struct RunOptions {
    Shard shard;
    int max_parallel_units = 4;  // units in flight (tokens)
    std::function<void(const Progress&)> on_progress;
};

// Conjecture rows as stored: method, constant name, relation JSON/text, digits, depth, metrics.
db::ConjectureRow conjecture_row(const Conjecture& c, const std::string& method, const std::string& constant);

// Fault injection for the crash-consistency tests: with CONVERGENT_TEST_KILL_AFTER_UNITS=k in the
// environment, the process SIGKILLs itself right after its k-th unit is committed.
void maybe_kill_after_commit(uint64_t units_committed);

Progress run_units(const UnitSearch& search, db::Store& store, int64_t run_id, const std::set<uint64_t>& done,
                   const std::string& constant_name, const RunOptions& opt);

}  // namespace cvg::search
