#include "search/domain.hpp"
#include "search/family.hpp"
#include "search/lhs.hpp"
#include "search/mitm.hpp"
#include "search/presets.hpp"
#include "search/verify.hpp"
#include "src/constants.hpp"
#include "src/screen.hpp"
#include "src/screen_batch.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <random>
#include <set>
#include <tuple>

using namespace cvg;
using namespace cvg::search;

TEST_CASE("search domain: box enumeration and index mapping", "[search]") {
    Domain d = Domain::box({{-1, 1}, {0, 2}}, {{-2, 2}, {1, 1}, {-1, 0}});
    CHECK(d.size() == 3 * 3 * 5 * 1 * 2);
    CHECK(d.inner_size() == 5 * 1 * 2);
    std::set<std::string> seen;
    for (uint64_t i = 0; i < d.size(); ++i) seen.insert(d.pcf_at(i).key());
    CHECK(seen.size() == d.size());  // every index a different PCF
    // a(n) is shared within a block of inner_size consecutive indices
    CHECK(d.pcf_at(0).a == d.pcf_at(d.inner_size() - 1).a);
    CHECK_FALSE(d.pcf_at(0).a == d.pcf_at(d.inner_size()).a);
    CHECK(d.pcf_at(0).a.to_expr() == "-1");
    CHECK(d.pcf_at(d.size() - 1).key() == "[1,2];[2,1]");
}

TEST_CASE("search domain: families with relations between coefficients", "[search]") {
    auto j = nlohmann::ordered_json::parse(
        R"J({"params": {"x": [1, 3], "y": [-1, 1]}, "a": "x*(n^3 + (n+1)^3) + y*(2n+1)", "b": "-x^2*n^6"})J");
    Domain d = Domain::from_json(j);
    CHECK(d.size() == 9);
    CHECK(d.outer_params() == 2);  // a uses both
    bool found_apery = false;
    for (uint64_t i = 0; i < d.size(); ++i) {
        Pcf p = d.pcf_at(i);
        // x = 1, y = 0 gives n^3 + (n+1)^3 = 2n^3+3n^2+3n+1 and b = -n^6
        if (p.a.to_expr() == "2n^3+3n^2+3n+1" && p.b.to_expr() == "-n^6") found_apery = true;
        CHECK(p.b.degree() == 6);
    }
    CHECK(found_apery);
    for (const char* bad : {R"J({"params": {"x": [3, 1]}, "a": "x", "b": "1"})J", R"J({"params": {"x": [1, 3]}, "a": "z", "b": "1"})J",
                            R"J({"params": {}, "a": "1", "b": "1"})J", R"J({"a": "1", "b": "1"})J",
                            R"J({"params": {"n": [1, 2]}, "a": "n", "b": "1"})J", R"J([1, 2])J"}) {
        INFO(bad);
        CHECK_THROWS_AS(Domain::from_json(nlohmann::ordered_json::parse(bad)), std::invalid_argument);
    }
    CHECK(parse_ranges("-13:13", 1).size() == 2);
    CHECK(parse_ranges("-1:1,0:5,2:2", 2)[1] == std::pair<int64_t, int64_t>{0, 5});
    for (const char* bad : {"5:1", "1:2:3", "a:b", "1:2,3:4", "", "1", "-99999999999:1"}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_ranges(bad, 2), std::invalid_argument);
    }
}

