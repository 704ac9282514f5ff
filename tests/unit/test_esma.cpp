#include "search/esma.hpp"
#include "src/berlekamp_massey.hpp"
#include "src/constants.hpp"
#include "src/evaluate.hpp"
#include "src/signed_cf.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

using namespace cvg;
using namespace cvg::search;

namespace {

std::vector<int64_t> expand(const char* constant, SignPattern s, int terms) {
    return signed_cf(constant_value(constant, 4000), s, terms);
}

}  // namespace

TEST_CASE("signed cf: classical expansions", "[esma]") {
    SignPattern plus{1, 0}, minus{1, 1};
    CHECK(expand("e", plus, 12) == std::vector<int64_t>{2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8});
    CHECK(expand("sqrt2", plus, 6) == std::vector<int64_t>{1, 2, 2, 2, 2, 2});
    CHECK(expand("pi", plus, 6) == std::vector<int64_t>{3, 7, 15, 1, 292, 1});
    // minus signs: a_k = ceil(x_k); sqrt 2 = 2 - 1/(2 - 1/(4 - 1/(2 - ...)))? check the identity instead
    std::vector<int64_t> m = expand("sqrt2", minus, 20);
    REQUIRE(m.size() == 20);
    Ball x = constant_value("sqrt2", 400), back;  // rebuild x from the last term backwards
    arb_set_si(back.get(), m.back());
    for (size_t k = m.size() - 1; k-- > 0;) {
        arb_inv(back.get(), back.get(), 400);
        arb_neg(back.get(), back.get());
        arb_add_si(back.get(), back.get(), m[k], 400);
    }
    arb_sub(back.get(), back.get(), x.get(), 400);
    CHECK(arf_cmpabs_2exp_si(arb_midref(back.get()), -10) < 0);
    CHECK(sign_patterns(1).size() == 2);
    CHECK(sign_patterns(2).size() == 4);  // +, -, +-, -+
    CHECK(sign_patterns(3).size() == 10);
}

TEST_CASE("signed cf: precision runs out honestly", "[esma]") {
    Ball wide = constant_value("e", 4000);
    mag_set_ui_2exp_si(arb_radref(wide.get()), 1, -60);  // e +- 2^-60: only ~18 digits
    std::vector<int64_t> q = signed_cf(wide, SignPattern{1, 0}, 100);
    CHECK(q.size() < 40);
    CHECK(q.size() > 10);
    std::vector<int64_t> full = expand("e", SignPattern{1, 0}, static_cast<int>(q.size()));
    CHECK(q == full);  // every term it gives is right
    Ball third;
    arb_set_ui(third.get(), 1);
    arb_div_ui(third.get(), third.get(), 3, 200);  // not exact: a ball around 1/3
    CHECK(signed_cf(third, SignPattern{1, 0}, 100).size() < 60);
}

TEST_CASE("berlekamp-massey: random recurrences recovered, random sequences rejected", "[esma]") {
    const uint64_t p = (uint64_t{1} << 61) - 1;
    std::mt19937_64 rng(5);
    for (int trial = 0; trial < 50; ++trial) {
        size_t L = 1 + rng() % 8;
        std::vector<uint64_t> c(L), seq;
        for (auto& x : c) x = rng() % p;
        for (size_t i = 0; i < L; ++i) seq.push_back(rng() % p);
        while (seq.size() < 60) {
            unsigned __int128 s = 0;
            for (size_t i = 0; i < L; ++i) s += static_cast<unsigned __int128>(c[i]) * seq[seq.size() - 1 - i] % p;
            seq.push_back(static_cast<uint64_t>(s % p));
        }
        std::vector<uint64_t> C = berlekamp_massey_mod(seq, p);
        REQUIRE(C.size() == L + 1);
        for (size_t i = 0; i < L; ++i) CHECK(C[i + 1] == (p - c[i]) % p);
        CHECK(linear_complexity_mod(seq.data(), seq.size(), p, 100) == static_cast<int>(L));
    }
    std::vector<uint64_t> noise;
    for (int i = 0; i < 100; ++i) noise.push_back(rng() % p);
    CHECK(linear_complexity_mod(noise.data(), noise.size(), p, 1000) == 50);
    CHECK(linear_complexity_mod(noise.data(), noise.size(), p, 10) > 10);  // stops early

    // over Q: Fibonacci, and a recurrence with rational coefficients (2 a_k = a_{k-1} + a_{k-2}) times 2^k
    std::vector<Int> fib{Int(0), Int(1)};
    for (int i = 2; i < 40; ++i) {
        Int t;
        fmpz_add(t.get(), fib[i - 1].get(), fib[i - 2].get());
        fib.push_back(t);
    }
    std::vector<Rational> cf = berlekamp_massey_q(fib);
    REQUIRE(cf.size() == 2);
    CHECK(fmpq_is_one(cf[0].get()));
    CHECK(fmpq_is_one(cf[1].get()));
    CHECK(satisfies(fib, cf));
    std::vector<Int> poly;  // n^3: complexity 4, characteristic (x - 1)^4
    for (slong n = 0; n < 30; ++n) poly.push_back(Int(n * n * n));
    CHECK(berlekamp_massey_q(poly).size() == 4);
}

TEST_CASE("esma: patterns of the partial quotients", "[esma]") {
    auto e = expand("e", SignPattern{1, 0}, 100);
    auto pat = find_pattern(e, 4, 6, 3);
    REQUIRE(pat);
    CHECK(pat->offset == 1);
    CHECK(pat->period == 3);
    CHECK(pat->polys[0].to_expr() == "1");
    CHECK(pat->polys[1].to_expr() == "2n+2");
    CHECK(pat->polys[2].to_expr() == "1");
    CHECK(linear_complexity_mod_p(e, 1) == 6);  // (x^3 - 1)^2
    auto pi = expand("pi", SignPattern{1, 0}, 100);
    CHECK_FALSE(find_pattern(pi, 4, 6, 3));
    CHECK(linear_complexity_mod_p(pi, 0) >= 45);
    // tan 1 = [1; 1, 1, 3, 1, 5, 1, 7, ...]
    auto t = find_pattern(expand("tan1", SignPattern{1, 0}, 60), 4, 6, 3);
    REQUIRE(t);
    CHECK(t->period == 2);
}

