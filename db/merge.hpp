// Merging databases (shards of one search run on many machines) into one: idempotent (a part
// merged twice adds nothing), refuses parts of a different search or version, and reports which
// work units are missing or were done twice.
#pragma once

#include "db/store.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cvg::db {

struct MergeReport {
    struct Part {
        std::string path;
        int64_t runs = 0, pcfs = 0, evaluations = 0, conjectures = 0, units = 0, clusters = 0;  // rows added
    };
    std::vector<Part> parts;
    // per search (kind + parameters) in the merged database
    struct Search {
        std::string kind, params_hash;
        int64_t units_total = 0, units_done = 0;
        std::vector<uint64_t> missing;     // units no run has done
        std::vector<uint64_t> duplicated;  // units done by more than one run
    };
    std::vector<Search> searches;
};

// Merges `parts` into `target` (created if missing). Every run that is not an `eval` must have
// the parameters and version of the target's (or the first part's) runs of its kind; otherwise
// DbError(bad_input) is thrown before anything is written. A target or part that fails SQLite's
// quick_check is refused the same way. Each part is one transaction: a merge that is killed keeps
// the parts committed so far, and running it again adds the rest. `on_part` is called after each
// part's commit with the number of parts merged so far.
MergeReport merge(Store& target, const std::vector<std::string>& parts,
                  const std::function<void(size_t)>& on_part = {});

// Units done / missing / duplicated for each non-eval search in a database.
std::vector<MergeReport::Search> unit_coverage(Store& store);

}  // namespace cvg::db