TEST_CASE("search lhs: every normalised transform once, and interval lookups", "[search]") {
    const long double pi = 3.14159265358979323846264338327950288L;
    const int R = 3;
    LhsTable t(pi, R);
    // independent count: normalise every tuple by its gcd and the sign of (d1, d0)
    std::set<std::tuple<int, int, int, int>> forms;
    for (int c0 = -R; c0 <= R; ++c0)
        for (int c1 = -R; c1 <= R; ++c1)
            for (int d0 = -R; d0 <= R; ++d0)
                for (int d1 = -R; d1 <= R; ++d1) {
                    if (c0 * d1 == c1 * d0) continue;
                    int g = std::gcd(std::gcd(std::abs(c0), std::abs(c1)), std::gcd(std::abs(d0), std::abs(d1)));
                    int s = (d1 < 0 || (d1 == 0 && d0 < 0)) ? -1 : 1;
                    forms.insert({s * c0 / g, s * c1 / g, s * d0 / g, s * d1 / g});
                }
    CHECK(t.size() == forms.size());
    for (size_t i = 1; i < t.size(); ++i) REQUIRE(t.value(i - 1) <= t.value(i));
    // 3/pi is there and found within a tolerance; a value between two entries finds nothing
    std::vector<uint32_t> hits;
    t.lookup(3.0 / 3.141592653589793, 1e-12, hits);
    REQUIRE(hits.size() == 1);
    Mobius m = t.transform(hits[0]);
    CHECK((m.c0 == 3 && m.c1 == 0 && m.d0 == 0 && m.d1 == 1));
    hits.clear();
    double mid = (t.value(100) + t.value(101)) / 2;
    t.lookup(mid, std::fabs(t.value(101) - t.value(100)) / 4, hits);
    CHECK(hits.empty());
    t.lookup(mid, std::fabs(t.value(101) - t.value(100)), hits);  // a window over both neighbours
    CHECK(hits.size() >= 2);
}

TEST_CASE("search screen: the SIMD lanes agree with the scalar screen", "[search]") {
    std::mt19937_64 rng(99);
    const int depth = 32;
    for (int trial = 0; trial < 20; ++trial) {
        Poly a = Poly::from_si({static_cast<slong>(rng() % 11) - 5, static_cast<slong>(rng() % 11) - 5});
        const size_t lanes = 37;  // two full SIMD blocks and a remainder
        std::vector<Poly> bs;
        std::vector<double> av(depth + 1), bv(static_cast<size_t>(depth + 1) * lanes);
        for (int n = 0; n <= depth; ++n) av[n] = a.eval_d(n);
        for (size_t j = 0; j < lanes; ++j) {
            bs.push_back(Poly::from_si({static_cast<slong>(rng() % 21) - 10, static_cast<slong>(rng() % 21) - 10,
                                        static_cast<slong>(rng() % 21) - 10}));
            for (int n = 0; n <= depth; ++n) bv[static_cast<size_t>(n) * lanes + j] = bs[j].eval_d(n);
        }
        std::vector<LaneResult> out(lanes);
        screen_lanes(av.data(), bv.data(), lanes, lanes, depth, rescale_interval(200, 12000), out.data());
        for (size_t j = 0; j < lanes; ++j) {
            ScreenResult s = screen(Pcf{a, bs[j]}, depth);
            if (s.status != ScreenStatus::ok) continue;  // terminating b: the search skips those rows
            INFO(a.to_expr() << " / " << bs[j].to_expr());
            REQUIRE(out[j].status == lane_ok);
            CHECK(out[j].value == Approx(s.value).epsilon(1e-12));
        }
    }
}

TEST_CASE("search screen: b(n) from coefficients in the loop agrees with the scalar screen", "[search]") {
    std::mt19937_64 rng(7);
    const int depth = 256;  // the rescreen depth
    const size_t lanes = 48, stride = 48;
    for (int trial = 0; trial < 10; ++trial) {
        Poly a = Poly::from_si({static_cast<slong>(rng() % 11) - 5, static_cast<slong>(rng() % 5) + 1});
        std::vector<double> av(depth + 1), coef(3 * stride);
        for (int n = 0; n <= depth; ++n) av[n] = a.eval_d(n);
        std::vector<Poly> bs;
        for (size_t j = 0; j < lanes; ++j) {
            std::vector<slong> c = {static_cast<slong>(rng() % 21) - 10, static_cast<slong>(rng() % 21) - 10,
                                    static_cast<slong>(rng() % 21) - 10};
            if (j % 8 == 0) c = {-static_cast<slong>(j + 40) * static_cast<slong>(j + 40), 0, 1};  // b(j+40) = 0
            bs.push_back(Poly::from_si({c[0], c[1], c[2]}));
            for (int k = 0; k < 3; ++k) coef[static_cast<size_t>(k) * stride + j] = static_cast<double>(c[k]);
        }
        std::vector<LaneResult> out(stride);
        screen_lanes_poly(av.data(), coef.data(), 2, stride, depth, rescale_interval(5 * 257.0, 30 * 257.0 * 257.0),
                          out.data());
        int terminated = 0;
        for (size_t j = 0; j < lanes; ++j) {
            ScreenResult s = screen(Pcf{a, bs[j]}, depth);
            INFO(a.to_expr() << " / " << bs[j].to_expr() << " " << to_string(s.status));
            if (j % 8 == 0) {
                CHECK(out[j].status == lane_terminated);
                ++terminated;
                continue;
            }
            if (s.status != ScreenStatus::ok) continue;
            REQUIRE(out[j].status == lane_ok);
            CHECK(out[j].value == Approx(s.value).epsilon(1e-12));
        }
        CHECK(terminated == 6);
    }
}

