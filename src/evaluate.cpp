#include "src/evaluate.hpp"

#include "src/mpfr_eval.hpp"
#include "src/screen.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>

namespace cvg {
namespace {

constexpr double kLog10_2 = 0.30102999566398119521;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr long kGuardDigits = 30;     // working precision beyond the digits wanted
constexpr double kTailSafety = 4.0;   // factor on extrapolated tails

// ---------------------------------------------------------------------------------------------
// Running sum S(n) = sum_{i<=n} log10|b(i)| and the count of negative b(i), queried at
// non-decreasing n; the values at n-1 and n-2 of every query are kept as well.
class BLog {
public:
    explicit BLog(const Poly& b) : b_(b), fast_(b), abs_(b) {
        for (double& c : abs_.c) c = std::fabs(c);
    }
    std::pair<long double, long> at(uint64_t n) {
        if (auto it = memo_.find(n); it != memo_.end()) return it->second;
        if (n < pos_) throw std::logic_error("BLog queried below its position");
        for (; pos_ < n; ++pos_) {
            add(pos_ + 1);
            if (pos_ + 3 >= n) memo_[pos_ + 1] = {sum_, neg_};  // n-2, n-1, n are asked for next
        }
        memo_[n] = {sum_, neg_};
        return {sum_, neg_};
    }

private:
    void add(uint64_t i) {
        double x = static_cast<double>(i);
        long double v = 0, va = 0;
        for (size_t k = fast_.c.size(); k-- > 0;) {
            v = v * x + fast_.c[k];
            va = va * x + abs_.c[k];
        }
        if (std::fabs(static_cast<double>(v)) < 0x1p-40 * static_cast<double>(va) || !std::isfinite(static_cast<double>(va))) {
            b_.eval(t_.get(), static_cast<slong>(i));  // cancellation or huge: exactly
            sum_ += t_.log10_abs();
            neg_ += t_.sign() < 0;
        } else {
            sum_ += std::log10(std::fabs(v));
            neg_ += v < 0;
        }
    }
    const Poly& b_;
    ScreenPoly fast_, abs_;
    uint64_t pos_ = 0;
    long double sum_ = 0;
    long neg_ = 0;
    Int t_;
    std::map<uint64_t, std::pair<long double, long>> memo_;
};

// ---------------------------------------------------------------------------------------------
// Planning with a double-precision recurrence: the depth at which the steps |x_n - x_{n-1}|
// fall below the target, and the size of q there (to choose between exact and MPFR work).
struct Plan {
    uint64_t depth = 0;
    bool reached = false;   // the steps reached the target within the planning range
    double log2_q = 0;      // log2|q_depth|
    bool usable = true;     // false if the double recurrence overflowed (huge coefficients)
    bool stalled = false;   // no sign of convergence by a long depth: do not go deeper
};

constexpr uint64_t kStallDepth = uint64_t{1} << 16;

Plan plan_depth(const Pcf& pcf, long target, uint64_t max_depth) {
    ScreenPoly a(pcf.a), b(pcf.b);
    const uint64_t limit = std::min<uint64_t>(max_depth, uint64_t{1} << 23);
    double p0 = 1, p1 = a(0), q0 = 0, q1 = 1, det = 1;
    long e = 0, de = 0;  // the true p, q are scaled by 2^-e, |det| by 2^-de
    uint64_t next_check = 4;
    double prev_digits = -kInf, digits_at_quarter = 0;
    uint64_t prev_n = 0;
    Plan plan;
    for (uint64_t n = 1; n <= limit; ++n) {
        double x = static_cast<double>(n), an = a(x), bn = b(x);
        double p2 = an * p1 + bn * p0, q2 = an * q1 + bn * q0;
        p0 = p1; p1 = p2; q0 = q1; q1 = q2;
        det *= std::fabs(bn);
        int k;
        std::frexp(std::fmax(std::fabs(p1), std::fabs(q1)), &k);
        if (k > 400 || k < -400) {
            p0 = std::ldexp(p0, -k); p1 = std::ldexp(p1, -k);
            q0 = std::ldexp(q0, -k); q1 = std::ldexp(q1, -k);
            e += k;
        }
        std::frexp(det, &k);
        if (k > 400 || k < -400) { det = std::ldexp(det, -k); de += k; }
        if (!std::isfinite(p1 + q1 + det) || bn == 0.0) {
            plan.usable = std::isfinite(p1 + q1 + det);
            plan.depth = n;
            return plan;
        }
        if (n != next_check && n != limit) continue;
        next_check = std::max(next_check + 1, next_check + next_check / 4);
        if (q1 == 0 || q0 == 0) {  // an infinite convergent: no step to measure here
            if (n >= kStallDepth && digits_at_quarter < 1.0) {
                plan.stalled = true;
                plan.depth = n;
                return plan;
            }
            continue;
        }
        double l2_step = std::log2(det) + de - (std::log2(std::fabs(q1)) + std::log2(std::fabs(q0)) + 2.0 * e);
        double l2_x = p1 == 0 ? 0.0 : std::log2(std::fabs(p1)) - std::log2(std::fabs(q1));
        double digits = -(l2_step - l2_x) * kLog10_2;
        plan.log2_q = std::log2(std::fabs(q1)) + e;
        plan.depth = n;
        if (digits >= static_cast<double>(target)) {
            plan.reached = true;
            return plan;
        }
        if (n >= kStallDepth && digits < 1.0 && digits - digits_at_quarter < 0.5) {
            plan.stalled = true;  // steps of order 1 that hardly shrink: a divergent fraction
            return plan;
        }
        if (n <= kStallDepth / 4) digits_at_quarter = digits;
        if (n == limit && prev_n > 0 && digits > prev_digits) {  // extrapolate linearly in n
            double slope = (digits - prev_digits) / static_cast<double>(n - prev_n);
            double more = (static_cast<double>(target) - digits) / slope;
            double growth = plan.log2_q / static_cast<double>(n);
            uint64_t want = more > 1e18 ? max_depth : n + static_cast<uint64_t>(more);
            plan.depth = std::min(max_depth, want);
            plan.log2_q = growth * static_cast<double>(plan.depth) * 1.2;
            return plan;
        }
        prev_digits = digits;
        prev_n = n;
    }
    plan.depth = limit;
    return plan;
}

// ---------------------------------------------------------------------------------------------
// What the error model needs at one depth n.
struct Checkpoint {
    uint64_t n = 0;
    Ball x;              // x_n with its rounding error
    double ld0 = kInf;   // log10|x_n - x_{n-1}|
    double ld1 = kInf;   // log10|x_{n-1} - x_{n-2}|
    int s0 = 0, s1 = 0;  // signs of those steps
    bool valid() const { return std::isfinite(ld0) && std::isfinite(ld1); }
};

// sign and log10 of the step x_k - x_{k-1} = (-1)^(k-1) prod_{i<=k} b(i) / (q_k q_{k-1})
void step_of(BLog& blog, uint64_t k, double lq, int sq, double lq1, int sq1, double& ld, int& s) {
    if (sq == 0 || sq1 == 0) { ld = kInf; s = 0; return; }
    auto [sum, neg] = blog.at(k);
    ld = static_cast<double>(sum) - lq - lq1;
    int sign = ((k - 1) % 2 == 0 ? 1 : -1) * (neg % 2 == 0 ? 1 : -1) * sq * sq1;
    s = sign;
}

Checkpoint checkpoint_exact(const Pcf& pcf, BLog& blog, const Convergents& c, slong prec) {
    Checkpoint cp;
    cp.n = c.n;
    Ball p, q;
    arb_set_round_fmpz(p.get(), c.p.get(), prec + 16);
    arb_set_round_fmpz(q.get(), c.q.get(), prec + 16);
    arb_div(cp.x.get(), p.get(), q.get(), prec);
    if (c.n < 2) return cp;
    Convergents back = step_back(pcf, c);  // q_{n-2} is back.q_prev
    step_of(blog, c.n, c.q.log10_abs(), c.q.sign(), c.q_prev.log10_abs(), c.q_prev.sign(), cp.ld0, cp.s0);
    step_of(blog, c.n - 1, c.q_prev.log10_abs(), c.q_prev.sign(), back.q_prev.log10_abs(), back.q_prev.sign(),
            cp.ld1, cp.s1);
    return cp;
}

double log10_real(const Real& r, long scale2) {
    if (mpfr_zero_p(r.get())) return -kInf;
    long e = 0;
    double m = mpfr_get_d_2exp(&e, r.get(), MPFR_RNDN);
    return std::log10(std::fabs(m)) + static_cast<double>(e + scale2) * kLog10_2;
}

// From MPFR recurrences at two precisions: x from the finer one, its rounding error taken as
// four times the difference between the two (plus one ulp).
Checkpoint checkpoint_mpfr(BLog& blog, const FloatRecurrence& lo, const FloatRecurrence& hi, slong prec) {
    Checkpoint cp;
    cp.n = hi.n();
    Real xl(lo.p().prec()), xh(hi.p().prec()), d(hi.p().prec());
    mpfr_div(xl.get(), lo.p().get(), lo.q().get(), MPFR_RNDN);
    mpfr_div(xh.get(), hi.p().get(), hi.q().get(), MPFR_RNDN);
    mpfr_sub(d.get(), xh.get(), xl.get(), MPFR_RNDU);
    mpfr_abs(d.get(), d.get(), MPFR_RNDU);
    mpfr_mul_ui(d.get(), d.get(), 4, MPFR_RNDU);
    arf_t mid;
    arf_init(mid);
    arf_set_mpfr(mid, xh.get());
    arb_set_arf(cp.x.get(), mid);
    arf_clear(mid);
    arb_set_round(cp.x.get(), cp.x.get(), prec);
    mag_t err;
    mag_init(err);
    if (!mpfr_zero_p(d.get())) {
        long e = 0;
        double m = mpfr_get_d_2exp(&e, d.get(), MPFR_RNDU);
        mag_set_d(err, std::fabs(m));
        mag_mul_2exp_si(err, err, e);
    }
    if (!mpfr_zero_p(xh.get())) {  // plus one ulp of the finer value
        mag_t ulp;
        mag_init(ulp);
        mag_one(ulp);
        mag_mul_2exp_si(ulp, ulp, mpfr_get_exp(xh.get()) - static_cast<long>(mpfr_get_prec(xh.get())));
        mag_add(err, err, ulp);
        mag_clear(ulp);
    }
    mag_add(arb_radref(cp.x.get()), arb_radref(cp.x.get()), err);
    mag_clear(err);
    if (cp.n < 2) return cp;
    auto sgn = [](const Real& r) { return mpfr_sgn(r.get()) > 0 ? 1 : (mpfr_sgn(r.get()) < 0 ? -1 : 0); };
    long s2 = hi.scale2();
    step_of(blog, cp.n, log10_real(hi.q(), s2), sgn(hi.q()), log10_real(hi.q_prev(), s2), sgn(hi.q_prev()),
            cp.ld0, cp.s0);
    step_of(blog, cp.n - 1, log10_real(hi.q_prev(), s2), sgn(hi.q_prev()), log10_real(hi.q_prev2(), s2),
            sgn(hi.q_prev2()), cp.ld1, cp.s1);
    return cp;
}

// ---------------------------------------------------------------------------------------------
struct TailBound {
    double log10_eps = kInf;  // absolute
    std::string model = "none";
    std::string convergence = "none";
    double digits_per_term = 0;
};

double log10_abs_diff(const Ball& x, const Ball& y) {
    Ball d;
    arb_sub(d.get(), x.get(), y.get(), 64);
    arf_t u;
    arf_init(u);
    arb_get_abs_ubound_arf(u, d.get(), 64);
    double v = arf_is_zero(u) ? -kInf : std::log10(arf_get_d(u, ARF_RND_UP));
    if (!arf_is_zero(u) && !std::isfinite(v)) {  // below double range: use the exponent
        v = static_cast<double>(fmpz_get_si(ARF_EXPREF(u))) * kLog10_2;
    }
    arf_clear(u);
    return v;
}

TailBound tail_bound(const Checkpoint& cur, const Checkpoint& prev) {
    TailBound t;
    if (!cur.valid() || !prev.valid() || prev.n >= cur.n) return t;
    const double dN = cur.ld0, dN1 = cur.ld1, dP = prev.ld0, dP1 = prev.ld1;
    const double span = static_cast<double>(cur.n - prev.n);
    if (!(dN < dP)) return t;  // the steps do not shrink: no convergence seen
    t.digits_per_term = (dP - dN) / span;
    const bool local_dec = dN < dN1 && dP < dP1;
    const bool alt = cur.s0 != cur.s1 && prev.s0 != prev.s1;
    const bool mono = cur.s0 == cur.s1 && prev.s0 == prev.s1 && cur.s0 == prev.s0;
    double lr_local = dN - dN1, lr_prev = dP - dP1, lr_glob = (dN - dP) / span;
    bool exponential = local_dec && lr_prev < 0 && lr_local / lr_prev > 0.75;
    t.convergence = exponential ? "exponential" : "polynomial";
    if (local_dec && alt) {
        // Alternating, shrinking steps: the limit lies between x_{N-1} and x_N.
        t.model = "alternating";
        t.log10_eps = dN;
    } else if (local_dec && mono) {
        t.model = "monotone";
        double lr = std::max({lr_local, lr_prev, lr_glob});  // the slowest decay seen
        double r = std::pow(10.0, lr);
        double tail_exp = dN + std::log10(r / -std::expm1(lr * std::log(10.0)));
        double beta = (dP - dN) / std::log10(static_cast<double>(cur.n) / static_cast<double>(prev.n));
        double tail_poly = beta > 1.0 ? dN + std::log10(static_cast<double>(cur.n) / (beta - 1.0)) : kInf;
        t.log10_eps = std::max(tail_exp, tail_poly) + std::log10(kTailSafety);
    } else {
        // No clean pattern: trust only what the two depths agree on, with a margin.
        t.model = "irregular";
        t.convergence = "irregular";
        t.log10_eps = std::max(log10_abs_diff(cur.x, prev.x), dN) + 1.0;
    }
    return t;
}

void add_error(Ball& x, double log10_eps) {
    if (log10_eps == -kInf) return;
    double l2 = std::ceil(log10_eps / kLog10_2) + 1;
    if (l2 > 1e15) l2 = 1e15;
    arb_add_error_2exp_si(x.get(), static_cast<slong>(l2));
}

double log10_abs_mid(const Ball& x) {
    const arf_struct* m = arb_midref(x.get());
    if (arf_is_zero(m)) return -kInf;
    slong e = fmpz_get_si(ARF_EXPREF(m));
    return static_cast<double>(e) * kLog10_2;  // within one binary digit
}

std::string fmt_depth(uint64_t n) { return std::to_string(n); }

// ---------------------------------------------------------------------------------------------
// The exact rational value of a terminating fraction (b(t) = 0): x_{t-1}.
EvalResult evaluate_terminated(const Pcf& pcf, uint64_t t, long digits) {
    EvalResult r;
    r.terminated = true;
    r.termination_index = t;
    r.depth = t - 1;
    r.method = "exact";
    r.convergence = "exact";
    r.error_model = "exact";
    Convergents c = convergents(pcf, t - 1);
    if (c.q.is_zero()) {
        r.note = "the fraction ends at n = " + std::to_string(t) + " (b(n) = 0) with q_" +
                 std::to_string(t - 1) + " = 0: its value is infinite";
    } else {
        slong prec = bits_for_digits(digits + kGuardDigits);
        arb_fmpz_div_fmpz(r.ball.get(), c.p.get(), c.q.get(), prec);
        r.value = certified_decimal(r.ball, digits);
        r.log10_error = -kInf;
        r.converges = true;
        if (c.p.is_zero()) { r.value.digits = "0"; r.value.exp10 = 1; }
        r.note = "the fraction ends at n = " + std::to_string(t) + " (b(n) = 0): the value is the rational p_" +
                 std::to_string(t - 1) + "/q_" + std::to_string(t - 1);
    }
    r.exact = std::move(c);
    return r;
}

// Whether reaching `want` digits would need a depth beyond max_depth, extrapolating the digits
// certified so far: linearly in n for exponential convergence, in log n otherwise.
bool unreachable(const TailBound& tb, uint64_t n, long have, long want, uint64_t max_depth) {
    if (have >= want) return false;
    double N = static_cast<double>(n), need = static_cast<double>(want - have);
    if (tb.convergence == "exponential" && tb.digits_per_term > 0) return N + need / tb.digits_per_term > 2.0 * static_cast<double>(max_depth);
    if (tb.convergence == "polynomial" && tb.digits_per_term > 0) {
        double per_doubling = tb.digits_per_term * N / 2;  // the last step was a doubling (or more)
        double doublings = need / per_doubling;
        return std::log10(N) + doublings * std::log10(2.0) > std::log10(2.0 * static_cast<double>(max_depth));
    }
    return false;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

EvalResult evaluate(const Pcf& pcf, const EvalOptions& opt) {
    const auto t0 = std::chrono::steady_clock::now();
    const bool fixed = opt.depth > 0;
    const long want = opt.digits;

    if (auto t = pcf.termination_index(); t && (fixed ? *t - 1 <= opt.depth : *t - 1 <= opt.max_depth))
        return evaluate_terminated(pcf, *t, want);

    // Choose the first depth and the method.
    Plan plan = plan_depth(pcf, fixed ? 0 : want + 5, fixed ? opt.depth : opt.max_depth);
    uint64_t N = fixed ? opt.depth : std::min(std::max<uint64_t>(plan.depth, 8), opt.max_depth);
    // Out of reach by the plan: with give_up_early, look at a modest depth first (the loop below
    // then stops as soon as the exact data confirm it) instead of going straight to max_depth.
    if (!fixed && opt.give_up_early && !plan.reached && N >= opt.max_depth) N = std::min<uint64_t>(N, 2048);

    EvalMethod method = opt.method;
    if (opt.keep_exact) method = EvalMethod::exact;
    if (method == EvalMethod::automatic) {
        // Exact binary splitting costs ~ bits(q_N) log N; the MPFR recurrence ~ N M(prec).
        double bits_q = std::max(plan.log2_q, 64.0);
        double prec_bits = static_cast<double>(bits_for_digits((fixed ? 30 : want) + kGuardDigits));
        double limbs = prec_bits / 64.0;
        double exact_cost = 7e-9 * bits_q * std::log2(static_cast<double>(N) + 2.0);
        double mpfr_cost = 2.0 * static_cast<double>(N) * (3e-7 + 4.0 * 0.5e-9 * limbs * limbs);
        method = (plan.usable && !fixed && mpfr_cost * 4 < exact_cost) ? EvalMethod::mpfr : EvalMethod::exact;
    }

    EvalResult r;
    r.method = method == EvalMethod::mpfr ? "mpfr" : "exact";
    BLog blog(pcf.b);

    // Working precision: adaptive mode knows its target; fixed depth learns it from the data.
    slong prec = bits_for_digits((fixed ? 30 : want) + kGuardDigits);

    std::optional<Convergents> exact;
    std::unique_ptr<FloatRecurrence> flo, fhi;

    auto checkpoint_at = [&](uint64_t n) -> Checkpoint {
        if (method == EvalMethod::exact) {
            exact = !exact || exact->n > n ? convergents(pcf, n) : extend(pcf, *exact, n);
            if (fixed && n == opt.depth) {  // precision from the step size at this depth
                Checkpoint probe = checkpoint_exact(pcf, blog, *exact, 64);
                double lx = exact->p.log10_abs() - exact->q.log10_abs();
                if (std::isfinite(probe.ld0) && std::isfinite(lx))
                    prec = std::max<slong>(prec, bits_for_digits(static_cast<long>(lx - probe.ld0) + kGuardDigits));
            }
            return checkpoint_exact(pcf, blog, *exact, prec);
        }
        if (!flo) {
            flo = std::make_unique<FloatRecurrence>(pcf, prec);
            fhi = std::make_unique<FloatRecurrence>(pcf, prec + 64);
        }
        flo->advance_to(n);
        fhi->advance_to(n);
        return checkpoint_mpfr(blog, *flo, *fhi, prec);
    };

    // Find depths N' < N where q does not vanish near them (singular steps are skipped).
    auto valid_checkpoint = [&](uint64_t n, uint64_t cap) -> Checkpoint {
        Checkpoint cp = checkpoint_at(n);
        for (int k = 0; k < 4 && !cp.valid() && n < cap; ++k) cp = checkpoint_at(++n);
        return cp;
    };

    uint64_t cap = fixed ? opt.depth : opt.max_depth;
    Checkpoint prev = valid_checkpoint(std::max<uint64_t>(N / 2, 2), fixed ? std::max<uint64_t>(N, 3) - 1 : cap);
    std::optional<double> prev_eps;  // the bound claimed at prev, if any
    TailBound tb;
    Checkpoint cur;
    for (;;) {
        cur = fixed ? checkpoint_at(N) : valid_checkpoint(std::max(N, prev.n + 1), cap);
        tb = tail_bound(cur, prev);
        double moved = log10_abs_diff(cur.x, prev.x);
        if (prev_eps && moved > *prev_eps) {
            // The deeper value left the interval claimed before: widen to what was observed.
            tb.log10_eps = std::max(tb.log10_eps, moved + std::log10(2.0));
            tb.model = "consistency";
        }
        Ball v = cur.x;
        add_error(v, tb.log10_eps);
        long max_digits = fixed ? std::max<long>(digits_for_bits(prec) - 5, 1) : want;
        r.value = certified_decimal(v, max_digits);
        r.ball = v;
        r.depth = cur.n;
        if (opt.progress && seconds_since(t0) > 1.0)
            opt.progress("depth " + fmt_depth(cur.n) + ": " + std::to_string(r.value.count()) +
                         " digits certain (" + r.method + ", " + std::to_string(seconds_since(t0)).substr(0, 5) + " s)");
        if (fixed || r.value.count() >= want || cur.n >= opt.max_depth) break;
        if (plan.stalled && r.value.count() == 0) break;  // confirmed: no convergence in sight
        if (opt.give_up_early && unreachable(tb, cur.n, r.value.count(), want, opt.max_depth)) {
            r.note = "stopped early: " + std::to_string(want) + " digits would need a depth beyond --max-depth " +
                     std::to_string(opt.max_depth);
            break;
        }
        // Deeper: extrapolate the digits per term, at least +12.5%, at most double.
        double have = tb.log10_eps == kInf ? 0 : log10_abs_mid(cur.x) - tb.log10_eps;
        uint64_t next = 2 * cur.n;
        if (tb.digits_per_term > 0 && tb.convergence == "exponential") {
            double more = (static_cast<double>(want) - have + 4) / tb.digits_per_term;
            next = cur.n + static_cast<uint64_t>(std::clamp(more * 1.05, cur.n / 8.0, static_cast<double>(cur.n)));
        }
        N = std::min(next, opt.max_depth);
        prev_eps = tb.log10_eps;
        prev = std::move(cur);
    }

    r.log10_error = tb.log10_eps;
    r.error_model = tb.model;
    r.convergence = tb.convergence;
    r.digits_per_term = tb.digits_per_term;
    r.converges = r.value.count() > 0;
    if (!r.converges) {
        r.convergence = "none";
        r.note = tb.model == "none" ? "the convergents do not settle (steps |x_n - x_n-1| do not shrink)"
                                    : "no digit is certain at depth " + std::to_string(r.depth);
        if (plan.stalled && !fixed)
            r.note += "; the steps stayed of order 1 up to depth " + std::to_string(plan.depth) +
                      ", so no deeper evaluation was tried (use --depth to force one)";
    } else if (!fixed && r.value.count() < want) {
        r.note = "only " + std::to_string(r.value.count()) + " of " + std::to_string(want) +
                 " digits are certain at --max-depth " + std::to_string(opt.max_depth);
    }
    if (method == EvalMethod::exact && (opt.keep_exact)) r.exact = std::move(exact);
    return r;
}

}  // namespace cvg
