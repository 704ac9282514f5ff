#include "src/identify.hpp"

#include "src/constants.hpp"
#include "src/decimal.hpp"
#include "src/evaluate.hpp"
#include "src/extrapolate.hpp"
#include "src/lll.hpp"
#include "src/poly.hpp"  // ParseError
#include "src/pslq.hpp"

#include <flint/fmpz_poly.h>
#include <flint/fmpz_poly_factor.h>
#include <arb_fmpz_poly.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>

namespace cvg {
namespace {

constexpr long kLadderDigits = 50;      // first, cheaper search level (finds partial matches too)
constexpr double kCandidateRatio = 1.3;  // a candidate holds to >= 1.3 cost + 5 digits
constexpr long kCandidateMargin = 5;
constexpr int kMaxCandidates = 3;
constexpr long kMinSearchDigits = 12;   // below this nothing could ever be accepted
constexpr uint64_t kFirstMaxDepth = 20000;  // before deciding that a PCF converges too slowly

// ---------------------------------------------------------------------------------------------
struct Family {
    std::string name;
    std::vector<std::string> basis;  // "1" first
    int degree = 1;                  // of the relation in x
    int group = 0;                   // families of one group are tried together
    bool algebraic = false;          // basis ["1"], degree >= 2: factor, then name the field
};

bool is_algebraic_constant(const std::string& name) { return name == "sqrt2" || name == "sqrt3" || name == "phi"; }

std::vector<Family> auto_families(bool simple) {
    std::vector<Family> f;
    std::vector<std::string> names;
    for (const ConstantInfo& c : named_constants()) names.emplace_back(c.name);
    int g = 0;
    f.push_back({"rational", {"1"}, 1, g++, false});
    for (int d = 2; d <= 4; ++d) f.push_back({"algebraic degree " + std::to_string(d), {"1"}, d, g++, true});
    for (const std::string& c : names) f.push_back({"moebius " + c, {"1", c}, 1, g, false});
    // tan 1, outside DESIGN.md's list but accepted by parse_constant (the classical fractions of
    // tan 1 and cot 1): Moebius transforms only
    f.push_back({"moebius tan1", {"1", "tan1"}, 1, g, false});
    ++g;
    if (simple) return f;
    for (const std::string& c : names)
        if (!is_algebraic_constant(c)) f.push_back({"degree 2 in " + c, {"1", c, c + "^2"}, 1, g, false});
    ++g;
    for (const std::string& c : names)
        if (!is_algebraic_constant(c)) f.push_back({"quadratic over Q(" + c + ")", {"1", c}, 2, g, false});
    ++g;
    for (size_t i = 0; i < names.size(); ++i)
        for (size_t j = i + 1; j < names.size(); ++j) {
            std::string prod = parse_constant(names[i] + "*" + names[j]).str();
            f.push_back({"products " + names[i] + ", " + names[j], {"1", names[i], names[j], prod}, 1, g, false});
        }
    return f;
}

// x^k B_i for k = 0..degree, then i, as balls at about `bits` bits.
std::vector<Ball> relation_vector(const Ball& x, const Family& fam, slong bits) {
    slong wp = bits + 64;
    std::vector<Ball> basis;
    for (const std::string& b : fam.basis) {
        if (b == "1") {
            Ball one;
            arb_one(one.get());
            basis.push_back(one);
        } else {
            basis.push_back(constant_value(b, wp));
        }
    }
    std::vector<Ball> v;
    Ball xp;
    arb_one(xp.get());
    for (int k = 0; k <= fam.degree; ++k) {
        for (const Ball& b : basis) {
            Ball e;
            arb_mul(e.get(), xp.get(), b.get(), wp);
            v.push_back(e);
        }
        arb_mul(xp.get(), xp.get(), x.get(), wp);
    }
    return v;
}

Int max_abs(const std::vector<Int>& m) {
    Int r, t;
    for (const Int& c : m) {
        fmpz_abs(t.get(), c.get());
        if (fmpz_cmp(t.get(), r.get()) > 0) r = t;
    }
    return r;
}

bool exceeds(const Relation& r, const Int& max_coef) {
    if (max_coef.sign() <= 0) return false;
    for (const auto& row : r.poly()) {
        Int m = max_abs(row);
        if (fmpz_cmp(m.get(), max_coef.get()) > 0) return true;
    }
    return false;
}

// The factor of an integer polynomial that vanishes at x: the smallest |f(x)| relative to
// sum |f_k| |x|^k (a factor whose value contains 0 wins).
std::vector<Int> vanishing_factor(const std::vector<Int>& p, const Ball& x) {
    fmpz_poly_t poly, absf;
    fmpz_poly_init(poly);
    fmpz_poly_init(absf);
    for (size_t k = 0; k < p.size(); ++k) fmpz_poly_set_coeff_fmpz(poly, static_cast<slong>(k), p[k].get());
    fmpz_poly_factor_t fac;
    fmpz_poly_factor_init(fac);
    fmpz_poly_factor(fac, poly);
    std::vector<Int> best;
    double best_score = INFINITY;
    slong prec = std::max<slong>(64, arb_rel_accuracy_bits(x.get()) + 32);
    Ball ax, v, sc;
    arb_abs(ax.get(), x.get());
    for (slong i = 0; i < fac->num; ++i) {
        const fmpz_poly_struct* f = fac->p + i;
        arb_fmpz_poly_evaluate_arb(v.get(), f, x.get(), prec);
        fmpz_poly_set(absf, f);
        for (slong k = 0; k <= fmpz_poly_degree(absf); ++k) fmpz_abs(absf->coeffs + k, absf->coeffs + k);
        arb_fmpz_poly_evaluate_arb(sc.get(), absf, ax.get(), prec);
        double score = -INFINITY;
        if (!arb_contains_zero(v.get())) {
            arb_abs(v.get(), v.get());
            arb_div(v.get(), v.get(), sc.get(), prec);
            arb_log_base_ui(v.get(), v.get(), 2, 64);
            score = arf_get_d(arb_midref(v.get()), ARF_RND_NEAR);
        }
        if (best.empty() || score < best_score) {
            best_score = score;
            best.clear();
            for (slong k = 0; k <= fmpz_poly_degree(f); ++k) {
                Int c;
                fmpz_poly_get_coeff_fmpz(c.get(), f, k);
                best.push_back(c);
            }
        }
    }
    fmpz_poly_factor_clear(fac);
    fmpz_poly_clear(absf);
    fmpz_poly_clear(poly);
    return best;
}

// An algebraic relation in its simplest form: rational as a ratio; degree 2 over Q(sqrt2),
// Q(sqrt3) or Q(sqrt5) = Q(phi) as a ratio over that constant (with the minimal polynomial);
// else the minimal polynomial.
Relation simplify_algebraic(const Relation& found, const Target& t, std::string& family) {
    std::vector<Int> p;
    for (const auto& row : found.poly()) p.push_back(row[0]);
    std::vector<Int> f = vanishing_factor(p, t.value);
    if (f.size() < 2) return found;
    if (f.size() == 2) {  // rational: f0 + f1 x = 0
        family = "rational";
        Relation q = Relation::polynomial({"1"}, {{f[0]}, {f[1]}});
        q.normalize();
        return q;
    }
    family = "algebraic degree " + std::to_string(f.size() - 1);
    if (f.size() == 3) {
        // a x^2 + b x + c, disc = b^2 - 4ac = s^2 d with d in {2, 3, 5}: x = (-b +- s sqrt d)/(2a)
        const Int &c = f[0], &b = f[1], &a = f[2];
        Int disc, t4, s, q;
        fmpz_mul(disc.get(), b.get(), b.get());
        fmpz_mul(t4.get(), a.get(), c.get());
        fmpz_mul_ui(t4.get(), t4.get(), 4);
        fmpz_sub(disc.get(), disc.get(), t4.get());
        for (int d : {2, 3, 5}) {
            if (disc.sign() <= 0 || !fmpz_divisible_si(disc.get(), d)) continue;
            fmpz_divexact_si(q.get(), disc.get(), d);
            if (!fmpz_is_square(q.get())) continue;
            fmpz_sqrt(s.get(), q.get());
            std::string name = d == 2 ? "sqrt2" : d == 3 ? "sqrt3" : "phi";
            std::optional<Relation> best;
            long best_matched = -1;
            for (int sigma : {1, -1}) {
                // numerator over [1, K], denominator 2a
                Int n0, n1, den;
                fmpz_neg(n0.get(), b.get());
                fmpz_mul_si(n1.get(), s.get(), sigma);
                fmpz_mul_ui(den.get(), a.get(), 2);
                if (d == 5) {  // s sqrt5 = s (2 phi - 1)
                    fmpz_sub(n0.get(), n0.get(), n1.get());
                    fmpz_mul_ui(n1.get(), n1.get(), 2);
                }
                Relation r = Relation::ratio({"1", name}, {n0, n1}, {den, Int()});
                r.set_minimal_polynomial(f);
                r.normalize();
                long m = digits_matched(r, t);
                if (m > best_matched) { best_matched = m; best = r; }
            }
            if (best) {
                family = "algebraic degree 2 (in Q(" + name + "))";
                return *best;
            }
        }
    }
    std::vector<std::vector<Int>> poly;
    for (const Int& c : f) poly.push_back({c});
    Relation r = Relation::polynomial({"1"}, poly);
    r.normalize();
    r.set_minimal_polynomial(f);
    r.normalize();
    return r;
}

struct SearchOutcome {
    std::optional<Relation> relation;
    std::string note;   // why none
};

SearchOutcome run_method(RelationMethod method, const std::vector<Ball>& vec, slong bits, const Int& max_coef,
                         const Family& fam) {
    SearchOutcome out;
    std::vector<Int> m;
    try {
        ScaledVector sv = scale_for_relation(vec, bits);
        if (method == RelationMethod::lll) {
            LllOptions lo;
            lo.max_coef = max_coef;
            LllResult r = lll_relation(sv, lo);
            if (r.bound_exceeded) {
                out.note = "lll: no relation with coefficients up to " + max_coef.str();
                return out;
            }
            m = std::move(r.relation);
        } else {
            PslqOptions po;
            po.input_bits = sv.bits;
            po.max_coef = max_coef;
            if (po.max_coef.sign() <= 0) {  // as far as the digits could ever accept: 10^((D-10)/2)
                long d = std::max<long>(1, (digits_for_bits(sv.bits) - 10) / 2);
                fmpz_ui_pow_ui(po.max_coef.get(), 10, static_cast<ulong>(d));
            }
            PslqResult r = pslq(vec, po);
            if (r.relation.empty()) {
                out.note = r.bound_exceeded ? "pslq: no relation with coefficients up to " + po.max_coef.str()
                                            : "pslq: no relation within the precision";
                return out;
            }
            m = std::move(r.relation);
        }
    } catch (const std::invalid_argument& e) {
        out.note = e.what();
        return out;
    }
    Relation rel = Relation::from_vector(fam.basis, fam.degree, m);
    if (rel.degenerate()) {
        std::vector<Int> one(fam.basis.size());
        one[0] = Int(1);
        out.note = "the basis is dependent: " + Relation::ratio(fam.basis, rel.poly()[0], one).text() + " = 0";
        return out;
    }
    rel.normalize();
    out.relation = std::move(rel);
    return out;
}

const char* method_name(RelationMethod m) { return m == RelationMethod::lll ? "lll" : "pslq"; }

void cross_check(Finding& f, const Target& t, const Family& fam, const std::vector<Ball>& vec, slong bits,
                 RelationMethod primary) {
    RelationMethod other = primary == RelationMethod::lll ? RelationMethod::pslq : RelationMethod::lll;
    Int bound;
    for (const auto& row : f.relation.poly()) {
        Int m = max_abs(row);
        if (fmpz_cmp(m.get(), bound.get()) > 0) bound = m;
    }
    fmpz_mul_ui(bound.get(), bound.get(), 4);
    fmpz_add_ui(bound.get(), bound.get(), 10);
    SearchOutcome o = run_method(other, vec, bits, bound, fam);
    f.cross_checked = true;
    if (!o.relation) {
        f.cross_check_agrees = false;
        f.cross_check = std::string(method_name(other)) + " disagrees: " + o.note;
        return;
    }
    Relation r = *o.relation;
    std::string fam_name = fam.name;
    if (fam.algebraic) r = simplify_algebraic(r, t, fam_name);
    long m = digits_matched(r, t);
    f.cross_check_agrees = m >= t.digits;
    if (r == f.relation) f.cross_check = std::string(method_name(other)) + " finds the same relation";
    else if (f.cross_check_agrees) f.cross_check = std::string(method_name(other)) + " finds an equivalent relation: " + r.text();
    else f.cross_check = std::string(method_name(other)) + " disagrees: it finds " + r.text() + ", which fails at digit " + std::to_string(m + 1);
}

std::string digits_verdict(const Finding& f) {
    std::string s = "holds to " + (f.holds ? "all " + std::to_string(f.digits_available)
                                           : std::to_string(f.digits_matched) + " of " + std::to_string(f.digits_available)) +
                    " digits; believing it needs " + std::to_string(f.relation.digits_needed()) + " (2 x " +
                    std::to_string(f.relation.coefficient_digits()) + " coefficient digits + 10)";
    return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
Target parse_decimal_target(std::string_view text) {
    std::string s;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c))) s += c;
    std::string shown = s.size() > 40 ? s.substr(0, 37) + "..." : s;
    auto fail = [&](const std::string& why) { return ParseError(why + ": '" + shown + "'"); };
    if (s.size() >= 3 && s.compare(s.size() - 3, 3, "\xE2\x80\xA6") == 0) s.resize(s.size() - 3);  // U+2026
    else if (s.size() >= 3 && s.compare(s.size() - 3, 3, "...") == 0) s.resize(s.size() - 3);
    if (s.empty()) throw fail("not a decimal number (empty)");
    size_t i = 0;
    bool neg = false;
    if (s[i] == '+' || s[i] == '-') neg = s[i++] == '-';
    std::string mant;
    long frac = 0;
    bool point = false, any = false;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (std::isdigit(static_cast<unsigned char>(c))) {
            mant += c;
            any = true;
            if (point) ++frac;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (!any) throw fail("not a decimal number");
    long exp10 = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        size_t start = i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        size_t ds = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (ds == i || i - ds > 9) throw fail("not a decimal number (bad exponent)");
        exp10 = std::stol(s.substr(start, i - start));
    }
    if (i != s.size()) throw fail("not a decimal number (unexpected '" + std::string(1, s[i]) + "')");
    size_t nz = mant.find_first_not_of('0');
    if (nz == std::string::npos) throw fail("the number is 0 to all its digits");
    std::string sig = mant.substr(nz);
    Target t;
    t.digits = static_cast<long>(sig.size());
    t.origin = "decimal";
    t.text = s;
    // value = sig * 10^(exp10 - frac), radius one unit of the last digit
    long e = exp10 - frac;
    Int m;
    fmpz_set_str(m.get(), sig.c_str(), 10);
    if (neg) fmpz_neg(m.get(), m.get());
    slong prec = bits_for_digits(t.digits + 20) + 64;
    Ball ten, scale, unit;
    arb_set_ui(ten.get(), 10);
    arb_set_fmpz(t.value.get(), m.get());
    if (e != 0) {
        arb_pow_ui(scale.get(), ten.get(), static_cast<ulong>(std::labs(e)), prec);
        if (e > 0) arb_mul(t.value.get(), t.value.get(), scale.get(), prec);
        else arb_div(t.value.get(), t.value.get(), scale.get(), prec);
        unit = scale;
        if (e < 0) arb_inv(unit.get(), unit.get(), prec);
    } else {
        arb_one(unit.get());
    }
    mag_t r;
    mag_init(r);
    arb_get_mag(r, unit.get());
    mag_add(arb_radref(t.value.get()), arb_radref(t.value.get()), r);
    mag_clear(r);
    return t;
}

