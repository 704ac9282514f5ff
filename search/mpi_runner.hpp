// The MPI mode of a search: rank 0 hands out numbered work units on request (fast ranks take
// more), buffers the results and commits them in unit order through the single writer; the other
// ranks compute units with all their threads. Only built when MPI is found.
#pragma once

#include "search/runner.hpp"

#include <string>
#include <vector>

namespace cvg::search {

struct RankStats {
    int rank = 0;
    uint64_t units = 0, pcfs = 0;
    double busy_seconds = 0, idle_seconds = 0, wall_seconds = 0;
};

// Rank 0. Falls back to run_units when the job has a single rank.
Progress run_units_mpi_master(const UnitSearch& search, db::Store& store, int64_t run_id,
                              const std::set<uint64_t>& done, const std::string& constant_name,
                              const RunOptions& opt, std::vector<RankStats>& ranks);

// Every other rank: computes units until rank 0 says stop.
void run_units_mpi_worker(const UnitSearch& search, int max_parallel_units);

// MPI_Init_thread / MPI_Finalize around a scope; rank() and size() of MPI_COMM_WORLD.
class MpiSession {
public:
    MpiSession(int* argc, char*** argv);
    ~MpiSession();
    int rank() const { return rank_; }
    int size() const { return size_; }

private:
    int rank_ = 0, size_ = 1;
};

}  // namespace cvg::search