TEST_CASE("search screen: huge coefficients and deep screens never give a value from inf/NaN", "[search]") {
    const int depth = 200;
    const size_t lanes = 16;
    std::vector<double> av(depth + 1), bv(static_cast<size_t>(depth + 1) * lanes);
    for (int n = 0; n <= depth; ++n) av[n] = 1e6 * std::pow(n + 1.0, 3);
    for (size_t j = 0; j < lanes; ++j)
        for (int n = 0; n <= depth; ++n) bv[static_cast<size_t>(n) * lanes + j] = -1e6 * std::pow(n + 1.0, 6) * (j + 1);
    std::vector<LaneResult> out(lanes);
    screen_lanes(av.data(), bv.data(), lanes, lanes, depth, rescale_interval(1e6 * 201 * 201 * 201, 16e6 * std::pow(201.0, 6)),
                 out.data());
    for (const LaneResult& r : out) {
        if (r.status == lane_ok) CHECK(std::isfinite(r.value));
        CHECK(std::isfinite(r.rel_step) == (r.status == lane_ok));
    }
    // no rescaling at all: the values overflow and every lane says so
    screen_lanes(av.data(), bv.data(), lanes, lanes, depth, 1000, out.data());
    for (const LaneResult& r : out) CHECK(r.status == lane_overflow);
}

TEST_CASE("search family: scaling and sign flips share a key", "[search]") {
    auto key = [](const char* a, const char* b) { return family_key(Pcf{Poly::parse(a), Poly::parse(b)}); };
    CHECK(key("2n+1", "n^2") == key("4n+2", "4n^2"));
    CHECK(key("2n+1", "n^2") == key("-2n-1", "n^2"));
    CHECK(key("2n+1", "n^2") == key("-6n-3", "9n^2"));
    CHECK(key("2n+1", "n^2") == "[1,2];[0,0,1]");
    CHECK(key("2n+1", "n^2") != key("2n+1", "2n^2"));
    CHECK(key("4n+2", "2n^2") == "[2,4];[0,0,2]");  // 2 | a but 4 does not divide b
}