namespace {

double log10_abs(const arf_t x) {
    slong e = fmpz_get_si(ARF_EXPREF(x));
    arf_t m;
    arf_init(m);
    arf_mul_2exp_si(m, x, -e);  // 1/2 <= |m| < 1
    double r = (std::log2(std::fabs(arf_get_d(m, ARF_RND_NEAR))) + static_cast<double>(e)) * 0.30102999566398119521;
    arf_clear(m);
    return r;
}

}  // namespace

long digits_matched(const Relation& r, const Target& t) {
    slong prec = bits_for_digits(t.digits) + 40;
    Ball v;
    try {
        v = r.value(prec, &t.value);
    } catch (const std::domain_error&) {
        return 0;
    }
    if (arb_overlaps(v.get(), t.value.get())) return t.digits;
    arf_t d;
    arf_init(d);
    arf_sub(d, arb_midref(v.get()), arb_midref(t.value.get()), prec, ARF_RND_NEAR);
    arf_abs(d, d);
    // the leading significant digits k that agree to half a unit of the k-th:
    // |v - t| <= 10^(e - k + 1) / 2 with 10^e <= |t| < 10^(e+1)
    long matched = 0;
    if (!arf_is_zero(d) && !arf_is_zero(arb_midref(t.value.get()))) {
        double l = log10_abs(d) + 0.30102999566398119521;
        double e = std::floor(log10_abs(arb_midref(t.value.get())) + 1e-12);
        matched = std::clamp<long>(static_cast<long>(std::floor(e + 1 - l)), 0, t.digits - 1);
    }
    arf_clear(d);
    return matched;
}

