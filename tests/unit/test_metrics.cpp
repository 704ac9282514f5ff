#include "src/const_expr.hpp"
#include "src/metrics.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace cvg;

namespace {

Pcf pcf_of(const char* a, const char* b) { return Pcf{Poly::parse(a), Poly::parse(b)}; }

Metrics with_limit(const char* a, const char* b, const char* limit, uint64_t depth) {
    MetricsOptions o;
    o.depth = depth;
    ConstExpr e = ConstExpr::parse(limit);
    o.limit = [e](slong prec) { return e.value(prec); };
    o.limit_source = std::string("given:") + limit;
    return compute_metrics(pcf_of(a, b), o);
}

}  // namespace

TEST_CASE("metrics: the reference irrationality measures of DESIGN.md", "[metrics]") {
    // Apery's 6/zeta(3): delta ~ 0.0858 at n = 500
    Metrics ap = with_limit("34n^3+51n^2+27n+5", "-n^6", "6/zeta3", 500);
    REQUIRE(ap.ok);
    CHECK(ap.delta == Approx(0.0858).margin(0.005));
    CHECK(ap.convergence == "exponential");
    CHECK(ap.rate == Approx(3.062).margin(0.01));
    // sqrt 2 = 1 + 1/(2 + 1/(2 + ...)): same delta as 1 + sqrt 2 = 2 + 1/(2 + ...); ~1.001 at n = 1000
    Metrics s2 = with_limit("2", "1", "sqrt(2)+1", 1000);
    REQUIRE(s2.ok);
    CHECK(s2.delta == Approx(1.001).margin(0.005));
    // Brouncker's 4/pi: ~ -0.996
    Metrics br = with_limit("2", "(2n-1)^2", "4/pi+1", 1000);
    REQUIRE(br.ok);
    CHECK(br.delta == Approx(-0.996).margin(0.005));
    CHECK(br.convergence == "polynomial");
}

TEST_CASE("metrics: quadratic irrationals tend to delta = 1", "[metrics]") {
    for (auto [a, b, lim] : {std::tuple{"1", "1", "(1+sqrt(5))/2"}, std::tuple{"2", "2", "sqrt(3)+1"},
                             std::tuple{"3", "1", "(3+sqrt(13))/2"}, std::tuple{"4", "-1", "2+sqrt(3)"}}) {
        INFO(a << " / " << b);
        Metrics m = with_limit(a, b, lim, 1500);
        REQUIRE(m.ok);
        CHECK(m.delta == Approx(1.0).margin(0.01));
        // the trajectory approaches 1 from above, monotonically
        CHECK(m.trajectory.front().delta > m.trajectory.back().delta);
        CHECK(m.fr_k < 0.1);  // at most a power of b's content: no factorial reduction
    }
}

TEST_CASE("metrics: blind limits agree with given ones when convergence is fast", "[metrics]") {
    Metrics given = with_limit("34n^3+51n^2+27n+5", "-n^6", "6/zeta3", 300);
    MetricsOptions o;
    o.depth = 300;
    Metrics blind = compute_metrics(pcf_of("34n^3+51n^2+27n+5", "-n^6"), o);
    REQUIRE(blind.ok);
    CHECK(blind.limit_source == "blind");
    CHECK(blind.limit_depth > 300);
    CHECK(blind.limit_depth <= 310);  // 3 digits per term: a few terms give 8 more digits
    CHECK(blind.limit_digits >= 8);
    CHECK(blind.limit_reliable);
    CHECK(blind.delta == Approx(given.delta).margin(1e-6));
    // slow convergence: the blind limit is flagged
    MetricsOptions ob;
    ob.depth = 1000;
    std::vector<std::string> steps;
    ob.progress = [&](const std::string& s) { steps.push_back(s); };
    Metrics slow = compute_metrics(pcf_of("2", "(2n-1)^2"), ob);
    CHECK_FALSE(slow.limit_reliable);
    CHECK(slow.limit_depth == 2000);
    // each step of a long run is reported: the convergents, the jump to the blind limit, the gcds
    REQUIRE(steps.size() == 21);
    CHECK(steps[0] == "metrics: exact convergents to n = 44 (1/10)");
    CHECK(steps[9] == "metrics: exact convergents to n = 1000 (10/10)");
    CHECK(steps[10] == "metrics: blind limit from the convergent at n = 2000");
    CHECK(steps[11] == "metrics: gcd and distance at n = 44 (1/10)");
    CHECK(steps[20] == "metrics: gcd and distance at n = 1000 (10/10)");
}

