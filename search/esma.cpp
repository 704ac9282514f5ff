#include "search/esma.hpp"

#include "src/berlekamp_massey.hpp"
#include "src/signed_cf_fast.hpp"

#include <flint/fmpz_poly.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <numeric>
#include <set>

namespace cvg::search {
namespace {

constexpr uint64_t kPrime = (uint64_t{1} << 61) - 1;

// Linear complexity over F_p (Mersenne 2^61 - 1) from `offset` on, or some value > cap once it
// exceeds cap.
int complexity_capped(const std::vector<int64_t>& q, size_t offset, int cap) {
    thread_local std::vector<uint64_t> seq;
    seq.clear();
    const int64_t p = static_cast<int64_t>(kPrime);
    for (size_t i = offset; i < q.size(); ++i) seq.push_back(static_cast<uint64_t>((q[i] % p + p) % p));
    return linear_complexity_mod(seq.data(), seq.size(), kPrime, cap);
}

// Newton's forward differences: the polynomial through s[0..d] if the (d+1)-th differences of
// the whole sequence vanish, with integer coefficients; nullopt otherwise.
std::optional<Poly> fit_polynomial(const std::vector<int64_t>& s, int d) {
    std::vector<Int> diff;
    for (int64_t v : s) diff.emplace_back(static_cast<slong>(v));
    std::vector<Int> lead;  // Δ^i s_0
    for (int i = 0; i <= d + 1 && !diff.empty(); ++i) {
        lead.push_back(diff[0]);
        std::vector<Int> next;
        for (size_t j = 1; j < diff.size(); ++j) {
            Int t;
            fmpz_sub(t.get(), diff[j].get(), diff[j - 1].get());
            next.push_back(t);
        }
        diff = std::move(next);
    }
    // diff now holds the (d+1)-th differences (lead has d+2 entries including Δ^{d+1} s_0)
    if (static_cast<int>(lead.size()) < d + 2) return std::nullopt;
    for (const Int& x : diff)
        if (!x.is_zero()) return std::nullopt;
    if (!lead[static_cast<size_t>(d + 1)].is_zero()) return std::nullopt;
    // s(m) = sum_i Δ^i s_0 * C(m, i); build with rational arithmetic via fmpz_poly and a common
    // denominator d!
    fmpz_poly_t acc, binom, lin;
    fmpz_poly_init(acc);
    fmpz_poly_init(binom);
    fmpz_poly_init(lin);
    fmpz_poly_one(binom);  // C(m, 0) * 0! scaled: we keep  m (m-1) ... (m-i+1) and divide by i!
    Int fact(1), dfact(1);
    for (int i = 1; i <= d; ++i) fmpz_mul_ui(dfact.get(), dfact.get(), static_cast<ulong>(i));
    for (int i = 0; i <= d; ++i) {
        if (i > 0) {
            fmpz_poly_set_coeff_si(lin, 0, -(i - 1));
            fmpz_poly_set_coeff_si(lin, 1, 1);
            fmpz_poly_mul(binom, binom, lin);
            fmpz_mul_ui(fact.get(), fact.get(), static_cast<ulong>(i));
        }
        Int scale;
        fmpz_divexact(scale.get(), dfact.get(), fact.get());
        fmpz_mul(scale.get(), scale.get(), lead[static_cast<size_t>(i)].get());
        fmpz_poly_t term;
        fmpz_poly_init(term);
        fmpz_poly_scalar_mul_fmpz(term, binom, scale.get());
        fmpz_poly_add(acc, acc, term);
        fmpz_poly_clear(term);
    }
    bool integral = true;
    std::vector<Int> c(static_cast<size_t>(std::max<slong>(fmpz_poly_length(acc), 0)));
    for (slong i = 0; i < fmpz_poly_length(acc); ++i) {
        fmpz_poly_get_coeff_fmpz(c[static_cast<size_t>(i)].get(), acc, i);
        if (!fmpz_divisible(c[static_cast<size_t>(i)].get(), dfact.get())) integral = false;
        else fmpz_divexact(c[static_cast<size_t>(i)].get(), c[static_cast<size_t>(i)].get(), dfact.get());
    }
    fmpz_poly_clear(acc);
    fmpz_poly_clear(binom);
    fmpz_poly_clear(lin);
    if (!integral) return std::nullopt;
    return Poly(std::move(c));
}

// The partial quotient at position k of the periodic pattern.
Int term_at(const QuotientPattern& p, int64_t k) {
    int64_t j = k - p.offset;
    int64_t r = ((j % p.period) + p.period) % p.period, m = (j - r) / p.period;
    return p.polys[static_cast<size_t>(r)].eval(static_cast<slong>(m));
}

// Smallest r >= 1 beyond every non-negative integer root of the polynomials (plus `extra`).
slong past_roots(const std::vector<std::pair<const Poly*, slong>>& polys) {
    slong r = 1;
    for (auto [p, extra] : polys)
        for (const Int& x : p->integer_roots())
            if (fmpz_fits_si(x.get()) && fmpz_get_si(x.get()) + extra + 1 > r) r = fmpz_get_si(x.get()) + extra + 1;
    return r;
}

bool fits_int64(const Int& x) { return fmpz_fits_si(x.get()); }

// A tail 2 - 1/(2 - 1/(2 - ...)) (or its negative) sits at the parabolic fixed point 1: any number
// within the working precision of such a tail shows it for many terms, so it says nothing.
bool parabolic(const QuotientPattern& p, const SignPattern& s) {
    if (p.period != 1 || s.period != 1 || s.minus != 1 || p.polys[0].degree() != 0) return false;
    Int c = p.polys[0].coeffs()[0];
    return fmpz_cmpabs(c.get(), Int(2).get()) == 0;
}

// A key shared by the patterns that are one infinite tail seen from different starting terms:
// the polynomials of each residue class and the signs, rotated and shifted to the representation
// with the smallest coefficients.
std::string pattern_key(const QuotientPattern& p, const SignPattern& s) {
    const int P = p.period, S = s.period, Q = P / std::gcd(P, S) * S;
    std::pair<size_t, std::string> best_rank{SIZE_MAX, ""};
    auto mod = [](int a, int m) { return ((a % m) + m) % m; };
    auto div = [&](int a, int m) { return (a - mod(a, m)) / m; };
    for (int shift = -8 * Q; shift <= 8 * Q; ++shift) {
        // term offset + shift + P m + r = polys[(shift + r) mod P](m + floor((shift + r) / P)); negative
        // shifts extend the polynomials backwards, so every starting point of one tail meets
        std::string key = "s";
        for (int k = 0; k < S; ++k) key += s.sign(mod(p.offset + shift + k, S)) < 0 ? '-' : '+';
        size_t size = 0;
        for (int r = 0; r < P; ++r) {
            Poly f = p.polys[static_cast<size_t>(mod(shift + r, P))].composed_linear(1, div(shift + r, P));
            key += ";" + f.to_list();
            for (const Int& c : f.coeffs()) size = std::max<size_t>(size, c.bits());
        }
        std::pair<size_t, std::string> rank{size, key};
        if (rank < best_rank) best_rank = rank;
    }
    return "esma:" + best_rank.second;
}

}  // namespace

std::vector<EsmaCandidate> esma_candidates(int deg, int64_t lo, int64_t hi) {
    std::set<std::pair<std::vector<int64_t>, std::vector<int64_t>>> seen;
    const int n = deg + 1;
    const int64_t span = hi - lo + 1;
    std::vector<int64_t> c(static_cast<size_t>(2 * n));
    uint64_t total = 1;
    for (int i = 0; i < 2 * n; ++i) total *= static_cast<uint64_t>(span);
    fmpz_poly_t P, Q, G;
    fmpz_poly_init(P);
    fmpz_poly_init(Q);
    fmpz_poly_init(G);
    for (uint64_t idx = 0; idx < total; ++idx) {
        uint64_t x = idx;
        for (int i = 0; i < 2 * n; ++i) {
            c[static_cast<size_t>(i)] = lo + static_cast<int64_t>(x % static_cast<uint64_t>(span));
            x /= static_cast<uint64_t>(span);
        }
        fmpz_poly_zero(P);
        fmpz_poly_zero(Q);
        for (int i = 0; i < n; ++i) {
            fmpz_poly_set_coeff_si(P, i, c[static_cast<size_t>(i)]);
            fmpz_poly_set_coeff_si(Q, i, c[static_cast<size_t>(n + i)]);
        }
        if (fmpz_poly_is_zero(P) || fmpz_poly_is_zero(Q)) continue;
        fmpz_poly_gcd(G, P, Q);  // primitive, positive leading coefficient
        fmpz_poly_div(P, P, G);
        fmpz_poly_div(Q, Q, G);
        Int cp, cq, g;
        fmpz_poly_content(cp.get(), P);
        fmpz_poly_content(cq.get(), Q);
        fmpz_gcd(g.get(), cp.get(), cq.get());
        fmpz_poly_scalar_divexact_fmpz(P, P, g.get());
        fmpz_poly_scalar_divexact_fmpz(Q, Q, g.get());
        if (fmpz_sgn(fmpz_poly_lead(Q)) < 0) {
            fmpz_poly_neg(P, P);
            fmpz_poly_neg(Q, Q);
        }
        if (fmpz_poly_degree(P) <= 0 && fmpz_poly_degree(Q) <= 0) continue;  // rational
        std::vector<int64_t> num, den;
        for (slong i = 0; i <= fmpz_poly_degree(P); ++i) num.push_back(fmpz_poly_get_coeff_si(P, i));
        for (slong i = 0; i <= fmpz_poly_degree(Q); ++i) den.push_back(fmpz_poly_get_coeff_si(Q, i));
        seen.insert({num, den});
    }
    fmpz_poly_clear(P);
    fmpz_poly_clear(Q);
    fmpz_poly_clear(G);
    std::vector<EsmaCandidate> out;
    for (const auto& [num, den] : seen) out.push_back({num, den});
    return out;
}

int linear_complexity_mod_p(const std::vector<int64_t>& q, int offset) {
    return complexity_capped(q, static_cast<size_t>(offset), 1 << 30);
}

std::optional<QuotientPattern> find_pattern(const std::vector<int64_t>& q, int max_offset, int max_period,
                                            int max_degree) {
    std::optional<QuotientPattern> best;
    int best_score = 1 << 30;
    for (int period = 1; period <= max_period; ++period)
        for (int offset = 0; offset <= max_offset; ++offset) {
            QuotientPattern p{offset, period, {}};
            int score = 0;
            bool ok = true;
            for (int r = 0; r < period && ok; ++r) {
                std::vector<int64_t> s;
                for (size_t k = static_cast<size_t>(offset + r); k < q.size(); k += static_cast<size_t>(period)) s.push_back(q[k]);
                bool found = false;
                for (int d = 0; d <= max_degree && !found; ++d) {
                    if (static_cast<int>(s.size()) < d + 1 + 3) break;  // at least 3 checks
                    if (auto poly = fit_polynomial(s, d)) {
                        p.polys.push_back(*poly);
                        score += d + 1;
                        found = true;
                    }
                }
                ok = found;
            }
            if (ok && score < best_score) {
                best_score = score;
                best = p;
            }
        }
    return best;
}

std::optional<Contraction> contract(const QuotientPattern& pattern, const SignPattern& signs) {
    const int P = pattern.period, S = signs.period;
    const int Q = P / std::gcd(P, S) * S;
    // residue classes modulo Q as polynomials in m: term offset + Q m + j
    std::vector<Poly> f(static_cast<size_t>(Q));
    for (int j = 0; j < Q; ++j)
        f[static_cast<size_t>(j)] = pattern.polys[static_cast<size_t>(j % P)].composed_linear(Q / P, j / P);
    auto sign_before = [&](int64_t k) { return signs.sign(static_cast<int>(((k - 1) % S + S) % S)); };  // s_k
    Contraction c;
    if (Q == 1) {
        c.pcf = Pcf{f[0], Poly::from_si({sign_before(pattern.offset + 1)})};
        c.tail_of_value = {Int(1), Int(0), Int(0), Int(1)};
        return c;
    }
    // W(m) = prod_{j=1..Q} [[0, b_j], [1, a_j(m)]], a_j(m) = f_{j mod Q}(m + j / Q)
    Poly w00 = Poly::from_si({1}), w01, w10, w11 = Poly::from_si({1});
    slong det = 1;
    for (int j = 1; j <= Q; ++j) {
        Poly a = f[static_cast<size_t>(j % Q)].composed_linear(1, j / Q);
        slong b = sign_before(pattern.offset + j);
        det *= -b;
        Poly bp = Poly::from_si({b});
        // [x y] [[0, b], [1, a]] = [y, x b + y a]
        Poly n00 = w01, n01 = w00 * bp + w01 * a, n10 = w11, n11 = w10 * bp + w11 * a;
        w00 = n00; w01 = n01; w10 = n10; w11 = n11;
    }
    const Poly& alpha = w00; const Poly& beta = w01; const Poly& delta = w11;
    Poly a1 = beta.composed_linear(1, -1) * delta + beta * alpha.composed_linear(1, -1);
    Poly b1 = Poly::from_si({-det}) * beta * beta.composed_linear(1, -2);
    // start past every integer root of beta (m >= r) and of b' (n >= r + 1)
    slong r = past_roots({{&beta, 0}, {&b1, -1}});
    c.pcf = Pcf{a1.composed_linear(1, r), b1.composed_linear(1, r)};
    // tail convergents v_m = (p_{Qm}, q_{Qm}) at m = r+1, r+2 (the tail's a(0) is term offset)
    int64_t depth = static_cast<int64_t>(Q) * (r + 2);
    std::vector<Int> ps, qs;  // at index Q(r+1) and Q(r+2)
    Int p1(1), p(term_at(pattern, pattern.offset)), q1(0), q(1), t, an;
    for (int64_t n = 1; n <= depth; ++n) {
        an = term_at(pattern, pattern.offset + n);
        Int bn(sign_before(pattern.offset + n));
        fmpz_fmma(t.get(), an.get(), p.get(), bn.get(), p1.get());
        fmpz_swap(p1.get(), p.get()); fmpz_swap(p.get(), t.get());
        fmpz_fmma(t.get(), an.get(), q.get(), bn.get(), q1.get());
        fmpz_swap(q1.get(), q.get()); fmpz_swap(q.get(), t.get());
        if (n == static_cast<int64_t>(Q) * (r + 1) || n == depth) {
            ps.push_back(p);
            qs.push_back(q);
        }
    }
    Int g = beta.eval(r);  // G_{r+2} / G_{r+1}
    if (g.is_zero()) return std::nullopt;
    Int wp0 = ps[0], wq0 = qs[0], wp1, wq1;
    fmpz_mul(wp1.get(), ps[1].get(), g.get());
    fmpz_mul(wq1.get(), qs[1].get(), g.get());
    // the new PCF's first convergents: P0 = a(0), Q0 = 1, P1 = a(1) a(0) + b(1), Q1 = a(1)
    Int A0 = c.pcf.a.eval(0), A1 = c.pcf.a.eval(1), B1 = c.pcf.b.eval(1);
    if (B1.is_zero()) return std::nullopt;
    Int P0 = A0, Q0(1), P1, Q1 = A1;
    fmpz_fmma(P1.get(), A1.get(), A0.get(), B1.get(), Int(1).get());
    // [[P0, Q0], [P1, Q1]] [lambda; mu] = [w0; w1], times D = P0 Q1 - Q0 P1 = -b(1)
    auto solve = [&](const Int& w0, const Int& w1, Int& lam, Int& mu) {
        fmpz_fmms(lam.get(), w0.get(), Q1.get(), Q0.get(), w1.get());
        fmpz_fmms(mu.get(), P0.get(), w1.get(), P1.get(), w0.get());
    };
    c.tail_of_value.resize(4);
    solve(wp0, wp1, c.tail_of_value[0], c.tail_of_value[1]);
    solve(wq0, wq1, c.tail_of_value[2], c.tail_of_value[3]);
    return c;
}

EsmaSearch::EsmaSearch(ConstantFn constant, EsmaConfig config)
    : constant_(std::move(constant)), config_(config),
      candidates_(esma_candidates(config.deg, config.coef_lo, config.coef_hi)),
      patterns_(sign_patterns(config.max_period)),
      prec_(16 * config.terms + 256) {
    k_ = constant_(prec_);
    k_fast_ = constant_(std::min(prec_, kFastPrec));
}

UnitResult EsmaSearch::run_unit(uint64_t unit) const {
    auto t0 = std::chrono::steady_clock::now();
    UnitResult res;
    res.unit = unit;
    const size_t lo = static_cast<size_t>(unit * kUnit), hi = std::min(candidates_.size(), lo + kUnit);
    std::set<std::string> tried;  // PCFs already verified in this unit
    thread_local LinearComplexity61 lc;
    const int min_terms = std::min(config_.terms, 40), max_cap = config_.terms / 4 + config_.max_offset;
    const size_t lock = static_cast<size_t>(std::max(min_terms, std::min(config_.terms, 2 * max_cap + 2)));
    // Expansion and Berlekamp–Massey filter. The filter rejects when L > n/4 + offset for the n
    // terms the ball determines (n <= terms); L only grows with more terms, so once L > terms/4 +
    // offset (= max_cap) after at least min(terms, 40) terms (which decide whether the precision
    // ran out early: the statistics stay those of a full expansion) the sequence is rejected
    // whatever n turns out to be, and its expansion stops. A pattern-free sequence has
    // L = ceil(n/2): the first `lock` terms of kComplexityLanes (candidate, sign pattern) jobs go
    // through linear_complexity_lanes together (SIMD lanes), which rejects almost all of them. The
    // survivors are expanded to `terms` terms and filtered again in lanes; those whose fast ball
    // gives fewer terms go on one at a time, interleaved with the rest of their expansion.
    constexpr size_t W = kComplexityLanes;
    const size_t P = patterns_.size();
    const size_t terms = static_cast<size_t>(std::max(config_.terms, 0));
    thread_local SignedCfExpander expanders[W];  // one per lane
    thread_local std::vector<int64_t> lanes[W];  // their first `lock` terms
    std::vector<Ball> x_fast;                    // x at a low precision, for the candidates in the lanes
    Ball x;                                      // x at prec_ (when an expansion needs it), of candidate x_of
    size_t x_of = hi;
    // The jobs that passed the first filter, in order, with the terms x_fast gives (up to `terms`).
    struct Survivor {
        size_t job = 0;
        std::vector<int64_t> q;
    };
    thread_local std::vector<Survivor> survivors(2 * W);
    size_t nsurv = 0;

    // The rest of a survivor's filter and, if it passes, its pattern and conjecture. complexity:
    // that of all `terms` terms in q, or -1 (q is shorter: the filter one term at a time).
    auto finish = [&](size_t job, std::vector<int64_t>& q, int complexity) {
        const size_t ci = job / P, pi = job % P;
        const EsmaCandidate& cand = candidates_[ci];
        const SignPattern& sp = patterns_[pi];
        // the filter on q[from..] (true: rejected), then on the terms ex gives, appended to q
        auto scan = [&](size_t from, SignedCfExpander* ex) {
            for (size_t n = from; n < q.size(); ++n)
                if (lc.push(q[n]) > max_cap && static_cast<int>(n) + 1 >= min_terms) return true;
            for (int64_t a; ex && ex->next(a);) {
                q.push_back(a);
                if (lc.push(a) > max_cap && static_cast<int>(q.size()) >= min_terms) return true;
            }
            return false;
        };
        bool rejected = complexity > max_cap;
        if (complexity < 0) {
            // The terms of x_fast (its rounded ends, no fallback) are terms of x; if they stop short,
            // the ball at prec_ decides (and where the expansion stops), from its full precision on:
            // the filter goes on after the terms both give (from the start if x gives fewer).
            lc.reset();
            rejected = scan(0, nullptr);
            if (!rejected && q.size() < terms) {
                if (x_of != ci) x = relation_value(Relation{cand.num, cand.den}, k_, prec_), x_of = ci;
                SignedCfExpander& ex = expanders[0];
                ex.start(x, sp, config_.terms, 0, true);
                size_t same = 0;
                for (int64_t a; same < q.size() && ex.next(a) && a == q[same];) ++same;
                if (same < q.size()) {
                    ex.start(x, sp, config_.terms, 0, true);
                    q.clear();
                    lc.reset();
                }
                rejected = scan(q.size(), &ex);
            }
            complexity = lc.complexity();
        }
        if (!rejected && static_cast<int>(q.size()) < min_terms) {
            ++res.stats.overflow;  // the working precision ran out early
            return;
        }
        ++res.stats.screened;
        if (rejected || complexity > static_cast<int>(q.size()) / 4 + config_.max_offset) return;
        if (config_.prefilter_only) {
            ++res.stats.candidates;  // passed the filter
            return;
        }
        auto pattern = find_pattern(q, config_.max_offset, config_.max_pattern_period, config_.max_poly_degree);
        if (!pattern || parabolic(*pattern, sp)) return;
        auto con = contract(*pattern, sp);
        if (!con) return;
        // x = F(t) with F the prefix a_0 .. a_{offset-1}; t = L(y): y = (F L)^{-1}(x)
        Int m00(1), m01(0), m10(0), m11(1), t;
        for (int k = 0; k < pattern->offset; ++k) {
            Int a(static_cast<slong>(q[static_cast<size_t>(k)])), s(sp.sign(k));
            // M * [[a, s], [1, 0]]
            Int n00, n01 = m00, n10, n11 = m10;
            fmpz_fmma(n00.get(), m00.get(), a.get(), m01.get(), Int(1).get());
            fmpz_mul(n01.get(), m00.get(), s.get());
            fmpz_fmma(n10.get(), m10.get(), a.get(), m11.get(), Int(1).get());
            fmpz_mul(n11.get(), m10.get(), s.get());
            m00 = n00; m01 = n01; m10 = n10; m11 = n11;
        }
        const auto& L = con->tail_of_value;
        Int f00, f01, f10, f11;  // F * L
        fmpz_fmma(f00.get(), m00.get(), L[0].get(), m01.get(), L[2].get());
        fmpz_fmma(f01.get(), m00.get(), L[1].get(), m01.get(), L[3].get());
        fmpz_fmma(f10.get(), m10.get(), L[0].get(), m11.get(), L[2].get());
        fmpz_fmma(f11.get(), m10.get(), L[1].get(), m11.get(), L[3].get());
        // y = (f11 x - f01) / (-f10 x + f00), x = P/Q: num = f11 P - f01 Q, den = f00 Q - f10 P
        size_t n = std::max(cand.num.size(), cand.den.size());
        std::vector<Int> num(n), den(n);
        for (size_t i = 0; i < n; ++i) {
            Int P(i < cand.num.size() ? cand.num[i] : 0), Qc(i < cand.den.size() ? cand.den[i] : 0);
            fmpz_fmms(num[i].get(), f11.get(), P.get(), f01.get(), Qc.get());
            fmpz_fmms(den[i].get(), f00.get(), Qc.get(), f10.get(), P.get());
        }
        Int g;
        for (size_t i = 0; i < n; ++i) {
            fmpz_gcd(g.get(), g.get(), num[i].get());
            fmpz_gcd(g.get(), g.get(), den[i].get());
        }
        if (g.is_zero()) return;
        Relation rel;
        bool fits = true;
        int lead_sign = 0;
        for (size_t i = n; i-- > 0 && !lead_sign;) lead_sign = den[i].sign();
        for (size_t i = 0; i < n; ++i) {
            fmpz_divexact(num[i].get(), num[i].get(), g.get());
            fmpz_divexact(den[i].get(), den[i].get(), g.get());
            if (lead_sign < 0) {
                fmpz_neg(num[i].get(), num[i].get());
                fmpz_neg(den[i].get(), den[i].get());
            }
            fits = fits && fits_int64(num[i]) && fits_int64(den[i]);
            rel.num.push_back(fits ? fmpz_get_si(num[i].get()) : 0);
            rel.den.push_back(fits ? fmpz_get_si(den[i].get()) : 0);
        }
        if (!fits || con->pcf.a.degree() < 0) return;
        if (!tried.insert(con->pcf.key() + "|" + relation_json(rel, "K")).second) return;
        ++res.stats.candidates;
        Rejection why = Rejection::none;
        auto v = verify_candidate(con->pcf, constant_, {rel}, config_.verify, &why);
        if (!v) {
            ++res.stats.rejected;
            if (why == Rejection::slow) ++res.stats.too_slow;
            res.rejected.push_back(ci * patterns_.size() + pi);
            return;
        }
        res.conjectures.push_back(Conjecture{ci * patterns_.size() + pi, con->pcf, *v, pattern_key(*pattern, sp)});
    };
    // The survivors in order: those with all `terms` terms through the lanes, W at a time.
    auto flush = [&] {
        thread_local std::vector<int> Ls;
        Ls.assign(nsurv, -1);
        for (size_t i = 0; i < nsurv;) {
            const int64_t* seq[W] = {};
            size_t idx[W], cnt = 0;
            for (; i < nsurv && cnt < W; ++i)
                if (survivors[i].q.size() == terms) idx[cnt] = i, seq[cnt++] = survivors[i].q.data();
            if (cnt == 0) break;
            for (size_t c = cnt; c < W; ++c) seq[c] = seq[0];
            int L[W];
            linear_complexity_lanes(seq, terms, max_cap, L);
            for (size_t c = 0; c < cnt; ++c) Ls[idx[c]] = L[c];
        }
        for (size_t i = 0; i < nsurv; ++i) finish(survivors[i].job, survivors[i].q, Ls[i]);
        nsurv = 0;
    };

    for (size_t job0 = lo * P; job0 < hi * P; job0 += W) {
        const size_t jobs = std::min(W, hi * P - job0), c0 = job0 / P;
        x_fast.clear();
        for (size_t ci = c0; ci <= (job0 + jobs - 1) / P; ++ci)
            x_fast.push_back(relation_value(Relation{candidates_[ci].num, candidates_[ci].den}, k_fast_,
                                            std::min(prec_, kFastPrec)));
        const int64_t* seq[W] = {};
        const int64_t* full = nullptr;
        for (size_t j = 0; j < jobs; ++j) {
            lanes[j].clear();
            expanders[j].start(x_fast[(job0 + j) / P - c0], patterns_[(job0 + j) % P], config_.terms, 0, false);
            for (int64_t a; lanes[j].size() < lock && expanders[j].next(a);) lanes[j].push_back(a);
            if (lanes[j].size() == lock) seq[j] = full = lanes[j].data();
        }
        int L[W];
        std::fill(L, L + W, -1);
        if (full) {
            for (auto& sj : seq) sj = sj ? sj : full;  // lanes short of `lock` terms repeat a full one
            linear_complexity_lanes(seq, lock, max_cap, L);
        }
        for (size_t j = 0; j < jobs; ++j) {
            ++res.stats.pcfs;
            if (lanes[j].size() == lock && L[j] > max_cap) {  // rejected
                ++res.stats.screened;
                continue;
            }
            Survivor& sv = survivors[nsurv++];
            sv.job = job0 + j;
            sv.q.swap(lanes[j]);
            for (int64_t a; sv.q.size() < terms && expanders[j].next(a);) sv.q.push_back(a);
        }
        if (nsurv >= W) flush();
    }
    flush();
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

}  // namespace cvg::search