std::vector<Finding> find_relations(const Target& t, const IdentifyOptions& opt) {
    std::vector<Family> families;
    if (!opt.basis.empty()) {
        Family f{"basis", {"1"}, opt.degree, 0, false};
        std::set<std::string> seen{"1"};
        for (const std::string& b : opt.basis)
            if (seen.insert(b).second) f.basis.push_back(b);
        f.algebraic = f.degree >= 2 && f.basis.size() == 1;
        families.push_back(f);
    } else {
        families = auto_families(opt.simple_families);
    }
    const long D = t.digits;
    const long top = std::min(D, opt.max_search_digits);
    std::vector<long> levels;
    if (top > kLadderDigits + 10) levels.push_back(kLadderDigits);
    levels.push_back(top);

    std::vector<Finding> passing, candidates;
    std::set<std::string> seen;
    for (size_t fi = 0; fi < families.size();) {
        const int group = families[fi].group;
        if (opt.progress) opt.progress("searching " + families[fi].name);
        for (; fi < families.size() && families[fi].group == group; ++fi) {
            const Family& fam = families[fi];
            const size_t dim = fam.basis.size() * static_cast<size_t>(fam.degree + 1);
            for (long level : levels) {
                // the first, cheaper level only for small dimensions: at 50 digits an 8-dimensional
                // search finds little that the full one would not find at once
                if (level != levels.back() && dim > 6) continue;
                slong bits = bits_for_digits(level);
                std::vector<Ball> vec = relation_vector(t.value, fam, bits);
                SearchOutcome o = run_method(opt.method, vec, bits, opt.max_coef, fam);
                if (!o.relation) {  // nothing within the bound, or a dependent basis
                    if (!opt.basis.empty() && o.note.rfind("the basis is dependent", 0) == 0)
                        throw std::invalid_argument(o.note);
                    break;
                }
                std::string family = fam.name;
                Relation rel = fam.algebraic ? simplify_algebraic(*o.relation, t, family) : *o.relation;
                if (exceeds(rel, opt.max_coef)) continue;
                Finding f;
                f.relation = rel;
                f.family = family;
                f.digits_available = D;
                f.search_digits = level;
                f.digits_matched = digits_matched(rel, t);
                f.holds = f.digits_matched >= D;
                f.passes_digits_rule = f.holds && D >= rel.digits_needed();
                if (f.passes_digits_rule && opt.cross_check) cross_check(f, t, fam, vec, bits, opt.method);
                const bool holds = f.holds;
                // a candidate holds to clearly more digits than it costs, and not merely to the
                // digits of the search that found it (every LLL vector does that)
                bool interesting = f.digits_matched >= kCandidateRatio * static_cast<double>(rel.coefficient_digits()) + kCandidateMargin &&
                                   (f.holds || f.digits_matched > level + 3);
                if ((f.passes_digits_rule || interesting) && seen.insert(rel.text()).second)
                    (f.passes_digits_rule ? passing : candidates).push_back(std::move(f));
                if (holds) break;  // holds to every digit: a deeper level finds the same
            }
        }
        if (!passing.empty()) break;
    }
    for (Finding& f : passing) f.verdict = digits_verdict(f);
    if (!passing.empty()) return passing;
    std::sort(candidates.begin(), candidates.end(), [](const Finding& a, const Finding& b) {
        return a.digits_matched - a.relation.coefficient_digits() > b.digits_matched - b.relation.coefficient_digits();
    });
    if (candidates.size() > kMaxCandidates) candidates.resize(kMaxCandidates);
    for (Finding& f : candidates) f.verdict = digits_verdict(f);
    return candidates;
}

