#include "src/metrics.hpp"

#include "src/decimal.hpp"
#include "src/exact.hpp"

#include <array>
#include <cmath>
#include <limits>

namespace cvg {
namespace {

constexpr double kLn10 = 2.302585092994045684;

constexpr int kBlindSteps = 64;        // single steps tried before jumping to the cap
constexpr double kBlindDigits = 8.0;   // digits the blind limit should be closer than x_N
constexpr uint64_t kFitMinDepth = 100; // fr_k_fit below: the first points would be n = 1, 2, ...

double ln_abs(const Int& x) { return x.log10_abs() * kLn10; }

// One term further: p_{n+1} = a(n+1) p_n + b(n+1) p_{n-1}, likewise q (linear time).
Convergents step_forward(const Pcf& pcf, const Convergents& c) {
    Int an = pcf.a.eval(static_cast<slong>(c.n + 1)), bn = pcf.b.eval(static_cast<slong>(c.n + 1));
    Convergents r;
    r.n = c.n + 1;
    r.p_prev = c.p;
    r.q_prev = c.q;
    fmpz_fmma(r.p.get(), an.get(), c.p.get(), bn.get(), c.p_prev.get());
    fmpz_fmma(r.q.get(), an.get(), c.q.get(), bn.get(), c.q_prev.get());
    return r;
}

double log10_abs_value(const Poly& p, uint64_t n) {
    int64_t v = 0;
    if (p.eval_i64(static_cast<int64_t>(n), v)) return std::log10(std::fabs(static_cast<double>(v)));
    return p.eval(static_cast<slong>(n)).log10_abs();
}

// log10|x - p/q| at precision prec (p/q rounded to prec bits first).
double log10_distance(const Ball& x, const Int& p, const Int& q, slong prec) {
    Ball a, b, d;
    arb_set_round_fmpz(a.get(), p.get(), prec + 16);
    arb_set_round_fmpz(b.get(), q.get(), prec + 16);
    arb_div(d.get(), a.get(), b.get(), prec);
    arb_sub(d.get(), x.get(), d.get(), prec);
    if (arb_contains_zero(d.get())) {  // beyond the precision: only an upper bound is known
        arf_t u;
        arf_init(u);
        arb_get_abs_ubound_arf(u, d.get(), 30);
        double e = arf_is_zero(u) ? -std::numeric_limits<double>::infinity()
                                  : static_cast<double>(fmpz_get_si(ARF_EXPREF(u))) * 0.30102999566398119521;
        arf_clear(u);
        return e;
    }
    arb_abs(d.get(), d.get());
    arb_log_base_ui(d.get(), d.get(), 10, 53);
    return arf_get_d(arb_midref(d.get()), ARF_RND_NEAR);
}

// Least squares y ~ sum_j c_j f_j(n) over the points; returns the coefficients and the residual.
template <size_t K>
std::pair<std::array<double, K>, double> fit(const std::vector<double>& n, const std::vector<double>& y,
                                             const std::array<std::function<double(double)>, K>& f) {
    std::array<std::array<double, K + 1>, K> m{};  // normal equations, augmented
    for (size_t i = 0; i < n.size(); ++i)
        for (size_t r = 0; r < K; ++r) {
            for (size_t c = 0; c < K; ++c) m[r][c] += f[r](n[i]) * f[c](n[i]);
            m[r][K] += f[r](n[i]) * y[i];
        }
    for (size_t col = 0; col < K; ++col) {  // Gauss-Jordan with partial pivoting
        size_t piv = col;
        for (size_t r = col + 1; r < K; ++r)
            if (std::fabs(m[r][col]) > std::fabs(m[piv][col])) piv = r;
        std::swap(m[col], m[piv]);
        double d = m[col][col];
        if (d == 0) continue;
        for (size_t c = 0; c <= K; ++c) m[col][c] /= d;
        for (size_t r = 0; r < K; ++r) {
            if (r == col) continue;
            double g = m[r][col];
            for (size_t c = 0; c <= K; ++c) m[r][c] -= g * m[col][c];
        }
    }
    std::array<double, K> coef{};
    for (size_t r = 0; r < K; ++r) coef[r] = m[r][K];
    double ss = 0;
    for (size_t i = 0; i < n.size(); ++i) {
        double v = 0;
        for (size_t r = 0; r < K; ++r) v += coef[r] * f[r](n[i]);
        ss += (y[i] - v) * (y[i] - v);
    }
    return {coef, ss};
}

double nlogn_minus_n(double n) { return n * std::log(n) - n; }

}  // namespace

std::vector<uint64_t> checkpoints(uint64_t depth, int k) {
    std::vector<uint64_t> ns;
    for (int i = 1; i <= k; ++i) {
        auto n = static_cast<uint64_t>(std::llround(static_cast<double>(depth) * std::exp2(-(k - i) / 2.0)));
        if (!ns.empty() && n <= ns.back()) n = ns.back() + 1;
        ns.push_back(std::max<uint64_t>(n, 1));
    }
    ns.back() = depth;
    return ns;
}

namespace {

// The checkpoint nearest to half the depth: the second half of the trajectory starts there.
size_t half_index(const std::vector<MetricsPoint>& t) {
    size_t h = 0;
    for (size_t i = 0; i + 1 < t.size(); ++i)
        if (std::llabs(static_cast<long long>(2 * t[i].n) - static_cast<long long>(t.back().n)) <
            std::llabs(static_cast<long long>(2 * t[h].n) - static_cast<long long>(t.back().n)))
            h = i;
    return h;
}

}  // namespace

Metrics compute_metrics(const Pcf& pcf, const MetricsOptions& opt) {
    Metrics m;
    m.depth = opt.depth;
    m.limit_source = opt.limit ? opt.limit_source : "blind";
    const int K = std::max(2, opt.checkpoints);
    // b(t) = 0: x_n = x_{t-1} for every n >= t - 1, so from depth t - 1 on there is no error to measure
    if (auto t = pcf.termination_index(); t && *t <= opt.depth + 1) {
        m.note = "the fraction terminates at n = " + std::to_string(*t);
        return m;
    }
    if (opt.depth < static_cast<uint64_t>(2 * K)) {
        m.note = "depth too small for metrics";
        return m;
    }

    // "metrics: WHAT n = N (I/K)": formatted only when somebody listens (blind runs call this per PCF)
    auto status = [&](const char* what, uint64_t n, size_t i = 0, size_t k = 0) {
        if (!opt.progress) return;
        std::string s = std::string("metrics: ") + what + " n = " + std::to_string(n);
        if (k) s += " (" + std::to_string(i) + "/" + std::to_string(k) + ")";
        opt.progress(s);
    };
    // Exact convergents at the checkpoints, each extending the previous one.
    std::vector<Convergents> cps;
    Convergents c;
    for (uint64_t n : checkpoints(opt.depth, K)) {
        status("exact convergents to", n, cps.size() + 1, K);
        c = cps.empty() ? convergents(pcf, n) : extend(pcf, c, n);
        cps.push_back(c);
    }
    const Convergents& last = cps.back();
    if (last.q.is_zero() || last.q_prev.is_zero()) {
        m.note = "q vanishes at the depth";
        return m;
    }

    // Digits of the steps |x_n - x_{n-1}| at the checkpoints: the precision the distances need
    // (each at its own: a division at the last one's precision would dominate the cost).
    std::vector<double> slb_at;  // sum of log10|b(i)|, i <= checkpoint
    double sum_log_b = 0;
    for (uint64_t i = 1, j = 0; i <= opt.depth; ++i) {
        sum_log_b += log10_abs_value(pcf.b, i);
        if (i == cps[j].n) {
            slb_at.push_back(sum_log_b);
            ++j;
        }
    }
    auto step_digits_of = [](const Convergents& cv, double slb) {
        return cv.q.log10_abs() + cv.q_prev.log10_abs() - slb;
    };
    double step_digits = step_digits_of(last, sum_log_b);
    double mag = last.p.log10_abs() - last.q.log10_abs();
    if (!std::isfinite(mag)) mag = 0;
    auto prec_for = [&](double digits) {
        return bits_for_digits(static_cast<long>(std::max(0.0, std::min(digits, step_digits) + std::fabs(mag))) + 40);
    };
    const slong prec = prec_for(step_digits);

    Ball L;
    if (opt.limit) {
        L = opt.limit(prec);
    } else {
        // Blind: the first convergent beyond N whose step is kBlindDigits smaller than x_N's
        // (a few terms for exponential convergence), at most blind_factor * N deep.
        const uint64_t cap = opt.blind_factor * opt.depth;
        Convergents deep = last;
        double slb = sum_log_b, gain = 0;
        for (int k = 0; k < kBlindSteps && deep.n < cap && gain < kBlindDigits; ++k) {
            deep = step_forward(pcf, deep);
            slb += log10_abs_value(pcf.b, deep.n);
            gain = step_digits_of(deep, slb) - step_digits;
        }
        if (gain < kBlindDigits && deep.n < cap) {  // slow convergence: jump to the cap
            for (uint64_t i = deep.n + 1; i <= cap; ++i) slb += log10_abs_value(pcf.b, i);
            status("blind limit from the convergent at", cap);
            deep = extend(pcf, deep, cap);
            gain = step_digits_of(deep, slb) - step_digits;
        }
        if (deep.q.is_zero()) {
            m.note = "q vanishes at the blind limit depth";
            return m;
        }
        m.limit_depth = deep.n;
        m.limit_digits = gain;
        m.limit_reliable = gain >= 2.0;
        Ball p, q;
        arb_set_round_fmpz(p.get(), deep.p.get(), prec + 16);
        arb_set_round_fmpz(q.get(), deep.q.get(), prec + 16);
        arb_div(L.get(), p.get(), q.get(), prec);
    }

    std::vector<double> ns, ys, lnq;
    for (size_t i = 0; i < cps.size(); ++i) {
        const Convergents& cv = cps[i];
        status("gcd and distance at", cv.n, i + 1, cps.size());
        MetricsPoint pt;
        pt.n = cv.n;
        double n = static_cast<double>(cv.n);
        Int g;
        fmpz_gcd(g.get(), cv.p.get(), cv.q.get());
        pt.ln_gcd = g.is_zero() ? 0 : ln_abs(g);
        pt.ln_q_reduced = ln_abs(cv.q) - pt.ln_gcd;
        pt.fr_k = pt.ln_gcd / nlogn_minus_n(n);
        pt.log10_error = cv.q.is_zero() ? std::numeric_limits<double>::infinity() : log10_distance(L, cv.p, cv.q, prec_for(step_digits_of(cv, slb_at[i])));
        pt.delta = -1.0 - pt.log10_error * kLn10 / pt.ln_q_reduced;
        m.trajectory.push_back(pt);
        if (std::isfinite(pt.log10_error)) {
            ns.push_back(n);
            ys.push_back(-pt.log10_error * kLn10);
            lnq.push_back(pt.ln_q_reduced);
        }
    }
    const MetricsPoint& end = m.trajectory.back();
    const MetricsPoint& mid = m.trajectory[half_index(m.trajectory)];
    m.delta = end.delta;
    m.fr_k = end.fr_k;
    m.fr_stable = std::fabs(end.fr_k - mid.fr_k) <= 0.05 * std::max(0.2, std::fabs(end.fr_k));
    m.rate = (mid.log10_error - end.log10_error) / static_cast<double>(end.n - mid.n);

    if (opt.depth >= kFitMinDepth) {  // the k ln gcd tends to: ln gcd ~ k (n ln n - n) + c n + d
        std::vector<double> fn, fg;
        for (const MetricsPoint& p : m.trajectory) {
            fn.push_back(static_cast<double>(p.n));
            fg.push_back(p.ln_gcd);
        }
        auto [kf, kres] = fit<3>(fn, fg, {nlogn_minus_n, [](double n) { return n; }, [](double) { return 1.0; }});
        m.fr_k_fit = kf[0];
    }
    if (ns.size() >= 3) {
        auto [g, gres] = fit<3>(ns, lnq, {[](double n) { return n * std::log(n); }, [](double n) { return n; },
                                          [](double) { return 1.0; }});
        m.growth_nlogn = g[0];
        m.growth_n = g[1];
    }
    if (!(m.rate > 0) || ns.size() < 3) {
        m.convergence = "none";
        m.note = "the error does not decrease";
        return m;
    }
    // Convergence type: the model of -ln|L - x_n| that fits best.
    std::array<std::pair<const char*, std::function<double(double)>>, 3> models = {{
        {"exponential", [](double n) { return n; }},
        {"factorial", [](double n) { return n * std::log(n); }},
        {"polynomial", [](double n) { return std::log(n); }},
    }};
    double best = std::numeric_limits<double>::infinity();
    for (auto& [name, f] : models) {
        auto [coef, res] = fit<2>(ns, ys, {f, [](double) { return 1.0; }});
        if (coef[0] > 0 && res < best) {
            best = res;
            m.convergence = name;
        }
    }
    m.ok = true;
    return m;
}

}  // namespace cvg
