// The Convergent database: schema creation and migrations (PRAGMA user_version), runs, and
// batched writes of PCFs, evaluations, conjectures and work units, one transaction per batch.
// Knows nothing of search; rows are plain values.
#pragma once

#include "db/sqlite.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cvg::db {

constexpr int kSchemaVersion = 2;  // schema.sql is version 1, migrate_K.sql bring it to K

struct PcfRow {
    std::string a, b;            // canonical ascending lists "[5,27,51,34]"
    std::string a_expr, b_expr;  // canonical expressions
    int a_deg = 0, b_deg = 0;
};

struct EvaluationRow {
    PcfRow pcf;
    uint64_t depth = 0;
    bool converges = false;
    long digits = 0;
    std::optional<std::string> value;
    std::optional<double> value_approx;
    std::string limit_source = "none";
    std::optional<uint64_t> limit_depth;
    std::optional<double> delta;
    std::optional<std::string> delta_trajectory;  // JSON
    std::optional<double> rate;
    std::optional<std::string> convergence;
    std::optional<double> fr_k;
    std::optional<bool> fr_stable;
    std::optional<double> growth_nlogn, growth_n;
};

struct ConjectureRow {
    PcfRow pcf;
    std::string method, constant, relation, relation_text;
    long digits_matched = 0;
    uint64_t verification_depth = 0;
    std::optional<long> certified_digits;
    std::optional<double> delta, rate;
    std::optional<std::string> convergence;
    std::string status = "verified";
    std::optional<std::string> family;
};

struct WorkUnitRow {
    uint64_t unit = 0;
    std::optional<int64_t> items, candidates, conjectures;
    std::optional<double> seconds;
};

// What one transaction writes. A batch with a work unit marks that unit done atomically with its
// rows, so a killed process loses at most the units in flight.
struct Batch {
    int64_t run_id = 0;
    std::vector<EvaluationRow> evaluations;
    std::vector<ConjectureRow> conjectures;
    std::optional<WorkUnitRow> unit;
};

struct RunInfo {
    std::string kind;
    std::string params;        // canonical JSON
    std::string version;
    std::optional<int64_t> units_total;
};

struct RunRecord {
    int64_t id = 0;
    std::string uid, kind, params, params_hash, version, status;
    std::optional<int64_t> units_total;
};

std::string params_hash(const std::string& params);  // FNV-1a 64, hex
std::string utc_now();                               // ISO 8601

class Store {
public:
    enum class Open { read_only, read_write, existing };
    // read_write creates the file and schema if missing and migrates older schemas; existing is
    // read_write on a database that must already exist (commands that add to a run); a file that
    // is not a Convergent database, or has a newer schema, throws DbError (bad_input) untouched.
    Store(const std::string& path, Open mode);
    ~Store();

    Connection& connection() { return *c_; }
    int schema_version() const { return version_; }

    int64_t begin_run(const RunInfo& info);
    void finish_run(int64_t run_id, const std::string& status, double wall_seconds, double cpu_seconds);
    std::optional<RunRecord> find_run(const std::string& kind, const std::string& params) const;
    std::optional<RunRecord> run(int64_t run_id) const;
    std::set<uint64_t> done_units(int64_t run_id) const;
    int64_t conjecture_count(int64_t run_id) const;  // rows of the run (duplicates are never stored)

    void write(const Batch& batch);  // one transaction; rolls back on any error

    // Rows per multi-row INSERT statement in write() (the rest of a batch goes one row at a time).
    static constexpr int kRowsPerStatement = 32;

private:
    void open_file(const std::string& path, Open mode);  // the constructor's work once the file is known

    void write_rows(const Batch& batch);
    int64_t pcf_id(const PcfRow& p);  // one PCF: cache, else INSERT ... ON CONFLICT, else SELECT
    int64_t existing_pcf_id(const PcfRow& p);  // SELECT of a PCF in the table
    void pcf_ids(const std::vector<const PcfRow*>& rows, std::vector<int64_t>& ids);  // many at once
    void create_or_migrate();

    std::unique_ptr<Connection> c_;
    int version_ = 0;
    struct Prepared;
    std::unique_ptr<Prepared> st_;  // prepared write statements (read_write only)
    class PcfCache;
    std::unique_ptr<PcfCache> cache_;  // canonical (a, b) -> pcfs.id; emptied when a write rolls back
};

}  // namespace cvg::db