TEST_CASE("search verify: the true relation holds, a perturbed constant fails", "[search]") {
    Pcf pcf{Poly::parse("2n+1"), Poly::parse("n^2")};  // 4/pi
    ConstantFn pi = [](slong prec) { return constant_value("pi", prec); };
    VerifyOptions o;
    std::vector<Relation> cands = {Relation{{4, 1}, {0, 1}}, Relation{{4, 0}, {0, 1}}};
    auto v = verify_candidate(pcf, pi, cands, o);
    REQUIRE(v);
    CHECK(v->relation == Relation{{4, 0}, {0, 1}});
    CHECK(v->digits_matched >= 100);
    CHECK(v->depth >= 1000);
    CHECK(v->metrics.ok);
    CHECK(relation_text(v->relation, "pi") == "4/pi");
    CHECK(relation_json(v->relation, "pi") == R"J({"basis":["1","pi"],"numerator":[4,0],"denominator":[0,1]})J");
    CHECK(relation_text(Relation{{1, -2, 3}, {0, 1}}, "pi") == "(1 - 2*pi + 3*pi^2)/pi");
    CHECK(relation_json(Relation{{1, 0, 1}, {2}}, "log2") ==
          R"J({"basis":["1","log2","log2^2"],"numerator":[1,0,1],"denominator":[2,0,0]})J");
    CHECK(relation_text(Relation{{0, 1}, {1}}, "pi*log2") == "pi*log2");
    CHECK(relation_text(Relation{{0, 0, 1}, {1}}, "pi*log2") == "(pi*log2)^2");
    // pi with its 40th digit changed
    ConstantFn bad = [](slong prec) {
        Ball x = constant_value("pi", prec), e;
        arb_set_ui(e.get(), 10);
        arb_pow_ui(e.get(), e.get(), 39, prec);
        arb_inv(e.get(), e.get(), prec);
        arb_add(x.get(), x.get(), e.get(), prec);
        return x;
    };
    CHECK_FALSE(verify_candidate(pcf, bad, cands, o));
}

TEST_CASE("search mitm: the e preset finds the classical formulas of e", "[search]") {
    const Preset* p = find_preset("e");
    REQUIRE(p);
    Domain d = Domain::from_json(nlohmann::ordered_json::parse(p->domain));
    ConstantFn e = [](slong prec) { return constant_value("e", prec); };
    LhsTable lhs(2.71828182845904523536028747135266249775724709369995L, p->lhs_coef);
    MitmSearch s(d, lhs, e, MitmConfig{});
    std::set<std::string> found;
    for (uint64_t u = 0; u < s.units(); ++u)
        for (const Conjecture& c : s.run_unit(u).conjectures) found.insert(c.pcf.key() + " " + relation_text(c.v.relation, "e"));
    // known_pcfs.csv classical_05..10 (a, b of degree 1 with coefficients in [-5, 5])
    CHECK(found.count("[1,1];[1,1] -1 + e"));        // e - 1
    CHECK(found.count("[0,1];[0,1] 1/(-1 + e)"));    // 1/(e - 1)
    CHECK(found.count("[1,1];[0,1] 1/(-2 + e)"));    // 1/(e - 2)
    CHECK(found.count("[2,1];[2,1] 2/(-2 + e)"));    // 2/(e - 2)
    CHECK(found.count("[3,1];[0,-1] e"));            // e
    CHECK(found.count("[2,1];[0,-1] e/(-1 + e)"));   // e/(e - 1)
    CHECK(found.size() >= 20);
}

TEST_CASE("search mitm: a b(n) that depends on a's parameters (a b table per block)", "[search]") {
    // (x a, x^2 b) of Euler's 4/pi = 1 + 1^2/(3 + 2^2/(5 + ...)) has the value 4x/pi; y shifts a
    Domain d = Domain::from_json(nlohmann::ordered_json::parse(
        R"J({"params": {"x": [1, 3], "y": [0, 1], "z": [-1, 1]}, "a": "x*(2n+1) + y", "b": "x^2*n^2 + z*n"})J"));
    REQUIRE(d.outer_params() == 2);  // b uses x, which a uses too: no table shared by all blocks
    ConstantFn pi = [](slong prec) { return constant_value("pi", prec); };
    LhsTable lhs(3.14159265358979323846264338327950288419716939937510L, 20);
    MitmSearch s(d, lhs, pi, MitmConfig{});
    std::set<std::string> found;
    uint64_t pcfs = 0;
    for (uint64_t u = 0; u < s.units(); ++u) {
        UnitResult r = s.run_unit(u);
        pcfs += r.stats.pcfs;
        for (const Conjecture& c : r.conjectures) found.insert(c.pcf.key() + " " + relation_text(c.v.relation, "pi"));
    }
    CHECK(pcfs == d.size());
    CHECK(found.count("[1,2];[0,0,1] 4/pi"));
    CHECK(found.count("[2,4];[0,0,4] 8/pi"));
    CHECK(found.count("[3,6];[0,0,9] 12/pi"));
}
