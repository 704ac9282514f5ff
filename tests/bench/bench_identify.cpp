// Integer relations: the workload of ../shared/bench/identify_pari.gp and identify_mpmath.py,
// with the same RESULT lines (peer=convergent for LLL, peer=convergent-pslq for PSLQ), plus
// dimensions 6 and 8 and the whole `identify` search.
//
//   x = PCF a(n) = 3n+6, b(n) = -2n^2-5n-3 = (12 - 3 pi)/(10 - 3 pi): relation -12 + 10x + 3pi - 3x pi
//   y = Apery's PCF 6/zeta(3): [1, y, pi, y pi] has no relation (negative control)
// x and y come from exact binary splitting (untimed) at an error < 10^-(D+20); timed per call:
//   mobius_pi       LLL on [1, x, pi, x pi] (from balls at D digits to the relation)
//   negative_zeta3  the same on [1, y, pi, y pi] (no bound: the whole reduction, as PARI's lindep)
//   mobius_pi_deg3  LLL on [1, x, x^2, x^3] (as PARI's algdep(x, 3))
//   PSLQ (peer convergent-pslq) on the first two with maxcoeff 10^6, as mpmath.
//   dim6_* / dim8_*: [B, x B] for B = [1, pi, pi^2] and [1, pi, e, pi e] (ours only)
//   identify_auto_*: find_relations on D digits of x, y and exp(pi) (ours only)
//
//   bench_identify [--digits 100,1000] [--reps 5]
#include "src/decimal.hpp"
#include "src/exact.hpp"
#include "src/identify.hpp"
#include "src/lll.hpp"
#include "src/pslq.hpp"

#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace cvg;

namespace {

// seconds per call: batches of calls of >= 50 ms each; median and min over reps batches
std::pair<double, double> per_call(const std::function<void()>& f, int reps) {
    std::vector<double> ts;
    for (int r = 0; r < reps; ++r) {
        int k = 0;
        auto t0 = std::chrono::steady_clock::now();
        double t = 0;
        do {
            f();
            ++k;
            t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        } while (t < 0.05);
        ts.push_back(t / k);
    }
    std::sort(ts.begin(), ts.end());
    return {ts[ts.size() / 2], ts.front()};
}

Ball pcf_value(const char* a, const char* b, uint64_t depth, slong prec) {
    Pcf pcf{Poly::parse(a), Poly::parse(b)};
    Convergents c = convergents(pcf, depth);
    Ball x;
    arb_fmpz_div_fmpz(x.get(), c.p.get(), c.q.get(), prec);
    return x;
}

Ball mul(const Ball& x, const Ball& y, slong prec) {
    Ball r;
    arb_mul(r.get(), x.get(), y.get(), prec);
    return r;
}

std::string join(const std::vector<Int>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i].str();
    return s;
}

long max_coef_digits(const std::vector<Int>& v) {
    long d = 0;
    for (const Int& c : v) d = std::max<long>(d, static_cast<long>(c.str().size()) - (c.sign() < 0));
    return d;
}

