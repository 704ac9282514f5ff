// Reliability, end to end (issue #11): crash consistency of search, blind and merge under kill -9
// at random points (at unit boundaries through CONVERGENT_TEST_KILL_AFTER_UNITS, and at random
// wall-clock instants, which land mid-unit and mid-transaction), and injected faults — full disk,
// read-only and locked databases, corrupted files, missing constant digits, memory limits: each a
// one-line error, a non-zero exit and the existing rows unchanged.
// The 20-point kill campaigns are tagged [long] (ctest label "long"); the default run has 4.
#include "tests/support/run.hpp"
#include "tests/support/tempdir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using cvg::test::read_file;
using cvg::test::run_convergent;
using cvg::test::run_process;
using cvg::test::TempDir;
using cvg::test::write_file;
using Json = nlohmann::json;

namespace {

std::vector<std::string> cat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// The rows of a query, every column, in the order SQLite gives them ("" if the file is missing).
std::string sql(const std::string& db, const std::string& query) {
    if (!std::filesystem::exists(db)) return "";
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(h, 10000);
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(h, query.c_str(), -1, &s, nullptr);
    INFO(query << ": " << sqlite3_errmsg(h));
    REQUIRE(rc == SQLITE_OK);
    std::string out;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(s); ++i) {
            const unsigned char* t = sqlite3_column_text(s, i);
            out += (i ? "|" : "") + (t ? std::string(reinterpret_cast<const char*>(t)) : std::string("NULL"));
        }
        out += "\n";
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    REQUIRE(rc == SQLITE_DONE);
    return out;
}

