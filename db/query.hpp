// Read-only queries behind `convergent query`: conjectures, evaluations and runs with filters
// and a whitelisted sort column, returned as a plain table of typed cells.
#pragma once

#include "db/store.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cvg::db {

using Cell = std::variant<std::nullptr_t, int64_t, double, std::string>;

struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<Cell>> rows;
    int column(const std::string& name) const;  // index, or -1
};

struct QueryOptions {
    std::string what = "conjectures";  // conjectures | evaluations | clusters | members (both of the last
                                       // cluster run) | runs
    std::optional<std::string> constant;
    std::optional<long> min_digits;
    std::optional<double> min_delta;
    std::optional<long> cluster;       // clusters, members, evaluations: only this cluster (its number)
    bool named = false;                // clusters: only labelled ones; members: only those with a relation
    std::string sort;                  // a column of the result; "" = the default order
    bool descending = true;
    long limit = 0;                    // 0 = all
    bool families = false;             // conjectures: one row per family (its canonical member, else the one
                                       // with the shortest coefficients), with a
                                       // `members` count and `member_ids`
};

// The columns --sort accepts for a kind of query.
std::vector<std::string> sortable_columns(const std::string& what);

// Throws DbError(bad_input) for an unknown kind or sort column.
Table run_query(Store& store, const QueryOptions& q);

// Whether a conjecture of the database is for this constant (a name given by search --name).
bool has_constant(Store& store, const std::string& constant);

}  // namespace cvg::db