void accept_decimal(std::vector<Finding>& findings) {
    for (Finding& f : findings) {
        f.accepted = f.passes_digits_rule && (!f.cross_checked || f.cross_check_agrees);
        if (f.accepted) f.verdict += "; a decimal has no deeper evaluation: the digits rule alone decides";
        else if (f.passes_digits_rule) f.verdict += "; but the cross-check fails: " + f.cross_check;
        else if (f.holds) f.verdict += ": too few digits to believe it";
        else f.verdict += ": it fails at digit " + std::to_string(f.digits_matched + 1);
    }
}

// ---------------------------------------------------------------------------------------------
namespace {

struct PcfValue {
    Target target;
    uint64_t depth = 0;
    // how to go twice as deep
    bool extrapolated = false;
    int points = 0;
};

// Significant digits of a value's enclosure: its relative accuracy (a certified decimal can show
// fewer when the enclosure straddles a digit boundary, e.g. a limit that is exactly 1).
long ball_digits(const Ball& b) {
    if (!arb_is_finite(b.get()) || arb_contains_zero(b.get())) return 0;
    if (mag_is_zero(arb_radref(b.get()))) return 1'000'000;
    return std::max<long>(0, digits_for_bits(arb_rel_accuracy_bits(b.get())) - 1);
}

Target target_of(const EvalResult& r, const std::string& how, long cap) {
    Target t;
    t.value = r.ball;
    t.digits = std::min(cap, std::max(r.value.count(), ball_digits(r.ball)));
    t.certified = true;
    t.origin = how + " at depth " + std::to_string(r.depth) + " (" + r.method + ", " +
               (r.terminated ? "exact: the fraction terminates" : "certified digits") + ")";
    return t;
}

Target target_of(const Extrapolation& e) {
    Target t;
    t.value = e.value;
    t.digits = e.digits;
    t.certified = false;
    t.origin = "Richardson extrapolation of x_n, n = " + std::to_string(e.depth - 2 * (e.points - 1)) + ".." +
               std::to_string(e.depth) + " step 2 (" + std::to_string(e.points) +
               " points; digits ESTIMATED from a second extrapolation ending near 3/4 of the depth)";
    return t;
}

PcfValue first_value(const Pcf& pcf, const PcfIdentifyOptions& opt) {
    EvalOptions eo;
    eo.digits = opt.digits;
    eo.max_depth = std::min<uint64_t>(opt.max_depth, kFirstMaxDepth);
    eo.progress = opt.identify.progress;
    EvalResult r = evaluate(pcf, eo);
    if (!r.converges && r.error_model == "none") throw std::runtime_error("the PCF does not converge: " + r.note);
    PcfValue best;
    best.target = target_of(r, "evaluated", opt.digits);
    best.depth = r.depth;
    if (best.target.digits >= opt.digits || r.terminated) return best;
    // Too slow for the digits: extrapolate (polynomial convergence), or go deeper (slow
    // exponential or sub-exponential convergence), whichever gives more digits.
    int K = static_cast<int>(std::max<long>(10, (opt.digits + 1) / 2));
    uint64_t N = 20 * static_cast<uint64_t>(K);
    if (N <= opt.max_depth) {
        if (opt.identify.progress) opt.identify.progress("extrapolating from depth " + std::to_string(N));
        Extrapolation e = richardson_limit(pcf, N, K);
        if (e.ok && e.digits > best.target.digits) {
            best.target = target_of(e);
            best.depth = N;
            best.extrapolated = true;
            best.points = K;
        }
    }
    // (polynomial convergence that the extrapolation does not capture is often exp(-c sqrt n):
    // deeper helps there too; give_up_early stops when the digits asked are out of reach)
    if (best.target.digits < opt.digits && opt.max_depth > kFirstMaxDepth && r.converges) {
        eo.max_depth = opt.max_depth;
        eo.give_up_early = true;
        EvalResult r2 = evaluate(pcf, eo);
        Target t2 = target_of(r2, "evaluated", opt.digits);
        if (t2.digits > best.target.digits) {
            best = PcfValue{};
            best.target = t2;
            best.depth = r2.depth;
        }
    }
    if (best.target.digits == 0)
        throw std::runtime_error("no digit of the PCF's value is certain up to depth " + std::to_string(opt.max_depth) +
                                 " nor by extrapolation: it converges too slowly, or not at all");
    return best;
}

PcfValue deeper_value(const Pcf& pcf, const PcfValue& first, const PcfIdentifyOptions& opt) {
    PcfValue d;
    if (first.extrapolated) {
        Extrapolation e = richardson_limit(pcf, 2 * first.depth, 2 * first.points);
        d.target = target_of(e);
        d.depth = 2 * first.depth;
        d.extrapolated = true;
        d.points = 2 * first.points;
        if (!e.ok) d.target.digits = 0;
        return d;
    }
    EvalOptions eo;
    eo.digits = 2 * first.target.digits;  // a terminating fraction's exact value to this many
    eo.depth = std::max<uint64_t>(2 * first.depth, 2);
    eo.max_depth = std::max<uint64_t>(opt.max_depth, eo.depth);
    eo.progress = opt.identify.progress;
    EvalResult r = evaluate(pcf, eo);
    d.target = target_of(r, "evaluated twice as deep", std::numeric_limits<long>::max());
    d.depth = r.depth;
    return d;
}

}  // namespace