TEST_CASE("esma: contraction turns a periodic pattern into an equivalent PCF", "[esma]") {
    // e's simple continued fraction: contracted by 3, value related to the tail by the matrix L
    auto e = expand("e", SignPattern{1, 0}, 60);
    auto pat = find_pattern(e, 4, 6, 3);
    REQUIRE(pat);
    auto con = contract(*pat, SignPattern{1, 0});
    REQUIRE(con);
    EvalOptions o;
    o.digits = 60;
    EvalResult y = evaluate(con->pcf, o);
    REQUIRE(y.converges);
    // t = [1; 2, 1, 1, 4, ...] = 1/(e - 2); t = (l0 y + l1)/(l2 y + l3)
    const auto& L = con->tail_of_value;
    Ball t, num, den;
    arb_mul_fmpz(num.get(), y.ball.get(), L[0].get(), 300);
    arb_add_fmpz(num.get(), num.get(), L[1].get(), 300);
    arb_mul_fmpz(den.get(), y.ball.get(), L[2].get(), 300);
    arb_add_fmpz(den.get(), den.get(), L[3].get(), 300);
    arb_div(t.get(), num.get(), den.get(), 300);
    Ball want = constant_value("e", 300);
    arb_sub_ui(want.get(), want.get(), 2, 300);
    arb_inv(want.get(), want.get(), 300);
    CHECK(arb_overlaps(t.get(), want.get()));
    // period 1: the PCF is the tail itself
    auto coth = expand("e", SignPattern{1, 0}, 1);
    (void)coth;
    QuotientPattern lin{0, 1, {Poly::parse("4n+2")}};
    auto c1 = contract(lin, SignPattern{1, 0});
    REQUIRE(c1);
    CHECK(c1->pcf.a.to_expr() == "4n+2");
    CHECK(c1->pcf.b.to_expr() == "1");
}

TEST_CASE("esma: candidates are reduced and unique", "[esma]") {
    auto c1 = esma_candidates(1, -1, 1);
    // (c0 + c1 K)/(d0 + d1 K) with entries in {-1, 0, 1}: 48 integer matrices of nonzero determinant,
    // each map counted once for M and -M
    CHECK(c1.size() == 24);
    auto c2 = esma_candidates(2, -1, 1);
    std::set<std::pair<std::vector<int64_t>, std::vector<int64_t>>> seen;
    for (const auto& c : c2) CHECK(seen.insert({c.num, c.den}).second);
    // (K^2 - 1)/(K - 1) reduces to K + 1 = (1 + K)/1, listed once
    CHECK(std::count_if(c2.begin(), c2.end(), [](const EsmaCandidate& c) {
              return c.num == std::vector<int64_t>{1, 1} && c.den == std::vector<int64_t>{1};
          }) == 1);
}

TEST_CASE("esma: classical conjectures for e, e^2, tanh 1 and tan 1", "[esma]") {
    auto run = [](const char* k, int deg, int lo, int hi) {
        EsmaConfig cfg;
        cfg.deg = deg;
        cfg.coef_lo = lo;
        cfg.coef_hi = hi;
        EsmaSearch s([k](slong p) { return constant_value(k, p); }, cfg);
        std::set<std::string> found;
        for (uint64_t u = 0; u < s.units(); ++u)
            for (const Conjecture& c : s.run_unit(u).conjectures) {
                CHECK(c.v.digits_matched >= 100);
                found.insert(c.pcf.key() + " " + relation_text(c.v.relation, k));
            }
        return found;
    };
    auto e = run("e", 1, -1, 1);
    CHECK(e.count("[2,4];[1] (1 + e)/(-1 + e)"));  // (e+1)/(e-1) = [2; 6, 10, 14, ...]
    auto e2 = run("e", 2, -1, 1);
    bool tanh1 = false, esq = false;
    for (const auto& f : e2) {
        if (f.rfind("[1,2];[1] ", 0) == 0) tanh1 = true;  // coth 1 = [1; 3, 5, 7, ...]
        if (f.find("e^2") != std::string::npos && f.find("[") == 0) esq = esq || f.find("e^2") != std::string::npos;
    }
    CHECK(tanh1);
    CHECK(esq);
    auto t = run("tan1", 1, -1, 1);
    CHECK(!t.empty());
}

TEST_CASE("esma: a random constant gives no conjecture", "[esma]") {
    std::mt19937_64 rng(11);
    std::string digits = "0.";
    for (int i = 0; i < 500; ++i) digits += static_cast<char>('0' + rng() % 10);
    ConstantFn random = [digits](slong prec) {
        Ball b;
        arb_set_str(b.get(), digits.c_str(), prec);
        mag_set_ui_2exp_si(arb_radref(b.get()), 1, -1650);  // 500 digits
        return b;
    };
    EsmaConfig cfg;
    cfg.coef_lo = -3;
    cfg.coef_hi = 3;
    EsmaSearch s(random, cfg);
    uint64_t conjectures = 0, complete = 0;
    for (uint64_t u = 0; u < s.units(); ++u) {
        UnitResult r = s.run_unit(u);
        conjectures += r.conjectures.size();
        complete += r.stats.screened;
    }
    CHECK(complete > 1000);
    CHECK(conjectures == 0);
}
