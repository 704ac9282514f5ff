// Exact deep evaluation, side by side with the peers of ../shared/bench (deep_pari.sh,
// deep_gmpy2.py, deep_mpmath.py): the same PCFs, the same timed region and the same RESULT
// lines, so compare.py puts them in one table.
//   bench_deep [--pcf apery,brouncker] [--N 10000,100000] [--reps 3] [--threads 1]
//              [--max-seconds 120] [--peer NAME] [--mul auto|classical|winograd|transform]
//              [--no-spine] [--breakdown]
// Timed per case: p_N, q_N (and q_{N-1} as far as D needs it), D = the digits the depth
// supports, and the D-digit decimal string of p_N/q_N; sum log10|b(i)| is computed before, as
// the peers do. --threads caps oneTBB's workers; the peer name defaults to "convergent" for one
// thread and "convergent-<t>t" otherwise. --mul and --no-spine switch techniques off to measure
// what they gain; --breakdown adds a PHASES line per case (convergents, D, digits, and the
// digits the plain way: full-size division and GMP's conversion).
#include "src/digits_out.hpp"
#include "src/exact.hpp"

#include <gmp.h>
#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

using namespace cvg;

namespace {

struct Case {
    std::string name;
    Pcf pcf;
    Int a0;
};

// The PCFs of ../shared/bench/pcfs.py (Brouncker's a(0) = 1 breaks the pattern a(n) = 2).
Case make_case(const std::string& name) {
    if (name == "apery") {
        Pcf p{Poly::parse("34n^3+51n^2+27n+5"), Poly::parse("-n^6")};
        return {name, p, p.a.eval(0)};
    }
    if (name == "brouncker") return {name, Pcf{Poly::parse("2"), Poly::parse("(2n-1)^2")}, Int(1)};
    std::fprintf(stderr, "bench_deep: unknown --pcf %s (apery, brouncker)\n", name.c_str());
    std::exit(2);
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::string dotted(const std::string& digits) {
    std::string head = digits.substr(0, 50);
    return head.size() > 1 ? head.substr(0, 1) + "." + head.substr(1) : head;
}

// CPU time of the whole process (all threads): steadier than wall time on a shared machine.
double cpu_seconds() {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// One case's phases, and the digits computed without truncation and with GMP's serial
// conversion, for comparison.
void print_phases(const Case& c, uint64_t n, double lpb, const SplitOptions& opt) {
    auto t0 = std::chrono::steady_clock::now();
    TopConvergents top = top_convergents(c.pcf, n, c.a0, opt);
    double t_conv = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    long d = supported_digits(c.pcf, top, lpb);
    double t_d = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    std::string fast = truncated_digits(top.p, top.q, d);
    double t_digits = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    mpz_class p = top.p.to_mpz(), q = top.q.to_mpz(), t;
    mpz_ui_pow_ui(t.get_mpz_t(), 10, static_cast<unsigned long>(d - 1));
    p = abs(p) * t / abs(q);
    std::string plain = p.get_str();
    double t_plain = seconds_since(t0);
    std::printf("PHASES case=%s N=%llu convergents_s=%.4g digits_count_s=%.4g digits_s=%.4g "
                "plain_digits_s=%.4g same=%d\n",
                c.name.c_str(), static_cast<unsigned long long>(n), t_conv, t_d, t_digits, t_plain,
                fast == plain ? 1 : 0);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t k = v.size();
    return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string pcfs = "brouncker,apery", ns = "10000,100000", peer;
    int reps = 3, threads = 1;
    double max_seconds = 120;
    bool breakdown = false;
    SplitOptions opt;
    for (int i = 1; i < argc; i += 2) {
        std::string k = argv[i];
        if (k == "--no-spine") { opt.column_spine = false; --i; continue; }
        if (k == "--breakdown") { breakdown = true; --i; continue; }
        if (i + 1 >= argc) { std::fprintf(stderr, "bench_deep: %s needs a value\n", k.c_str()); return 2; }
        std::string v = argv[i + 1];
        if (k == "--pcf") pcfs = v;
        else if (k == "--N") ns = v;
        else if (k == "--reps") reps = std::max(1, std::atoi(v.c_str()));
        else if (k == "--threads") threads = std::max(1, std::atoi(v.c_str()));
        else if (k == "--max-seconds") max_seconds = std::atof(v.c_str());
        else if (k == "--peer") peer = v;
        else if (k == "--mul") {
            if (v == "auto") opt.mul = MulStrategy::automatic;
            else if (v == "classical") opt.mul = MulStrategy::classical;
            else if (v == "winograd") opt.mul = MulStrategy::winograd;
            else if (v == "transform") opt.mul = MulStrategy::transform;
            else { std::fprintf(stderr, "bench_deep: --mul auto|classical|winograd|transform\n"); return 2; }
        }
        else { std::fprintf(stderr, "bench_deep: unknown argument %s\n", k.c_str()); return 2; }
    }
    if (peer.empty()) peer = threads == 1 ? "convergent" : "convergent-" + std::to_string(threads) + "t";
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));

    for (const std::string& name : split(pcfs)) {
        Case c = make_case(name);
        for (const std::string& nstr : split(ns)) {
            uint64_t n = std::strtoull(nstr.c_str(), nullptr, 10);
            double lpb = log10_abs_prod_b(c.pcf, n);  // untimed, as in the peers
            std::vector<double> times, cpu;
            DeepValue v;
            std::string conv;
            for (int r = 0; r < reps; ++r) {
                auto t0 = std::chrono::steady_clock::now();
                double c0 = cpu_seconds();
                v = deep_value(c.pcf, n, c.a0, lpb, opt);
                conv = v.digits >= 50 ? v.value : truncated_digits(v.conv.p, v.conv.q, 50);
                times.push_back(seconds_since(t0));
                cpu.push_back(cpu_seconds() - c0);
                double total = 0;
                for (double t : times) total += t;
                if (total > max_seconds) break;
            }
            std::string tail = v.value.size() > 10 ? v.value.substr(v.value.size() - 10) : v.value;
            std::printf("RESULT peer=%s workload=deep case=%s N=%llu reps=%zu median_s=%.6g min_s=%.6g "
                        "digits=%ld value=%s tail=%s conv=%s threads=%d cpu_s=%.6g\n",
                        peer.c_str(), name.c_str(), static_cast<unsigned long long>(n), times.size(),
                        median(times), *std::min_element(times.begin(), times.end()), v.digits,
                        dotted(v.value).c_str(), tail.c_str(), dotted(conv).c_str(), threads, median(cpu));
            if (breakdown) print_phases(c, n, lpb, opt);
            std::fflush(stdout);
        }
    }
    return 0;
}
