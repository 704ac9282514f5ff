#include "search/verify.hpp"

#include "src/decimal.hpp"
#include "src/evaluate.hpp"

#include <algorithm>
#include <cmath>

namespace cvg::search {

Ball relation_value(const Relation& r, const Ball& K, slong prec) {
    auto poly = [&](const std::vector<int64_t>& c) {  // Horner in K
        Ball v;
        for (size_t i = c.size(); i-- > 0;) {
            arb_mul(v.get(), v.get(), K.get(), prec);
            arb_add_si(v.get(), v.get(), c[i], prec);
        }
        return v;
    };
    Ball num = poly(r.num), den = poly(r.den), t;
    arb_div(t.get(), num.get(), den.get(), prec);
    return t;
}

namespace {

// Digits to which x and y agree relative to |x|: -log10(|x - y| / |x|), from balls.
double agreement_digits(const Ball& x, const Ball& y, slong prec) {
    Ball d;
    arb_sub(d.get(), x.get(), y.get(), prec);
    arb_div(d.get(), d.get(), x.get(), prec);
    arf_t u;
    arf_init(u);
    arb_get_abs_ubound_arf(u, d.get(), 30);
    double digits = arf_is_zero(u) ? 1e9 : -static_cast<double>(fmpz_get_si(ARF_EXPREF(u))) * 0.30102999566398119521;
    arf_clear(u);
    return digits;
}

std::string power(const std::string& k, size_t i) {
    std::string base = k.find_first_of("*^") == std::string::npos ? k : "(" + k + ")";
    return i == 1 ? k : base + "^" + std::to_string(i);
}

// c0 + c1*K + c2*K^2 with zero terms left out and unit coefficients shortened
std::string side(const std::vector<int64_t>& c, const std::string& k) {
    std::string s;
    for (size_t i = 0; i < c.size(); ++i) {
        int64_t v = c[i];
        if (v == 0) continue;
        std::string mag = i == 0 ? std::to_string(v < 0 ? -v : v)
                                 : (v == 1 || v == -1 ? "" : std::to_string(v < 0 ? -v : v) + "*") + power(k, i);
        if (s.empty()) s = (v < 0 ? "-" : "") + mag;
        else s += (v < 0 ? " - " : " + ") + mag;
    }
    return s.empty() ? "0" : s;
}

std::string json_list(const std::vector<int64_t>& c) {
    std::string s = "[";
    for (size_t i = 0; i < c.size(); ++i) s += (i ? "," : "") + std::to_string(c[i]);
    return s + "]";
}

}  // namespace

std::string relation_json(const Relation& r, const std::string& constant) {
    size_t n = std::max(r.num.size(), r.den.size());
    std::vector<int64_t> num = r.num, den = r.den;
    num.resize(n, 0);
    den.resize(n, 0);
    std::string basis = "[\"1\"";
    for (size_t i = 1; i < n; ++i) basis += ",\"" + power(constant, i) + "\"";
    return "{\"basis\":" + basis + "],\"numerator\":" + json_list(num) + ",\"denominator\":" + json_list(den) + "}";
}

std::string relation_text(const Relation& r, const std::string& constant) {
    std::string num = side(r.num, constant), den = side(r.den, constant);
    auto wrap = [](const std::string& s) { return s.find_first_of("+-*", 1) == std::string::npos ? s : "(" + s + ")"; };
    if (den == "1") return num;
    return wrap(num) + "/" + wrap(den);
}

std::optional<Verified> verify_candidate(const Pcf& pcf, const ConstantFn& K, const std::vector<Relation>& candidates,
                                         const VerifyOptions& opt, Rejection* why) {
    Rejection dummy;
    Rejection& reason = why ? *why : dummy;
    reason = Rejection::relation;
    if (candidates.empty()) return std::nullopt;
    EvalOptions eo;
    eo.digits = opt.digits + 10;
    eo.max_depth = opt.max_depth;
    eo.method = EvalMethod::exact;
    eo.give_up_early = true;  // a candidate converging too slowly for `digits` is not verifiable here
    EvalResult r = evaluate(pcf, eo);
    if (!r.converges || r.terminated || r.value.count() < opt.digits) {
        reason = r.converges && !r.terminated ? Rejection::slow : Rejection::relation;
        return std::nullopt;
    }
    if (r.depth < opt.min_depth) {  // deeper, for a margin far beyond the screen's
        EvalOptions fixed;
        fixed.depth = opt.min_depth;
        fixed.method = EvalMethod::exact;
        EvalResult deep = evaluate(pcf, fixed);
        if (deep.converges && deep.value.count() >= r.value.count()) r = std::move(deep);
    }
    long certified = r.value.count();
    slong prec = bits_for_digits(certified + 20);
    Ball k = K(prec);
    for (const Relation& m : candidates) {
        Ball y = relation_value(m, k, prec);
        if (!arb_is_finite(y.get())) continue;
        double agree = agreement_digits(r.ball, y, prec);
        long matched = static_cast<long>(std::min<double>(agree, static_cast<double>(certified)));
        if (!arb_overlaps(r.ball.get(), y.get()) || matched < opt.digits) continue;
        Verified v;
        v.relation = m;
        v.digits_matched = matched;
        v.certified_digits = certified;
        v.depth = r.depth;
        MetricsOptions mo;
        mo.depth = r.depth;
        mo.limit = [&](slong p) { return relation_value(m, K(p + 16), p); };
        mo.limit_source = "constant";
        v.metrics = compute_metrics(pcf, mo);
        reason = Rejection::none;
        return v;
    }
    return std::nullopt;
}

}  // namespace cvg::search