PcfIdentification identify_pcf(const Pcf& pcf, const PcfIdentifyOptions& opt) {
    PcfIdentification out;
    PcfValue first = first_value(pcf, opt);
    out.first = first.target;
    out.first_depth = first.depth;
    if (first.target.digits < kMinSearchDigits) {
        out.note = "only " + std::to_string(first.target.digits) + " digits of the value: too few to search (at least " +
                   std::to_string(kMinSearchDigits) + " are needed)";
        return out;
    }
    out.findings = find_relations(first.target, opt.identify);
    bool any_hold = std::any_of(out.findings.begin(), out.findings.end(), [](const Finding& f) { return f.holds; });
    if (!any_hold) {
        for (Finding& f : out.findings)
            f.verdict += ": it fails at digit " + std::to_string(f.digits_matched + 1);
        return out;
    }
    if (opt.identify.progress) opt.identify.progress("evaluating twice as deep");
    PcfValue deeper = deeper_value(pcf, first, opt);
    out.deeper = deeper.target;
    out.deeper_depth = deeper.depth;
    out.deeper_done = true;
    for (Finding& f : out.findings) {
        if (f.holds) {
            f.deeper_checked = true;
            f.deeper_digits = deeper.target.digits;
            f.deeper_matched = deeper.target.digits > 0 ? digits_matched(f.relation, deeper.target) : 0;
            f.deeper_holds = deeper.target.digits > 0 && f.deeper_matched >= deeper.target.digits;
        }
        f.accepted = f.passes_digits_rule && f.deeper_holds && (!f.cross_checked || f.cross_check_agrees);
        if (f.accepted) {
            f.verdict += "; still holds to all " + std::to_string(f.deeper_digits) + " digits at depth " +
                         std::to_string(deeper.depth);
        } else if (f.passes_digits_rule && !f.deeper_holds) {
            f.verdict += "; but twice as deep (depth " + std::to_string(deeper.depth) + ") it holds to only " +
                         std::to_string(f.deeper_matched) + " of " + std::to_string(f.deeper_digits) + " digits";
        } else if (f.passes_digits_rule) {
            f.verdict += "; but the cross-check fails: " + f.cross_check;
        } else if (f.holds) {
            f.verdict += ": too few digits to believe it";
            if (f.deeper_checked)
                f.verdict += " (twice as deep: holds to " + std::to_string(f.deeper_matched) + " of " +
                             std::to_string(f.deeper_digits) + " digits)";
        } else {
            f.verdict += ": it fails at digit " + std::to_string(f.digits_matched + 1);
        }
    }
    return out;
}

}  // namespace cvg
