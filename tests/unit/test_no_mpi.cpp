// A convergent built without MPI (this file and src/cli/run_units.cpp are compiled here with
// CONVERGENT_HAVE_MPI undefined, tests/CMakeLists.txt): --mpi is bad input that says how to get an
// MPI build, before any database is touched.
#include "src/cli/common.hpp"
#include "src/cli/run_units.hpp"
#include "tests/support/tempdir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

#ifdef CONVERGENT_HAVE_MPI
#error "test_no_mpi.cpp must be compiled without CONVERGENT_HAVE_MPI"
#endif

TEST_CASE("no MPI build: --mpi is refused with the way to an MPI build", "[mpi]") {
    cvg::test::TempDir tmp;
    cvg::cli::RunSpec spec{"blind", "{}", tmp.path("x.db"), "", false, true, std::nullopt};
    bool made = false;
    try {
        cvg::cli::run_units_cli(
            spec, [&]() -> std::unique_ptr<cvg::search::UnitSearch> { made = true; return nullptr; },
            [](const cvg::search::Progress&) { return std::string(); });
        FAIL("no error");
    } catch (const cvg::cli::UsageError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith("--mpi: this convergent was built without MPI"));
        CHECK_THAT(e.what(), Catch::Contains("libopenmpi-dev"));
        CHECK_THAT(e.what(), Catch::Contains("--shard"));
    }
    CHECK(!made);
    CHECK(!std::filesystem::exists(tmp.path("x.db")));
}