TEST_CASE("metrics: factorial reduction is detected where it exists", "[metrics]") {
    // Apery: gcd(p_n, q_n) grows like (n!)^3 / lcm(1..n)^3, k -> 3 from below
    Metrics ap = with_limit("34n^3+51n^2+27n+5", "-n^6", "6/zeta3", 1000);
    CHECK(ap.fr_stable);
    CHECK(ap.fr_k > 2.0);
    CHECK(ap.fr_k < 3.0);
    // the reduced denominators of Apery grow like lcm(1..n)^3 (17+12 sqrt2)^n: ln q' ~ (3 + 3.525) n
    CHECK(ap.growth_n + ap.growth_nlogn * std::log(1000.0) == Approx(6.53).margin(0.3));
    // the continued fraction of e (a = n+3, b = -n) and the golden ratio: p_n, q_n coprime
    Metrics e = with_limit("n+3", "-n", "e", 1000);
    CHECK(e.fr_k < 0.01);
    Metrics phi = with_limit("1", "1", "(1+sqrt(5))/2", 1000);  // consecutive Fibonacci numbers
    CHECK(phi.fr_k == 0.0);
    CHECK(e.convergence == "factorial");
    // the ratio approaches k like 1/ln n; the fit with a term in n finds k itself: 3 for Apery,
    // 1 for Brouncker's 4/pi + 1 (ratio 0.78 at n = 1000), 2 for zeta(2)'s 11n^2+11n+3 | n^4
    CHECK(ap.fr_k_fit == Approx(3.0).margin(0.05));
    Metrics br = with_limit("2", "(2n-1)^2", "4/pi+1", 1000);
    CHECK(br.fr_k < 0.8);
    CHECK(br.fr_k_fit == Approx(1.0).margin(0.05));
    CHECK(with_limit("11n^2+11n+3", "n^4", "5/zeta2", 1000).fr_k_fit == Approx(2.0).margin(0.05));
    CHECK(std::fabs(e.fr_k_fit) < 0.05);
    CHECK(phi.fr_k_fit == 0.0);
    // ln gcd linear in n: a ratio of 0.25 at n = 500 but no factorial reduction
    MetricsOptions lin;
    lin.depth = 500;
    Metrics l = compute_metrics(pcf_of("n^2", "12n^4-6"), lin);
    CHECK(l.fr_k > 0.2);
    CHECK(std::fabs(l.fr_k_fit) < 0.05);
    // too shallow for a fit
    lin.depth = 50;
    CHECK(std::isnan(compute_metrics(pcf_of("2", "(2n-1)^2"), lin).fr_k_fit));
}

TEST_CASE("metrics: terminating and divergent fractions have none", "[metrics]") {
    MetricsOptions o;
    o.depth = 100;
    CHECK_FALSE(compute_metrics(pcf_of("2", "n-30"), o).ok);
    CHECK_FALSE(compute_metrics(pcf_of("1", "-1"), o).ok);
    // b(101) = 0: x_100 is already the value, which is where an evaluation of it stops
    Metrics end = compute_metrics(pcf_of("2", "n-101"), o);
    CHECK_FALSE(end.ok);
    CHECK(end.note == "the fraction terminates at n = 101");
    // the fraction's end is said even below the depth metrics need
    o.depth = 5;
    CHECK(compute_metrics(pcf_of("2", "n-3"), o).note == "the fraction terminates at n = 3");
}
