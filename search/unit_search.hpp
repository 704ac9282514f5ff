// What every kind of search computes per numbered work unit, so that one runner (local pipeline
// or MPI) serves them all: conjectures with their verification, and counters.
#pragma once

#include "db/store.hpp"
#include "search/verify.hpp"
#include "src/pcf.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cvg::search {

struct Conjecture {
    uint64_t index = 0;  // in the search's own numbering
    Pcf pcf;
    Verified v;
    std::string family;
};

struct UnitStats {
    uint64_t pcfs = 0, terminated = 0, overflow = 0, q_zero = 0, unconverged = 0, screened = 0;
    uint64_t rescreened = 0;  // slowly converging PCFs screened a second time, deeper
    uint64_t candidates = 0;  // candidates that went to re-verification
    uint64_t rejected = 0;    // candidates that failed re-verification, of which
    uint64_t too_slow = 0;    //   converge too slowly to certify the verification digits
    uint64_t equivalent = 0;  // skipped as trivially equivalent to another PCF of the domain
    uint64_t sampled_out = 0; // not in the sample
    void add(const UnitStats& o);
};

struct UnitResult {
    uint64_t unit = 0;
    UnitStats stats;
    std::vector<Conjecture> conjectures;
    std::vector<db::EvaluationRow> evaluations;  // blind runs: every PCF's value and metrics
    std::vector<uint64_t> rejected;  // indices of candidates the re-verification rejected
    double seconds = 0;
};

// The transaction that commits a unit: its conjectures, evaluations and work_units row.
db::Batch batch_of(const UnitResult& r, int64_t run_id, const std::string& method, const std::string& constant);

class UnitSearch {
public:
    virtual ~UnitSearch() = default;
    virtual uint64_t units() const = 0;
    virtual UnitResult run_unit(uint64_t unit) const = 0;  // deterministic, thread-safe
    virtual const char* method() const = 0;                // stored with each conjecture
};

}  // namespace cvg::search