std::string query_csv(const std::string& db, std::vector<std::string> args) {
    auto r = run_convergent(cat({"query", "--db", db, "--format", "csv"}, args));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

// Everything a run leaves that must not depend on kills and resumes: the conjectures and
// evaluations as `query` prints them, the PCFs, the work units (without their timings) and the
// runs (without timings, host and uid).
std::string snapshot(const std::string& db) {
    return "conjectures:\n" + query_csv(db, {"--all"}) + "evaluations:\n" + query_csv(db, {"--what", "evaluations"}) +
           "pcfs:\n" + sql(db, "SELECT * FROM pcfs ORDER BY id") + "work_units:\n" +
           sql(db, "SELECT run_id, unit, state, items, candidates, conjectures FROM work_units ORDER BY run_id, unit") +
           "runs:\n" + sql(db, "SELECT id, kind, params, params_hash, version, units_total, status FROM runs ORDER BY id");
}

std::string integrity(const std::string& db) { return run_process({"sqlite3", db, "PRAGMA integrity_check"}).out; }

// Work units committed so far; -1 when there is no database or no schema yet (a kill before the
// schema's transaction committed leaves an empty file).
int64_t units_done(const std::string& db) {
    if (!std::filesystem::exists(db)) return -1;
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    int64_t n = -1;
    if (sqlite3_prepare_v2(h, "SELECT count(*) FROM work_units", -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return n;
}

std::string last_line(const std::string& s) {
    std::string t = s;
    while (!t.empty() && t.back() == '\n') t.pop_back();
    size_t nl = t.rfind('\n');
    return nl == std::string::npos ? t : t.substr(nl + 1);
}

// The error of a failed command: its last stderr line (progress lines may precede it).
void check_error(const cvg::test::RunResult& r, int exit_code, const std::string& command,
                 const std::vector<std::string>& any_of) {
    INFO(r.err);
    CHECK(r.exit_code == exit_code);  // also: no signal, no core dump (exit_code would be -1)
    std::string line = last_line(r.err);
    CHECK(line.rfind("convergent " + command + ": error: ", 0) == 0);
    bool found = false;
    for (const std::string& needle : any_of) found = found || line.find(needle) != std::string::npos;
    CHECK(found);
}

struct Killed {
    bool by_signal = false;  // SIGKILL reached the process before it exited
    int exit_code = -1;      // otherwise
};

// Starts convergent with `args` (and extra environment), sends SIGKILL after `delay` seconds
// unless it exits first. Output goes to /dev/null.
Killed kill_after(const std::vector<std::string>& args, double delay, const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv_s = cat({cvg::test::convergent_binary()}, args);
    std::vector<char*> argv;
    for (auto& s : argv_s) argv.push_back(const_cast<char*>(s.c_str()));
    argv.push_back(nullptr);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
        execv(argv[0], argv.data());
        _exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(delay);
    Killed k;
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {  // exited (or died) on its own
            k.by_signal = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
            k.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            return k;
        }
        if (std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    k.by_signal = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    k.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return k;
}

// xorshift64: the same kill points on every machine and standard library
struct Rng {
    uint64_t x;
    uint64_t next() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    }
    double uniform() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }
};

// Kills `cmd` (a search or blind command line without --db) at `points` points, alternately
// right after a random unit's commit and at a random instant of its run time; some points kill
// the resumed run a second time. Each database is then resumed to completion and must equal the
// uninterrupted run's, row for row, and pass integrity_check.
void kill_campaign(const std::vector<std::string>& cmd, uint64_t units, int points, uint64_t seed) {
    TempDir tmp;
    std::string full_db = tmp.path("full.db");
    auto t0 = std::chrono::steady_clock::now();
    auto full = run_convergent(cat(cmd, {"--db", full_db, "--json"}), 300);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    INFO(full.err);
    REQUIRE(full.exit_code == 0);
    REQUIRE(Json::parse(full.out)["units"] == units);
    const std::string expected = snapshot(full_db);
    REQUIRE(std::count(expected.begin(), expected.end(), '\n') > static_cast<long>(units));

    Rng rng{seed};
    int hook_kills = 0, timer_kills = 0, second_kills = 0, timer_before_first_unit = 0, timer_mid_run = 0,
        timer_after_last_unit = 0;
    std::string where;
    for (int i = 0; i < points; ++i) {
        std::string db = tmp.path("k" + std::to_string(i) + ".db");
        std::vector<std::string> run = cat(cmd, {"--db", db});
        INFO("kill point " << i << " (seed " << seed << ")");
        if (i % 2 == 0) {  // right after the k-th committed unit
            uint64_t k = 1 + rng.next() % (units - 1);
            Killed killed = kill_after(run, 300, {"CONVERGENT_TEST_KILL_AFTER_UNITS=" + std::to_string(k)});
            REQUIRE(killed.by_signal);
            CHECK(units_done(db) == static_cast<int64_t>(k));
            ++hook_kills;
            where += " u" + std::to_string(k);
        } else {  // at a random instant; if the run was faster than that, at half the delay, ...
            double delay = rng.uniform() * seconds;
            Killed killed;
            for (int attempt = 0;; ++attempt) {
                std::filesystem::remove(db);
                std::filesystem::remove(db + "-wal");
                std::filesystem::remove(db + "-shm");
                killed = kill_after(run, attempt < 12 ? delay : 0.0);
                if (killed.by_signal) break;
                REQUIRE(killed.exit_code == 0);
                delay /= 2;
            }
            int64_t done = units_done(db);
            ++timer_kills;
            ++(done <= 0 ? timer_before_first_unit
                         : done == static_cast<int64_t>(units) ? timer_after_last_unit : timer_mid_run);
            where += " t" + std::to_string(done);
        }
        if (i % 3 == 2) {  // kill the resumed run too, at a random instant
            double delay = rng.uniform() * seconds / 2;
            Killed again = kill_after(cat(run, {"--resume"}), delay);
            if (again.by_signal) {
                ++second_kills;
                where += "+t" + std::to_string(units_done(db));
            } else {
                CHECK(again.exit_code == 0);
            }
        }
        auto resumed = run_convergent(cat(run, {"--resume", "--json"}), 300);
        INFO(resumed.err);
        REQUIRE(resumed.exit_code == 0);
        CHECK(Json::parse(resumed.out)["units_done_total"] == units);
        CHECK(snapshot(db) == expected);
        CHECK(integrity(db) == "ok\n");
    }
    WARN(cmd[0] << ": " << points << " kill points survived (" << hook_kills << " after a unit's commit, "
                << timer_kills << " at a random instant: " << timer_before_first_unit << " before the first commit, "
                << timer_mid_run << " mid-run, " << timer_after_last_unit << " after the last commit; " << second_kills << " resumed runs killed again); units done at each"
                << " kill:" << where << "; every database resumed to the uninterrupted run's rows");
}

const std::vector<std::string> kSearch = {"search", "--preset", "pi"};  // 71 units
const std::vector<std::string> kBlind = {"blind", "--a-deg", "1", "--b-deg", "2", "--coef", "-3:3",
                                         "--depth", "200"};  // 17 units

// Kills `merge OUT parts...` at `points` points (after a part's commit, or at a random instant),
// runs it again and checks OUT equals an uninterrupted merge, dump for dump; a third run adds
// nothing.
void merge_campaign(int points, uint64_t seed) {
    TempDir tmp;
    std::vector<std::string> parts;
    for (int i = 0; i < 4; ++i) {
        parts.push_back(tmp.path("part" + std::to_string(i) + ".db"));
        auto r = run_convergent(cat(kBlind, {"--shard", std::to_string(i) + "/4", "--db", parts.back()}), 300);
        REQUIRE(r.exit_code == 0);
    }
    auto t0 = std::chrono::steady_clock::now();
    auto ref = run_convergent(cat({"merge", tmp.path("ref.db")}, parts), 300);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE(ref.exit_code == 0);
    const std::string expected = run_process({"sqlite3", tmp.path("ref.db"), ".dump"}).out;
    REQUIRE(expected.find("INSERT INTO evaluations") != std::string::npos);

    Rng rng{seed};
    int hook_kills = 0, timer_kills = 0;
    for (int i = 0; i < points; ++i) {
        std::string out = tmp.path("m" + std::to_string(i) + ".db");
        std::vector<std::string> cmd = cat({"merge", out}, parts);
        INFO("merge kill point " << i);
        if (i % 2 == 0) {
            uint64_t k = 1 + rng.next() % 3;
            Killed killed = kill_after(cmd, 300, {"CONVERGENT_TEST_KILL_AFTER_UNITS=" + std::to_string(k)});
            REQUIRE(killed.by_signal);
            CHECK(sql(out, "SELECT count(DISTINCT run_id) FROM work_units") == std::to_string(k) + "\n");
            ++hook_kills;
        } else {
            double delay = rng.uniform() * seconds;
            for (int attempt = 0;; ++attempt) {
                std::filesystem::remove(out);
                std::filesystem::remove(out + "-wal");
                std::filesystem::remove(out + "-shm");
                Killed killed = kill_after(cmd, attempt < 12 ? delay : 0.0);
                if (killed.by_signal) break;
                REQUIRE(killed.exit_code == 0);
                delay /= 2;
            }
            ++timer_kills;
        }
        auto again = run_convergent(cmd, 300);
        INFO(again.err);
        REQUIRE(again.exit_code == 0);
        CHECK(run_process({"sqlite3", out, ".dump"}).out == expected);
        CHECK(integrity(out) == "ok\n");
        auto third = run_convergent(cat(cmd, {"--json"}), 300);
        REQUIRE(third.exit_code == 0);
        for (const auto& p : Json::parse(third.out)["parts"]) {
            CHECK(p["runs"] == 0);
            CHECK(p["evaluations"] == 0);
            CHECK(p["units"] == 0);
        }
        CHECK(run_process({"sqlite3", out, ".dump"}).out == expected);
    }
    WARN("merge: " << points << " kill points survived (" << hook_kills << " after a part's commit, " << timer_kills
                   << " at a random instant); every re-run gave the uninterrupted merge's database");
}

// A database with a finished blind run: the "existing data" the faults must leave alone.
std::string existing_db(const TempDir& tmp, const std::string& name) {
    std::string db = tmp.path(name);
    // depth 100: no evaluation key (PCF, depth, limit) in common with the runs under test
    auto r = run_convergent({"blind", "--a-deg", "1", "--b-deg", "1", "--coef", "-2:2", "--depth", "100", "--db", db});
    REQUIRE(r.exit_code == 0);
    return db;
}

// Runs convergent without the capabilities that let root ignore file modes.
cvg::test::RunResult run_unprivileged(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> cmd = {cvg::test::convergent_binary()};
    if (geteuid() == 0)
        cmd = {"setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search",
               cvg::test::convergent_binary()};
    return run_process(cat(cmd, args), 120, "", env);
}

std::string sh_quote(const std::string& s) { return "'" + s + "'"; }

std::string shell_line(const std::vector<std::string>& argv) {
    std::string line;
    for (const std::string& a : argv) line += (line.empty() ? "" : " ") + sh_quote(a);
    return line;
}

// The conjectures, evaluations and work units of one run by their natural keys (PCF ids depend
// on what else the database holds).
std::string rows_of_run(const std::string& db, int64_t run) {
    std::string r = std::to_string(run);
    return sql(db, "SELECT p.a, p.b, c.method, c.constant, c.relation_text, c.digits_matched, c.certified_digits, "
                   "c.verification_depth, c.delta, c.status FROM conjectures c JOIN pcfs p ON p.id = c.pcf_id "
                   "WHERE c.run_id = " + r + " ORDER BY c.id") +
           sql(db, "SELECT p.a, p.b, e.depth, e.converges, e.digits, e.value, e.limit_source, e.limit_depth, e.delta, "
                   "e.rate, e.convergence, e.fr_k, e.fr_stable FROM evaluations e JOIN pcfs p ON p.id = e.pcf_id "
                   "WHERE e.run_id = " + r + " ORDER BY p.a, p.b") +
           sql(db, "SELECT unit, state, items, candidates, conjectures FROM work_units WHERE run_id = " + r +
                   " ORDER BY unit");
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// Crash consistency
// ------------------------------------------------------------------------------------------------

TEST_CASE("reliability: search killed at 4 random points resumes to the uninterrupted rows", "[cli][reliability]") {
    kill_campaign(kSearch, 71, 4, 20261123);
}

TEST_CASE("reliability: blind killed at 4 random points resumes to the uninterrupted rows", "[cli][reliability]") {
    kill_campaign(kBlind, 17, 4, 20261124);
}

TEST_CASE("reliability: merge killed at 3 points, run again, equals an uninterrupted merge", "[cli][reliability]") {
    merge_campaign(3, 20261125);
}

TEST_CASE("reliability: search killed at 20 random points", "[.long][reliability]") { kill_campaign(kSearch, 71, 20, 1111); }

TEST_CASE("reliability: blind killed at 20 random points", "[.long][reliability]") { kill_campaign(kBlind, 17, 20, 2222); }

TEST_CASE("reliability: merge killed at 20 points", "[.long][reliability]") { merge_campaign(20, 3333); }

// ------------------------------------------------------------------------------------------------
// Faults
// ------------------------------------------------------------------------------------------------


TEST_CASE("reliability: a full disk stops search and blind cleanly, then --resume finishes them", "[cli][reliability]") {
    TempDir tmp;
    // the uninterrupted runs: the rows a resumed run must end with
    REQUIRE(run_convergent(cat(kSearch, {"--db", tmp.path("search-ref.db")}), 300).exit_code == 0);
    REQUIRE(run_convergent(cat(kBlind, {"--db", tmp.path("blind-ref.db")}), 300).exit_code == 0);
    const uint64_t kUnits[] = {71, 17};

    // Two ways to fill the disk: a file size limit (works unprivileged: writes past it fail with
    // EFBIG), and, as root in a private mount namespace, a small tmpfs (ENOSPC).
    bool tmpfs = geteuid() == 0 && run_process({"unshare", "-m", "true"}).exit_code == 0;
    if (!tmpfs) WARN("not root or no unshare: the tmpfs variant of the full-disk test is skipped");
    for (int variant = 0; variant < (tmpfs ? 2 : 1); ++variant) {
        for (int c = 0; c < 2; ++c) {
            const std::vector<std::string>& cmd = c == 0 ? kSearch : kBlind;
            INFO(cmd[0] << (variant ? " on a full tmpfs" : " under ulimit -f"));
            std::string name = cmd[0] + std::to_string(variant) + ".db";
            std::string db = existing_db(tmp, name);
            const std::string before = rows_of_run(db, 1);
            REQUIRE(before.size() > 1000);
            // room for the database and 64 KiB more: far less than the run writes
            auto room_kib = std::filesystem::file_size(db) / 1024 + 64;
            cvg::test::RunResult r;
            if (variant == 0) {
                r = run_process({"bash", "-c", "trap '' XFSZ; ulimit -f " + std::to_string(room_kib) + "; exec " +
                                                   shell_line(cat({cvg::test::convergent_binary()},
                                                                  cat(cmd, {"--db", db})))},
                                300);
            } else {
                std::string small = tmp.path("small" + std::to_string(c));
                std::filesystem::create_directory(small);
                std::string sdb = small + "/" + name;
                r = run_process(
                    {"unshare", "-m", "sh", "-c",
                     "mount -t tmpfs -o size=" + std::to_string(room_kib) + "k tmpfs " + sh_quote(small) + " && cp " +
                         sh_quote(db) + " " + sh_quote(sdb) + " && " +
                         shell_line(cat({cvg::test::convergent_binary()}, cat(cmd, {"--db", sdb}))) +
                         "; rc=$?; rm -f " + sh_quote(db) + "*; cp " + sh_quote(sdb) + " " + sh_quote(db) +
                         "; if [ -e " + sh_quote(sdb + "-wal") + " ]; then cp " + sh_quote(sdb + "-wal") + " " +
                         sh_quote(db + "-wal") + "; fi; exit $rc"},
                    300);
            }
            check_error(r, 1, cmd[0], variant ? std::vector<std::string>{"the disk is full"}
                                              : std::vector<std::string>{"I/O error", "disk is full"});
            CHECK(integrity(db) == "ok\n");
            CHECK(rows_of_run(db, 1) == before);  // the earlier run: every row, unchanged
            int64_t partial = std::stoll(sql(db, "SELECT count(*) FROM work_units WHERE run_id = 2"));
            CHECK(partial < static_cast<int64_t>(kUnits[c]));  // the fault stopped the run
            // with room again, --resume completes the run with the rows of an uninterrupted run
            auto resumed = run_convergent(cat(cmd, {"--db", db, "--resume", "--json"}), 300);
            INFO(resumed.err);
            REQUIRE(resumed.exit_code == 0);
            Json j = Json::parse(resumed.out);
            CHECK(j["units_run"].get<int64_t>() == static_cast<int64_t>(kUnits[c]) - partial);
            CHECK(rows_of_run(db, 2) == rows_of_run(tmp.path(cmd[0] + "-ref.db"), 1));
            CHECK(rows_of_run(db, 1) == before);
            CHECK(sql(db, "SELECT status FROM runs ORDER BY id") == "finished\nfinished\n");
            CHECK(integrity(db) == "ok\n");
        }
    }
}

TEST_CASE("reliability: read-only databases stop search, blind and cluster cleanly", "[cli][reliability]") {
    TempDir tmp;
    std::string db = existing_db(tmp, "ro.db");
    const std::string before = snapshot(db);
    const std::string bytes = read_file(db);
    REQUIRE(chmod(db.c_str(), 0444) == 0);
    struct Case { std::vector<std::string> args; std::string command; };
    for (const Case& c : std::vector<Case>{
             {cat(kSearch, {"--db", db}), "search"},
             {cat(kBlind, {"--db", db}), "blind"},
             {{"blind", "--a-deg", "1", "--b-deg", "1", "--coef", "-2:2", "--depth", "100", "--db", db, "--resume"},
              "blind"},
             {{"cluster", "--db", db}, "cluster"},
         }) {
        INFO(shell_line(c.args));
        check_error(run_unprivileged(c.args), 1, c.command, {"the database is read-only"});
    }
    // a read-only directory (the write-ahead log cannot be created), the file itself writable
    std::string dir = tmp.path("rodir");
    std::filesystem::create_directory(dir);
    std::string db2 = dir + "/ro.db";
    std::filesystem::copy_file(db, db2);
    REQUIRE(chmod(db2.c_str(), 0644) == 0);
    REQUIRE(chmod(dir.c_str(), 0555) == 0);
    for (const Case& c : std::vector<Case>{{cat(kSearch, {"--db", db2}), "search"},
                                           {cat(kBlind, {"--db", db2}), "blind"},
                                           {{"cluster", "--db", db2}, "cluster"}}) {
        INFO(shell_line(c.args));
        check_error(run_unprivileged(c.args), 1, c.command, {"the database is read-only"});
    }
    // readers still read it (as an immutable file: no -shm can be made there)
    for (const char* what : {"evaluations", "runs"}) {
        auto copy = run_unprivileged({"query", "--db", db2, "--what", what, "--format", "csv"});
        INFO(copy.err);
        CHECK(copy.exit_code == 0);
        CHECK(copy.out == run_convergent({"query", "--db", db, "--what", what, "--format", "csv"}).out);
    }
    CHECK(run_unprivileged({"status", "--db", db2}).exit_code == 0);
    chmod(dir.c_str(), 0755);
    chmod(db.c_str(), 0644);
    CHECK(read_file(db) == bytes);
    CHECK(read_file(db2) == bytes);
    CHECK(snapshot(db) == before);
    CHECK(snapshot(db2) == before);
}

namespace {

// The sqlite3 shell holding an exclusive transaction on a database until destroyed.
class SqliteShellLock {
public:
    explicit SqliteShellLock(const std::string& db) {
        int in[2], out[2];
        REQUIRE(pipe(in) == 0);
        REQUIRE(pipe(out) == 0);
        pid_ = fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            close(in[1]);
            close(out[0]);
            execlp("sqlite3", "sqlite3", db.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        to_ = in[1];
        from_ = out[0];
        // the shell says "locked" once BEGIN EXCLUSIVE (and a write) went through; it waits up to
        // 20 s for a writer that holds the lock at that moment
        std::string cmd = ".timeout 20000\nBEGIN EXCLUSIVE; UPDATE runs SET host = host WHERE id = 1; SELECT 'locked';\n";
        REQUIRE(write(to_, cmd.data(), cmd.size()) == static_cast<ssize_t>(cmd.size()));
        std::string got;
        char buf[256];
        while (got.find("locked") == std::string::npos) {
            ssize_t n = read(from_, buf, sizeof buf);
            REQUIRE(n > 0);
            got.append(buf, static_cast<size_t>(n));
        }
    }
    ~SqliteShellLock() {
        std::string cmd = "ROLLBACK;\n.quit\n";
        (void)!write(to_, cmd.data(), cmd.size());
        close(to_);
        close(from_);
        int status = 0;
        waitpid(pid_, &status, 0);
    }

private:
    pid_t pid_ = -1;
    int to_ = -1, from_ = -1;
};

}  // namespace

TEST_CASE("reliability: a database locked by the sqlite3 shell stops search and blind cleanly", "[cli][reliability]") {
    TempDir tmp;
    std::string db = existing_db(tmp, "locked.db");
    const std::string before = snapshot(db);
    for (const auto& cmd : {kSearch, kBlind}) {
        INFO(cmd[0]);
        {
            SqliteShellLock lock(db);
            auto r = run_process(cat({cvg::test::convergent_binary()}, cat(cmd, {"--db", db})), 120, "",
                                 {"CONVERGENT_BUSY_TIMEOUT_MS=300"});
            check_error(r, 1, cmd[0], {"the database is locked by another process"});
        }
        CHECK(snapshot(db) == before);
        CHECK(integrity(db) == "ok\n");
    }
    // once the lock is gone the same commands run (nothing of the failed attempts was recorded)
    REQUIRE(run_convergent(cat(kBlind, {"--db", db})).exit_code == 0);
    CHECK(sql(db, "SELECT kind, status FROM runs ORDER BY id") == "blind|finished\nblind|finished\n");
}

TEST_CASE("reliability: a lock taken in the middle of a search stops it cleanly, then --resume finishes it",
          "[cli][reliability]") {
    TempDir tmp;
    REQUIRE(run_convergent(cat(kSearch, {"--db", tmp.path("ref.db")}), 300).exit_code == 0);
    bool stopped = false;
    // the lock must come while the search still runs: if the search was faster, try again
    for (int attempt = 0; attempt < 5 && !stopped; ++attempt) {
        std::string db = existing_db(tmp, "mid" + std::to_string(attempt) + ".db");
        const std::string before = rows_of_run(db, 1);
        std::string err_file = tmp.path("err" + std::to_string(attempt) + ".txt");
        std::vector<std::string> argv_s = cat({cvg::test::convergent_binary()}, cat(kSearch, {"--db", db}));
        std::vector<char*> argv;
        for (auto& a : argv_s) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            int null = open("/dev/null", O_RDWR);
            int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(null, 0);
            dup2(null, 1);
            dup2(err, 2);
            putenv(const_cast<char*>("CONVERGENT_BUSY_TIMEOUT_MS=300"));
            execv(argv[0], argv.data());
            _exit(127);
        }
        int status = 0;
        bool exited = false;
        while (!exited && std::stoll("0" + sql(db, "SELECT count(*) FROM work_units WHERE run_id = 2")) < 3) {
            exited = waitpid(pid, &status, WNOHANG) == pid;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        {
            std::unique_ptr<SqliteShellLock> lock;
            if (!exited) {
                lock = std::make_unique<SqliteShellLock>(db);
                waitpid(pid, &status, 0);
            }
            REQUIRE(WIFEXITED(status));
            if (WEXITSTATUS(status) == 0) continue;  // finished before the lock
        }
        stopped = true;
        cvg::test::RunResult r;
        r.exit_code = WEXITSTATUS(status);
        r.err = read_file(err_file);
        check_error(r, 1, "search", {"the database is locked by another process"});
        CHECK(rows_of_run(db, 1) == before);
        int64_t partial = std::stoll(sql(db, "SELECT count(*) FROM work_units WHERE run_id = 2"));
        CHECK(partial >= 3);
        CHECK(partial < 71);
        CHECK(integrity(db) == "ok\n");
        auto resumed = run_convergent(cat(kSearch, {"--db", db, "--resume", "--json"}), 300);
        INFO(resumed.err);
        REQUIRE(resumed.exit_code == 0);
        CHECK(Json::parse(resumed.out)["units_run"] == 71 - partial);
        CHECK(rows_of_run(db, 2) == rows_of_run(tmp.path("ref.db"), 1));
        CHECK(rows_of_run(db, 1) == before);
        CHECK(integrity(db) == "ok\n");
    }
    CHECK(stopped);
}

namespace {

// A copy of `src` with page `page` (1-based) overwritten by 0xA5 bytes.
void flip_page(const std::string& src, const std::string& dst, int64_t page) {
    std::string bytes = read_file(src);
    const size_t size = 4096;
    REQUIRE(bytes.size() >= static_cast<size_t>(page) * size);
    std::fill(bytes.begin() + static_cast<long>((page - 1) * size), bytes.begin() + static_cast<long>(page * size),
              '\xA5');
    write_file(dst, bytes);
}

int64_t root_page(const std::string& db, const std::string& table) {
    return std::stoll(sql(db, "SELECT rootpage FROM sqlite_master WHERE name = '" + table + "'"));
}

}  // namespace

TEST_CASE("reliability: corrupted databases are refused by query, search and merge, untouched", "[cli][reliability]") {
    TempDir tmp;
    std::string good = tmp.path("good.db");
    REQUIRE(run_convergent(cat(kSearch, {"--db", good}), 300).exit_code == 0);
    REQUIRE(sql(good, "PRAGMA page_size") == "4096\n");
    // a merged database with one good part: the target of the merges below
    std::string target = tmp.path("target.db");
    std::string blind_part = existing_db(tmp, "blind-part.db");
    REQUIRE(run_convergent({"merge", target, blind_part}).exit_code == 0);
    const std::string target_rows = run_process({"sqlite3", target, ".dump"}).out;

    struct Bad { std::string name, kind, table; };
    std::vector<Bad> bad;
    write_file(tmp.path("garbage.db"), std::string(20000, 'z'));
    bad.push_back({"garbage.db", "garbage", ""});
    {
        std::string bytes = read_file(good);
        write_file(tmp.path("truncated.db"), bytes.substr(0, bytes.size() / 2));
        bad.push_back({"truncated.db", "truncated", ""});
    }
    for (const std::string table : {"conjectures", "pcfs", "work_units", "runs"}) {
        flip_page(good, tmp.path("flip-" + table + ".db"), root_page(good, table));
        bad.push_back({"flip-" + table + ".db", "page of " + table + " overwritten", table});
    }
    for (const Bad& b : bad) {
        std::string db = tmp.path(b.name);
        const std::string bytes = read_file(db);
        INFO(b.kind);
        std::vector<std::string> needles = {"is corrupted", "not an SQLite database"};
        // the reading commands, each on a table it reads: query (conjectures with their PCFs, runs)
        // and status (work units)
        if (b.table == "work_units") check_error(run_convergent({"status", "--db", db}), 2, "status", needles);
        else if (b.table == "runs") check_error(run_convergent({"query", "--db", db, "--what", "runs"}), 2, "query", needles);
        else check_error(run_convergent({"query", "--db", db}), 2, "query", needles);
        // search: a new run and a resumed one add nothing to a corrupted database
        check_error(run_convergent({"search", "--preset", "e", "--db", db}, 120), 2, "search", needles);
        check_error(run_convergent({"search", "--preset", "pi", "--db", db, "--resume"}, 120), 2, "search", needles);
        // merge: a corrupted part leaves the target as it was; a corrupted target is refused
        auto part = run_convergent({"merge", target, db}, 120);
        check_error(part, 2, "merge", needles);
        CHECK_THAT(last_line(part.err), Catch::Contains("'" + db + "'"));  // names the bad part, not the target
        CHECK(run_process({"sqlite3", target, ".dump"}).out == target_rows);
        std::string copy = tmp.path("target-" + b.name);
        write_file(copy, bytes);
        auto out = run_convergent({"merge", copy, blind_part}, 120);
        check_error(out, 2, "merge", needles);
        CHECK_THAT(last_line(out.err), Catch::Contains("'" + copy + "'"));
        CHECK(read_file(copy) == bytes);
        CHECK(read_file(db) == bytes);
    }
    CHECK(integrity(target) == "ok\n");
}

TEST_CASE("reliability: missing or empty constant digits are bad input, nothing is written", "[cli][reliability]") {
    TempDir tmp;
    std::string db = tmp.path("never.db");
    write_file(tmp.path("empty.txt"), "");
    write_file(tmp.path("blank.txt"), " \n\n\t\n");
    write_file(tmp.path("short.txt"), "3.14159265358979\n");
    std::filesystem::create_directory(tmp.path("adir"));
    struct Case { std::string file, needle; };
    for (const Case& c : std::vector<Case>{{"missing.txt", "cannot read"},
                                           {"empty.txt", "--constant-value"},
                                           {"blank.txt", "--constant-value"},
                                           {"short.txt", "at least 50"},
                                           {"adir", "--constant-value"},
                                           {"/dev/zero", "larger than 64 MiB"}}) {
        INFO(c.file);
        const std::string file = c.file[0] == '/' ? c.file : tmp.path(c.file);
        auto r = run_convergent({"search", "--constant-value", "@" + file, "--preset", "e", "--db", db});
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_THAT(r.err, Catch::StartsWith("convergent search: error: --constant-value"));
        CHECK_THAT(r.err, Catch::Contains(c.needle));
        CHECK(!std::filesystem::exists(db));
    }
}

TEST_CASE("reliability: a memory limit gives a clean out-of-memory error, never a crash", "[cli][reliability]") {
    TempDir tmp;
    std::string db = existing_db(tmp, "oom.db");
    const std::string before = snapshot(db);
    const std::string bin = sh_quote(cvg::test::convergent_binary());
    // 3 million digits of 6/zeta(3) need about 1 GB; 200 MB, 100 MB and 70 MB of address space
    // (at 70 MB a small allocation inside GMP fails in a worker thread: GMP would abort)
    for (const char* limit : {"200000", "100000", "70000"}) {
        INFO("ulimit -v " << limit);
        auto r = run_process({"bash", "-c", std::string("ulimit -c 0; ulimit -v ") + limit + "; exec " + bin +
                                                " eval --a '34n^3+51n^2+27n+5' --b '-n^6' --digits 3000000 --db " +
                                                sh_quote(db)},
                             300);
        check_error(r, 1, "eval", {"out of memory"});
        CHECK(r.out.empty());
    }
    CHECK(snapshot(db) == before);
    CHECK(integrity(db) == "ok\n");
}
