// Rows per second into the store: batched (one transaction per work unit through the writer
// thread) against the naive approach (one transaction per row). Prints RESULT lines:
//   batched               rows built on this thread, committed by the Writer thread (the figure)
//   batched-writer-only   Store::write alone on one thread, the rows built beforehand (not timed)
//   batched-rewrite       the same units written again: every row a conflict (idempotent re-run)
//   plain-sqlite          the textbook SQLite bulk load of the same rows into the same schema:
//                         prepared single-row INSERTs of pre-built rows, one transaction per unit,
//                         no id lookups, no cache, no checkpoint (the WAL grows); only SQLite is timed
//   naive-row-transactions, naive-sqlite-defaults   one transaction per row (WAL; SQLite defaults)
//   bench_store [--rows N] [--batch B] [--naive-rows M] [--writer-only 0|1]
#include "db/store.hpp"
#include "db/writer.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ctime>
#include <string>
#include <unistd.h>

#include <sqlite3.h>

using namespace cvg::db;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

EvaluationRow row(uint64_t i) {
    EvaluationRow e;
    int64_t a = static_cast<int64_t>(i % 11) - 5, b = static_cast<int64_t>(i / 11 % 11) - 5,
            c = static_cast<int64_t>(i / 121);
    e.pcf.a = "[" + std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(c) + "]";
    e.pcf.b = "[0,1,-1]";
    e.pcf.a_expr = std::to_string(c) + "n^2+" + std::to_string(b) + "n+" + std::to_string(a);
    e.pcf.b_expr = "-n^2+n";
    e.pcf.a_deg = e.pcf.b_deg = 2;
    e.depth = 2000;
    e.converges = true;
    e.digits = 250;
    e.value_approx = 1.0 / static_cast<double>(i + 1);
    e.limit_source = "blind";
    e.delta = 0.1;
    e.rate = 0.12;
    e.convergence = "exponential";
    e.fr_k = 0.5;
    e.fr_stable = true;
    e.growth_nlogn = 1.0;
    e.growth_n = -0.5;
    return e;
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t rows = 1'000'000, batch_size = 10'000, naive_rows = 2'000, writer_only = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        uint64_t v = std::strtoull(argv[i + 1], nullptr, 10);
        if (k == "--rows") rows = v;
        else if (k == "--batch") batch_size = v;
        else if (k == "--naive-rows") naive_rows = v;
        else if (k == "--writer-only") writer_only = v;
    }
    std::string dir = std::filesystem::temp_directory_path() / ("bench-store-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);

    {  // batched, through the writer thread
        Store s(dir + "/batched.db", Store::Open::read_write);
        int64_t run = s.begin_run({"bench", "{}", "bench", {}});
        auto t0 = std::chrono::steady_clock::now();
        {
            Writer w(s, 4);
            for (uint64_t start = 0, unit = 0; start < rows; start += batch_size, ++unit) {
                Batch b;
                b.run_id = run;
                for (uint64_t i = start; i < std::min(rows, start + batch_size); ++i) b.evaluations.push_back(row(i));
                b.unit = WorkUnitRow{unit, static_cast<int64_t>(b.evaluations.size()), 0, 0, 0.0};
                w.submit(std::move(b));
            }
            w.close();
        }
        double t = seconds_since(t0);
        std::printf("RESULT peer=convergent workload=store case=batched rows=%llu batch=%llu median_s=%.4f rows_per_s=%.0f\n",
                    static_cast<unsigned long long>(rows), static_cast<unsigned long long>(batch_size), t, rows / t);
    }
    auto make_batch = [&](int64_t run, uint64_t start, uint64_t unit) {
        Batch b;
        b.run_id = run;
        for (uint64_t i = start; i < std::min(rows, start + batch_size); ++i) b.evaluations.push_back(row(i));
        b.unit = WorkUnitRow{unit, static_cast<int64_t>(b.evaluations.size()), 0, 0, 0.0};
        return b;
    };
    if (writer_only) {  // the writer alone: only Store::write is timed
        Store s(dir + "/writer-only.db", Store::Open::read_write);
        int64_t run = s.begin_run({"bench", "{}", "bench", {}});
        double t = 0, cpu = 0;
        for (uint64_t start = 0, unit = 0; start < rows; start += batch_size, ++unit) {
            Batch b = make_batch(run, start, unit);
            auto t0 = std::chrono::steady_clock::now();
            double c0 = thread_cpu_seconds();
            s.write(b);
            t += seconds_since(t0);
            cpu += thread_cpu_seconds() - c0;
        }
        std::printf("RESULT peer=convergent workload=store case=batched-writer-only rows=%llu batch=%llu median_s=%.4f "
                    "cpu_s=%.4f rows_per_s=%.0f\n",
                    static_cast<unsigned long long>(rows), static_cast<unsigned long long>(batch_size), t, cpu, rows / t);
        // the same units again, from a new Store (no cached ids): nothing new is written
        Store again(dir + "/writer-only.db", Store::Open::existing);
        t = 0;
        for (uint64_t start = 0, unit = 0; start < rows; start += batch_size, ++unit) {
            Batch b = make_batch(run, start, unit);
            auto t0 = std::chrono::steady_clock::now();
            again.write(b);
            t += seconds_since(t0);
        }
        std::printf("RESULT peer=convergent workload=store case=batched-rewrite rows=%llu batch=%llu median_s=%.4f "
                    "rows_per_s=%.0f\n",
                    static_cast<unsigned long long>(rows), static_cast<unsigned long long>(batch_size), t, rows / t);
    }
    {  // plain SQLite: the same schema and pragmas (a Store creates the file), nothing of ours
        std::string path = dir + "/plain.db";
        int64_t run = Store(path, Store::Open::read_write).begin_run({"bench", "{}", "bench", {}});
        Connection c(path, Connection::Mode::read_write);
        c.exec("PRAGMA journal_mode = WAL");
        c.exec("PRAGMA synchronous = NORMAL");
        c.exec("PRAGMA cache_size = -65536");
        c.exec("PRAGMA wal_autocheckpoint = 0");
        Statement pcf(c, "INSERT INTO pcfs(a, b, a_expr, b_expr, a_deg, b_deg) VALUES (?,?,?,?,?,?)");
        Statement ev(c, "INSERT INTO evaluations(pcf_id, run_id, depth, converges, digits, value, value_approx, "
                        "limit_source, limit_depth, delta, delta_trajectory, rate, convergence, fr_k, fr_stable, "
                        "growth_nlogn, growth_n) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        double t = 0;
        for (uint64_t start = 0; start < rows; start += batch_size) {
            Batch unit = make_batch(run, start, 0);
            auto t0 = std::chrono::steady_clock::now();
            Transaction tx(c);
            for (const EvaluationRow& e : unit.evaluations) {
                const PcfRow& p = e.pcf;
                pcf.bind_ref(1, p.a).bind_ref(2, p.b).bind_ref(3, p.a_expr).bind_ref(4, p.b_expr);
                pcf.bind(5, p.a_deg).bind(6, p.b_deg).run();
                ev.bind(1, static_cast<int64_t>(sqlite3_last_insert_rowid(c.get()))).bind(2, run).bind(3, e.depth);
                ev.bind(4, e.converges).bind(5, e.digits).bind_ref(6, e.value).bind(7, e.value_approx);
                ev.bind_ref(8, e.limit_source).bind(9, e.limit_depth).bind(10, e.delta).bind_ref(11, e.delta_trajectory);
                ev.bind(12, e.rate).bind_ref(13, e.convergence).bind(14, e.fr_k).bind(15, e.fr_stable);
                ev.bind(16, e.growth_nlogn).bind(17, e.growth_n).run();
            }
            tx.commit();
            t += seconds_since(t0);
        }
        std::printf("RESULT peer=plain-sqlite workload=store case=batched rows=%llu batch=%llu median_s=%.4f "
                    "rows_per_s=%.0f\n",
                    static_cast<unsigned long long>(rows), static_cast<unsigned long long>(batch_size), t, rows / t);
    }
    {  // naive: one transaction per row, no writer thread
        Store s(dir + "/naive.db", Store::Open::read_write);
        int64_t run = s.begin_run({"bench", "{}", "bench", {}});
        auto t0 = std::chrono::steady_clock::now();
        for (uint64_t i = 0; i < naive_rows; ++i) {
            Batch b;
            b.run_id = run;
            b.evaluations.push_back(row(i));
            s.write(b);
        }
        double t = seconds_since(t0);
        std::printf("RESULT peer=naive-row-transactions workload=store case=batched rows=%llu median_s=%.4f rows_per_s=%.0f\n",
                    static_cast<unsigned long long>(naive_rows), t, naive_rows / t);
        // and with the default durability of a fresh SQLite database (synchronous = FULL, rollback journal)
    }
    {
        Connection c(dir + "/naive-full.db", Connection::Mode::read_write);
        c.exec("CREATE TABLE evaluations(id INTEGER PRIMARY KEY, a TEXT, b TEXT, depth INTEGER, digits INTEGER, "
               "value_approx REAL, delta REAL, UNIQUE(a, b, depth))");
        Statement ins(c, "INSERT INTO evaluations(a, b, depth, digits, value_approx, delta) VALUES (?,?,?,?,?,?) "
                         "ON CONFLICT DO NOTHING");
        auto t0 = std::chrono::steady_clock::now();
        for (uint64_t i = 0; i < naive_rows; ++i) {
            EvaluationRow e = row(i);
            ins.bind(1, e.pcf.a).bind(2, e.pcf.b).bind(3, e.depth).bind(4, e.digits).bind(5, e.value_approx).bind(6, e.delta);
            ins.run();  // autocommit: one durable transaction per row
        }
        double t = seconds_since(t0);
        std::printf("RESULT peer=naive-sqlite-defaults workload=store case=batched rows=%llu median_s=%.4f rows_per_s=%.0f\n",
                    static_cast<unsigned long long>(naive_rows), t, naive_rows / t);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
