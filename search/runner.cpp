#include "search/runner.hpp"

#include "db/writer.hpp"
#include "search/verify.hpp"

#include <oneapi/tbb/parallel_pipeline.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <mutex>

namespace cvg::search {

db::ConjectureRow conjecture_row(const Conjecture& c, const std::string& method, const std::string& constant) {
    db::ConjectureRow r;
    r.pcf = db::PcfRow{c.pcf.a.to_list(), c.pcf.b.to_list(), c.pcf.a.to_expr(), c.pcf.b.to_expr(), c.pcf.a.degree(),
                       c.pcf.b.degree()};
    r.method = method;
    r.constant = constant;
    r.relation = relation_json(c.v.relation, constant);
    r.relation_text = relation_text(c.v.relation, constant);
    r.digits_matched = c.v.digits_matched;
    r.verification_depth = c.v.depth;
    r.certified_digits = c.v.certified_digits;
    if (c.v.metrics.ok) {
        r.delta = c.v.metrics.delta;
        r.rate = c.v.metrics.rate;
        r.convergence = c.v.metrics.convergence;
    }
    r.status = "verified";
    r.family = c.family;
    return r;
}

void UnitStats::add(const UnitStats& o) {
    pcfs += o.pcfs; terminated += o.terminated; overflow += o.overflow; q_zero += o.q_zero;
    unconverged += o.unconverged; screened += o.screened; rescreened += o.rescreened;
    candidates += o.candidates; rejected += o.rejected; too_slow += o.too_slow;
    equivalent += o.equivalent; sampled_out += o.sampled_out;
}

db::Batch batch_of(const UnitResult& r, int64_t run_id, const std::string& method, const std::string& constant) {
    db::Batch b;
    b.run_id = run_id;
    for (const Conjecture& c : r.conjectures) b.conjectures.push_back(conjecture_row(c, method, constant));
    b.evaluations = r.evaluations;
    b.unit = db::WorkUnitRow{r.unit, static_cast<int64_t>(r.stats.pcfs), static_cast<int64_t>(r.stats.candidates),
                             static_cast<int64_t>(r.conjectures.size()), r.seconds};
    return b;
}

void maybe_kill_after_commit(uint64_t units_committed) {
    static const uint64_t kill_after = [] {
        const char* env = std::getenv("CONVERGENT_TEST_KILL_AFTER_UNITS");
        return env ? std::strtoull(env, nullptr, 10) : uint64_t{0};
    }();
    if (kill_after && units_committed == kill_after) std::raise(SIGKILL);
}

Progress run_units(const UnitSearch& search, db::Store& store, int64_t run_id, const std::set<uint64_t>& done,
                   const std::string& constant_name, const RunOptions& opt) {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<uint64_t> todo;
    for (uint64_t u = 0; u < search.units(); ++u)
        if (u % opt.shard.count == opt.shard.index && !done.count(u)) todo.push_back(u);

    Progress prog;
    prog.units_todo = todo.size();
    const int64_t stored_before = store.conjecture_count(run_id);
    std::mutex m;
    db::Writer writer(store, 8);
    writer.on_commit([&](const db::Batch& b) {
        std::lock_guard<std::mutex> lock(m);
        ++prog.units_done;
        maybe_kill_after_commit(prog.units_done);
        prog.conjectures += b.conjectures.size();
        prog.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (opt.on_progress) opt.on_progress(prog);
    });

    size_t next = 0;
    tbb::parallel_pipeline(
        static_cast<size_t>(std::max(1, opt.max_parallel_units)),
        tbb::make_filter<void, uint64_t>(tbb::filter_mode::serial_in_order,
                                         [&](tbb::flow_control& fc) -> uint64_t {
                                             if (next == todo.size()) {
                                                 fc.stop();
                                                 return 0;
                                             }
                                             return todo[next++];
                                         }) &
            tbb::make_filter<uint64_t, UnitResult>(tbb::filter_mode::parallel,
                                                   [&](uint64_t u) { return search.run_unit(u); }) &
            tbb::make_filter<UnitResult, void>(tbb::filter_mode::serial_in_order, [&](UnitResult r) {
                db::Batch b = batch_of(r, run_id, search.method(), constant_name);
                {
                    std::lock_guard<std::mutex> lock(m);
                    prog.totals.add(r.stats);
                }
                writer.submit(std::move(b));
            }));
    writer.close();
    // Units often find the same conjecture (ESMA: x and x + 1 share their tail); the rows the
    // run added are what it found.
    prog.conjectures = static_cast<uint64_t>(store.conjecture_count(run_id) - stored_before);
    prog.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return prog;
}

}  // namespace cvg::search
