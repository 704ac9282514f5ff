#include "search/mpi_runner.hpp"

#include <cstdlib>

#include "db/writer.hpp"

#include <mpi.h>
#include <nlohmann/json.hpp>
#include <oneapi/tbb/parallel_pipeline.h>

#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>

namespace cvg::search {
namespace {

enum Tag : int { kRequest = 1, kUnit = 2, kResult = 3, kDone = 4 };

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

template <class T>
nlohmann::json opt(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
template <class T>
std::optional<T> get_opt(const nlohmann::json& j) {
    if (j.is_null()) return std::nullopt;
    return j.get<T>();
}

nlohmann::json evaluation_json(const db::EvaluationRow& e) {
    return {{"a", e.pcf.a}, {"b", e.pcf.b}, {"ae", e.pcf.a_expr}, {"be", e.pcf.b_expr}, {"ad", e.pcf.a_deg},
            {"bd", e.pcf.b_deg}, {"depth", e.depth}, {"conv", e.converges}, {"digits", e.digits},
            {"value", opt(e.value)}, {"approx", opt(e.value_approx)}, {"src", e.limit_source},
            {"ldepth", opt(e.limit_depth)}, {"delta", opt(e.delta)}, {"traj", opt(e.delta_trajectory)},
            {"rate", opt(e.rate)}, {"type", opt(e.convergence)}, {"frk", opt(e.fr_k)}, {"frs", opt(e.fr_stable)},
            {"g1", opt(e.growth_nlogn)}, {"g2", opt(e.growth_n)}};
}

db::EvaluationRow evaluation_from_json(const nlohmann::json& j) {
    db::EvaluationRow e;
    e.pcf = db::PcfRow{j["a"], j["b"], j["ae"], j["be"], j["ad"], j["bd"]};
    e.depth = j["depth"];
    e.converges = j["conv"];
    e.digits = j["digits"];
    e.value = get_opt<std::string>(j["value"]);
    e.value_approx = get_opt<double>(j["approx"]);
    e.limit_source = j["src"];
    e.limit_depth = get_opt<uint64_t>(j["ldepth"]);
    e.delta = get_opt<double>(j["delta"]);
    e.delta_trajectory = get_opt<std::string>(j["traj"]);
    e.rate = get_opt<double>(j["rate"]);
    e.convergence = get_opt<std::string>(j["type"]);
    e.fr_k = get_opt<double>(j["frk"]);
    e.fr_stable = get_opt<bool>(j["frs"]);
    e.growth_nlogn = get_opt<double>(j["g1"]);
    e.growth_n = get_opt<double>(j["g2"]);
    return e;
}

nlohmann::json result_json(const UnitResult& r) {
    nlohmann::json j;
    j["unit"] = r.unit;
    j["seconds"] = r.seconds;
    const UnitStats& s = r.stats;
    j["stats"] = {{"pcfs", s.pcfs},       {"terminated", s.terminated}, {"overflow", s.overflow},
                  {"q_zero", s.q_zero},   {"unconverged", s.unconverged}, {"screened", s.screened},
                  {"rescreened", s.rescreened}, {"candidates", s.candidates}, {"rejected", s.rejected},
                  {"too_slow", s.too_slow}, {"equivalent", s.equivalent}, {"sampled_out", s.sampled_out}};
    j["evaluations"] = nlohmann::json::array();
    for (const db::EvaluationRow& e : r.evaluations) j["evaluations"].push_back(evaluation_json(e));
    j["conjectures"] = nlohmann::json::array();
    for (const Conjecture& c : r.conjectures) {
        nlohmann::json k = {{"a", c.pcf.a.to_expr()},
                            {"b", c.pcf.b.to_expr()},
                            {"index", c.index},
                            {"num", c.v.relation.num},
                            {"den", c.v.relation.den},
                            {"digits", c.v.digits_matched},
                            {"certified", c.v.certified_digits},
                            {"depth", c.v.depth},
                            {"family", c.family},
                            {"ok", c.v.metrics.ok},
                            {"delta", c.v.metrics.delta},
                            {"rate", c.v.metrics.rate},
                            {"convergence", c.v.metrics.convergence}};
        j["conjectures"].push_back(k);
    }
    return j;
}

UnitResult result_from_json(const nlohmann::json& j) {
    UnitResult r;
    r.unit = j["unit"];
    r.seconds = j["seconds"];
    const auto& s = j["stats"];
    r.stats.pcfs = s["pcfs"];
    r.stats.terminated = s["terminated"];
    r.stats.overflow = s["overflow"];
    r.stats.q_zero = s["q_zero"];
    r.stats.unconverged = s["unconverged"];
    r.stats.screened = s["screened"];
    r.stats.rescreened = s["rescreened"];
    r.stats.candidates = s["candidates"];
    r.stats.rejected = s["rejected"];
    r.stats.too_slow = s["too_slow"];
    r.stats.equivalent = s["equivalent"];
    r.stats.sampled_out = s["sampled_out"];
    for (const auto& e : j["evaluations"]) r.evaluations.push_back(evaluation_from_json(e));
    for (const auto& k : j["conjectures"]) {
        Conjecture c;
        c.index = k["index"];
        c.pcf = Pcf{Poly::parse(k["a"].get<std::string>()), Poly::parse(k["b"].get<std::string>())};
        c.v.relation.num = k["num"].get<std::vector<int64_t>>();
        c.v.relation.den = k["den"].get<std::vector<int64_t>>();
        c.v.digits_matched = k["digits"];
        c.v.certified_digits = k["certified"];
        c.v.depth = k["depth"];
        c.family = k["family"];
        c.v.metrics.ok = k["ok"];
        c.v.metrics.delta = k["delta"];
        c.v.metrics.rate = k["rate"];
        c.v.metrics.convergence = k["convergence"];
        r.conjectures.push_back(std::move(c));
    }
    return r;
}

void send_string(const std::string& s, int dest, int tag) {
    MPI_Send(s.data(), static_cast<int>(s.size()), MPI_CHAR, dest, tag, MPI_COMM_WORLD);
}

std::string recv_string(const MPI_Status& probe) {
    int n = 0;
    MPI_Get_count(&probe, MPI_CHAR, &n);
    std::string s(static_cast<size_t>(n), '\0');
    MPI_Recv(s.data(), n, MPI_CHAR, probe.MPI_SOURCE, probe.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return s;
}

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
    // Open MPI spins in MPI_Recv by default: rank 0, which mostly waits for results, would take a
    // whole core from the workers beside it (docs/DISTRIBUTED.md). The user's setting wins.
    ::setenv("OMPI_MCA_mpi_yield_when_idle", "1", 0);
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided);
    if (provided < MPI_THREAD_SERIALIZED) {
        MPI_Finalize();
        throw std::runtime_error("the MPI library does not support MPI_THREAD_SERIALIZED");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

Progress run_units_mpi_master(const UnitSearch& search, db::Store& store, int64_t run_id,
                              const std::set<uint64_t>& done, const std::string& constant_name,
                              const RunOptions& opt, std::vector<RankStats>& ranks) {
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    ranks.assign(static_cast<size_t>(size), RankStats{});
    for (int r = 0; r < size; ++r) ranks[static_cast<size_t>(r)].rank = r;
    if (size == 1) {
        double t0 = now();
        Progress p = run_units(search, store, run_id, done, constant_name, opt);
        ranks[0].units = p.units_done;
        ranks[0].pcfs = p.totals.pcfs;
        ranks[0].wall_seconds = ranks[0].busy_seconds = now() - t0;
        return p;
    }
    double t0 = now();
    std::vector<uint64_t> todo;
    for (uint64_t u = 0; u < search.units(); ++u)
        if (u % opt.shard.count == opt.shard.index && !done.count(u)) todo.push_back(u);
    Progress prog;
    prog.units_todo = todo.size();
    db::Writer writer(store, 8);
    std::mutex m;
    writer.on_commit([&](const db::Batch& b) {
        std::lock_guard<std::mutex> lock(m);
        ++prog.units_done;
        maybe_kill_after_commit(prog.units_done);
        prog.conjectures += b.conjectures.size();
        prog.seconds = now() - t0;
        if (opt.on_progress) opt.on_progress(prog);
    });
    size_t next = 0, committed = 0;
    std::map<uint64_t, UnitResult> pending;  // results that arrived before an earlier unit's
    int finished = 0;
    while (finished < size - 1) {
        MPI_Status st;
        MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        std::string msg = recv_string(st);
        if (st.MPI_TAG == kRequest) {
            long long unit = next < todo.size() ? static_cast<long long>(todo[next++]) : -1;
            MPI_Send(&unit, 1, MPI_LONG_LONG, st.MPI_SOURCE, kUnit, MPI_COMM_WORLD);
        } else if (st.MPI_TAG == kResult) {
            UnitResult r = result_from_json(nlohmann::json::parse(msg));
            pending.emplace(r.unit, std::move(r));
            while (committed < todo.size() && pending.count(todo[committed])) {
                UnitResult& u = pending[todo[committed]];
                {
                    std::lock_guard<std::mutex> lock(m);
                    prog.totals.add(u.stats);
                }
                db::Batch b = batch_of(u, run_id, search.method(), constant_name);
                writer.submit(std::move(b));
                pending.erase(todo[committed]);
                ++committed;
            }
        } else if (st.MPI_TAG == kDone) {
            auto j = nlohmann::json::parse(msg);
            RankStats& rs = ranks[static_cast<size_t>(st.MPI_SOURCE)];
            rs.units = j["units"];
            rs.pcfs = j["pcfs"];
            rs.busy_seconds = j["busy"];
            rs.idle_seconds = j["idle"];
            rs.wall_seconds = j["wall"];
            ++finished;
        }
    }
    writer.close();
    ranks[0].wall_seconds = now() - t0;
    prog.seconds = now() - t0;
    return prog;
}

void run_units_mpi_worker(const UnitSearch& search, int max_parallel_units) {
    std::mutex mpi;  // MPI_THREAD_SERIALIZED: one MPI call at a time
    double t0 = now(), idle = 0, busy = 0;
    uint64_t units = 0, pcfs = 0;
    std::mutex stats;
    tbb::parallel_pipeline(
        static_cast<size_t>(std::max(1, max_parallel_units)),
        tbb::make_filter<void, uint64_t>(tbb::filter_mode::serial_in_order,
                                         [&](tbb::flow_control& fc) -> uint64_t {
                                             double w0 = now();
                                             long long unit = -1;
                                             {
                                                 std::lock_guard<std::mutex> lock(mpi);
                                                 char none = 0;
                                                 MPI_Send(&none, 0, MPI_CHAR, 0, kRequest, MPI_COMM_WORLD);
                                                 MPI_Recv(&unit, 1, MPI_LONG_LONG, 0, kUnit, MPI_COMM_WORLD,
                                                          MPI_STATUS_IGNORE);
                                             }
                                             idle += now() - w0;
                                             if (unit < 0) {
                                                 fc.stop();
                                                 return 0;
                                             }
                                             return static_cast<uint64_t>(unit);
                                         }) &
            tbb::make_filter<uint64_t, std::string>(tbb::filter_mode::parallel,
                                                    [&](uint64_t u) {
                                                        UnitResult r = search.run_unit(u);
                                                        std::lock_guard<std::mutex> lock(stats);
                                                        ++units;
                                                        pcfs += r.stats.pcfs;
                                                        busy += r.seconds;
                                                        return result_json(r).dump();
                                                    }) &
            tbb::make_filter<std::string, void>(tbb::filter_mode::serial_out_of_order, [&](const std::string& s) {
                std::lock_guard<std::mutex> lock(mpi);
                send_string(s, 0, kResult);
            }));
    nlohmann::json d = {{"units", units}, {"pcfs", pcfs}, {"busy", busy}, {"idle", idle}, {"wall", now() - t0}};
    send_string(d.dump(), 0, kDone);
}

}  // namespace cvg::search