// [B, x B] for a basis of constants given as balls
std::vector<Ball> ratio_vector(const Ball& x, const std::vector<Ball>& basis, slong prec) {
    std::vector<Ball> v = basis;
    for (const Ball& b : basis) v.push_back(mul(x, b, prec));
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<long> digits = {100, 1000};
    int reps = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--digits") {
            digits.clear();
            std::stringstream ss(v);
            std::string d;
            while (std::getline(ss, d, ',')) digits.push_back(std::stol(d));
        } else if (k == "--reps") {
            reps = std::atoi(v.c_str());
        }
    }
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    for (long D : digits) {
        const slong prec = bits_for_digits(D);
        const auto N = static_cast<uint64_t>(std::ceil((D + 20) * std::log(10.0) / std::log(2.0))) + 50;
        Ball x = pcf_value("3n+6", "-2n^2-5n-3", N, prec + 64);
        Ball y = pcf_value("34n^3+51n^2+27n+5", "-n^6", static_cast<uint64_t>(std::ceil((D + 20) / 3.0)) + 10, prec + 64);
        Ball pi, e, one;
        arb_const_pi(pi.get(), prec + 64);
        arb_const_e(e.get(), prec + 64);
        arb_one(one.get());
        auto at_digits = [&](std::vector<Ball> v) {  // D digits, as realprecision = D
            for (Ball& b : v) {
                arb_set_round(b.get(), b.get(), prec);
                arb_add_error_2exp_si(b.get(), -prec);
            }
            return v;
        };
        std::vector<Ball> vx = at_digits({one, x, pi, mul(x, pi, prec + 64)});
        std::vector<Ball> vy = at_digits({one, y, pi, mul(y, pi, prec + 64)});
        std::vector<Ball> vd = at_digits({one, x, mul(x, x, prec + 64), mul(mul(x, x, prec + 64), x, prec + 64)});

        LllResult r;
        auto [med, mn] = per_call([&] { r = lll_relation(scale_for_relation(vx)); }, reps);
        bool found = join(r.relation) == "-12,10,3,-3" || join(r.relation) == "12,-10,-3,3";
        std::printf("RESULT peer=convergent workload=identify case=mobius_pi digits=%ld reps=%d median_s=%.9f "
                    "min_s=%.9f relation=%s found=%d method=lll\n",
                    D, reps, med, mn, join(r.relation).c_str(), found ? 1 : 0);
        std::tie(med, mn) = per_call([&] { r = lll_relation(scale_for_relation(vy)); }, reps);
        std::printf("RESULT peer=convergent workload=identify case=negative_zeta3 digits=%ld reps=%d median_s=%.9f "
                    "min_s=%.9f max_abs_coef_digits=%ld method=lll\n",
                    D, reps, med, mn, max_coef_digits(r.relation));
        std::tie(med, mn) = per_call([&] { r = lll_relation(scale_for_relation(vd)); }, reps);
        std::printf("RESULT peer=convergent workload=identify case=mobius_pi_deg3 digits=%ld reps=%d median_s=%.9f "
                    "min_s=%.9f max_abs_coef_digits=%ld method=lll\n",
                    D, reps, med, mn, max_coef_digits(r.relation));

        // PSLQ with maxcoeff 10^6, as mpmath
        PslqOptions po;
        po.max_coef = Int(1000000);
        PslqResult p;
        std::tie(med, mn) = per_call([&] { p = pslq(vx, po); }, reps);
        found = join(p.relation) == "-12,10,3,-3" || join(p.relation) == "12,-10,-3,3";
        std::printf("RESULT peer=convergent-pslq workload=identify case=mobius_pi digits=%ld reps=%d median_s=%.9f "
                    "min_s=%.9f relation=%s found=%d maxcoeff=1000000\n",
                    D, reps, med, mn, p.relation.empty() ? "none" : join(p.relation).c_str(), found ? 1 : 0);
        std::tie(med, mn) = per_call([&] { p = pslq(vy, po); }, reps);
        std::printf("RESULT peer=convergent-pslq workload=identify case=negative_zeta3 digits=%ld reps=%d "
                    "median_s=%.9f min_s=%.9f relation=%s maxcoeff=1000000\n",
                    D, reps, med, mn, p.relation.empty() ? "none" : join(p.relation).c_str());
        // LLL with the same bound (stops once the Gram-Schmidt bound rules out every |m_i| <= 10^6)
        LllOptions lo;
        lo.max_coef = Int(1000000);
        std::tie(med, mn) = per_call([&] { r = lll_relation(scale_for_relation(vy), lo); }, reps);
        std::printf("RESULT peer=convergent-bounded workload=identify case=negative_zeta3 digits=%ld reps=%d "
                    "median_s=%.9f min_s=%.9f bound_exceeded=%d maxcoeff=1000000\n",
                    D, reps, med, mn, r.bound_exceeded ? 1 : 0);

        // dimensions 6 and 8 (ours only): x = (12 - 3pi)/(10 - 3pi) is also a ratio over these bases
        Ball pi2 = mul(pi, pi, prec + 64), pe = mul(pi, e, prec + 64);
        struct Dim {
            const char* name;
            std::vector<Ball> basis;
        };
        for (const Dim& d : {Dim{"dim6_pi_pi2", {one, pi, pi2}}, Dim{"dim8_pi_e", {one, pi, e, pe}}}) {
            std::vector<Ball> pos = at_digits(ratio_vector(x, d.basis, prec + 64));
            std::vector<Ball> neg = at_digits(ratio_vector(y, d.basis, prec + 64));
            std::tie(med, mn) = per_call([&] { r = lll_relation(scale_for_relation(pos)); }, reps);
            std::printf("RESULT peer=convergent workload=identify case=%s_mobius digits=%ld reps=%d median_s=%.9f "
                        "min_s=%.9f relation=%s method=lll\n",
                        d.name, D, reps, med, mn, join(r.relation).c_str());
            std::tie(med, mn) = per_call([&] { r = lll_relation(scale_for_relation(neg)); }, reps);
            std::printf("RESULT peer=convergent workload=identify case=%s_negative digits=%ld reps=%d median_s=%.9f "
                        "min_s=%.9f max_abs_coef_digits=%ld method=lll\n",
                        d.name, D, reps, med, mn, max_coef_digits(r.relation));
        }

        // the whole search of `convergent identify` on D digits of x, y, and exp(pi) (not in any
        // family: every family is searched in vain)
        Ball gelfond;
        arb_exp(gelfond.get(), pi.get(), prec + 64);
        for (auto [name, v] : {std::pair<const char*, Ball*>{"identify_auto_mobius_pi", &x},
                               {"identify_auto_zeta3", &y}, {"identify_auto_exp_pi", &gelfond}}) {
            Target t;
            t.value = *v;
            arb_set_round(t.value.get(), t.value.get(), prec);
            arb_add_error_2exp_si(t.value.get(), -prec);
            t.digits = D - 1;
            std::vector<Finding> f;
            std::tie(med, mn) = per_call([&] { f = find_relations(t, IdentifyOptions{}); }, std::min(reps, 3));
            std::printf("RESULT peer=convergent workload=identify case=%s digits=%ld reps=%d median_s=%.9f min_s=%.9f "
                        "relations=%zu first=%s\n",
                        name, D, std::min(reps, 3), med, mn, f.size(),
                        f.empty() ? "none" : f[0].relation.text().c_str());
        }
        std::fflush(stdout);
    }
    return 0;
}
