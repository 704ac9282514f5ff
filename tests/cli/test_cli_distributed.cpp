// End-to-end: distributed runs — MPI under mpirun, shards + merge, status, kill -9 + resume.
#include "tests/support/run.hpp"
#include "tests/support/tempdir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <unistd.h>

using cvg::test::run_convergent;
using cvg::test::run_process;
using cvg::test::TempDir;
using Json = nlohmann::json;

namespace {

std::string rows(const std::string& db) {
    auto r = run_convergent({"query", "--db", db, "--all", "--format", "csv"});
    REQUIRE(r.exit_code == 0);
    return r.out;
}

// the conjectures without ids and run ids (which depend on the order of merges)
std::set<std::string> formulas(const std::string& db) {
    auto r = run_convergent({"query", "--db", db, "--all", "--format", "json"});
    REQUIRE(r.exit_code == 0);
    std::set<std::string> out;
    for (const auto& row : Json::parse(r.out))
        out.insert(row["a"].get<std::string>() + ";" + row["b"].get<std::string>() + " " +
                   row["relation_text"].get<std::string>() + " " + std::to_string(row["digits_matched"].get<int>()));
    return out;
}

std::vector<std::string> mpirun(int n, std::vector<std::string> args) {
    std::vector<std::string> cmd = {"mpirun", "--oversubscribe", "-n", std::to_string(n)};
    if (geteuid() == 0) cmd.insert(cmd.begin() + 1, "--allow-run-as-root");
    cmd.push_back(cvg::test::convergent_binary());
    cmd.insert(cmd.end(), args.begin(), args.end());
    return cmd;
}

const std::vector<std::string> kSearch = {"search", "--preset", "pi"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace

TEST_CASE("distributed: mpirun -n 4 gives the rows of a single process", "[cli][mpi]") {
    TempDir tmp;
    REQUIRE(run_convergent(with(kSearch, {"--db", tmp.path("one.db")})).exit_code == 0);
    auto r = run_process(mpirun(4, with(kSearch, {"--mpi", "--db", tmp.path("mpi.db"), "--json"})), 300);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    Json j = Json::parse(r.out);
    REQUIRE(j["ranks"].size() == 4);
    int units = 0;
    for (const auto& rank : j["ranks"]) units += rank["units"].get<int>();
    CHECK(units == 71);
    CHECK(j["ranks"][0]["units"] == 0);  // rank 0 only distributes and writes
    CHECK(rows(tmp.path("mpi.db")) == rows(tmp.path("one.db")));
}

TEST_CASE("distributed: blind under mpirun -n 3 gives the rows of a single process, with rank statistics", "[cli][mpi]") {
    TempDir tmp;
    const std::vector<std::string> blind = {"blind", "--a-deg", "1", "--b-deg", "2", "--coef", "-2:2", "--depth", "200"};
    REQUIRE(run_convergent(with(blind, {"--db", tmp.path("one.db")})).exit_code == 0);
    auto r = run_process(mpirun(3, with(blind, {"--mpi", "--db", tmp.path("mpi.db"), "--json"})), 300);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    Json j = Json::parse(r.out);
    REQUIRE(j["ranks"].size() == 3);
    CHECK(j["ranks"][0]["units"] == 0);
    CHECK(j["ranks"][1]["units"].get<int>() + j["ranks"][2]["units"].get<int>() == 4);
    auto evaluations = [](const std::string& db) {
        auto q = run_convergent({"query", "--db", db, "--what", "evaluations", "--format", "json"});
        REQUIRE(q.exit_code == 0);
        std::set<std::string> out;
        for (auto row : Json::parse(q.out)) {
            row.erase("id");
            out.insert(row.dump());
        }
        return out;
    };
    auto one = evaluations(tmp.path("one.db"));
    CHECK(one.size() > 1000);
    CHECK(evaluations(tmp.path("mpi.db")) == one);
    auto text = run_process(mpirun(3, with(blind, {"--mpi", "--db", tmp.path("mpi2.db")})), 300);
    CHECK_THAT(text.out, Catch::Contains("rank 2 "));
    CHECK_THAT(text.out, Catch::Contains("PCF/s while busy"));
}

TEST_CASE("distributed: kill -9 of the MPI job, then --resume", "[cli][mpi]") {
    TempDir tmp;
    REQUIRE(run_convergent(with(kSearch, {"--db", tmp.path("one.db")})).exit_code == 0);
    for (int k : {3, 40}) {
        std::string db = tmp.path("mpi" + std::to_string(k) + ".db");
        auto killed = run_process(mpirun(3, with(kSearch, {"--mpi", "--db", db})), 300, "",
                                  {"CONVERGENT_TEST_KILL_AFTER_UNITS=" + std::to_string(k)});
        CHECK(killed.exit_code != 0);
        auto status = run_convergent({"status", "--db", db, "--json"});
        REQUIRE(status.exit_code == 0);
        CHECK(Json::parse(status.out)[0]["units_done"] == k);
        auto resumed = run_process(mpirun(3, with(kSearch, {"--mpi", "--db", db, "--resume"})), 300);
        REQUIRE(resumed.exit_code == 0);
        CHECK(rows(db) == rows(tmp.path("one.db")));
    }
}

TEST_CASE("distributed: 4 shards merged equal one run; merging is idempotent", "[cli][mpi]") {
    TempDir tmp;
    REQUIRE(run_convergent(with(kSearch, {"--db", tmp.path("one.db")})).exit_code == 0);
    std::vector<std::string> parts;
    for (int i = 0; i < 4; ++i) {
        parts.push_back(tmp.path("part-" + std::to_string(i) + ".db"));
        REQUIRE(run_convergent(with(kSearch, {"--shard", std::to_string(i) + "/4", "--db", parts.back()})).exit_code == 0);
    }
    // three parts: one quarter of the units is reported missing
    auto partial = run_convergent(with({"merge", tmp.path("all.db"), "--json"}, {parts[0], parts[1], parts[2]}));
    REQUIRE(partial.exit_code == 0);
    Json pj = Json::parse(partial.out);
    CHECK(pj["searches"][0]["units_done"] == 54);
    CHECK(pj["searches"][0]["missing"].size() == 17);
    CHECK(pj["searches"][0]["missing"][0] == 3);
    // all four, with the first three again: nothing is added twice
    auto full = run_convergent(with({"merge", tmp.path("all.db"), "--json"}, parts));
    REQUIRE(full.exit_code == 0);
    Json fj = Json::parse(full.out);
    CHECK(fj["parts"][0]["conjectures"] == 0);
    CHECK(fj["parts"][1]["units"] == 0);
    CHECK(fj["parts"][3]["units"] == 17);
    CHECK(fj["searches"][0]["units_done"] == 71);
    CHECK(fj["searches"][0]["missing"].empty());
    CHECK(fj["searches"][0]["duplicated"].empty());
    CHECK(formulas(tmp.path("all.db")) == formulas(tmp.path("one.db")));
    // the same part twice under another run: a duplicated unit is reported
    auto again = run_convergent(with(kSearch, {"--shard", "0/4", "--db", tmp.path("dup.db")}));
    REQUIRE(again.exit_code == 0);
    auto dup = run_convergent({"merge", tmp.path("all.db"), tmp.path("dup.db"), "--json"});
    REQUIRE(dup.exit_code == 0);
    CHECK(Json::parse(dup.out)["searches"][0]["duplicated"].size() == 18);
    CHECK(formulas(tmp.path("all.db")) == formulas(tmp.path("one.db")));
}

TEST_CASE("distributed: merge refuses parts of another search", "[cli][mpi]") {
    TempDir tmp;
    REQUIRE(run_convergent({"search", "--preset", "e", "--db", tmp.path("e.db")}).exit_code == 0);
    REQUIRE(run_convergent({"search", "--preset", "e", "--lhs-coef", "10", "--db", tmp.path("e10.db")}).exit_code == 0);
    REQUIRE(run_convergent({"merge", tmp.path("all.db"), tmp.path("e.db")}).exit_code == 0);
    std::string before = cvg::test::read_file(tmp.path("all.db"));
    auto r = run_convergent({"merge", tmp.path("all.db"), tmp.path("e10.db")});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("different search"));
    CHECK(cvg::test::read_file(tmp.path("all.db")) == before);
    auto self = run_convergent({"merge", tmp.path("all.db"), tmp.path("all.db")});
    CHECK(self.exit_code == 2);
    auto missing = run_convergent({"merge", tmp.path("all.db"), tmp.path("nope.db")});
    CHECK(missing.exit_code == 2);
}
