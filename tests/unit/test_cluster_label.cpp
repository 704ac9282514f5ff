// Labelling one cluster (search/cluster.hpp, docs/BLIND.md "Labels"): members whose limits are
// given as digits, named or not, in clusters built so that each rule decides the outcome.
#include "search/cluster.hpp"
#include "src/const_expr.hpp"
#include "src/decimal.hpp"

#include <catch2/catch.hpp>

#include <random>

using cvg::search::ClusterConfig;
using cvg::search::ClusterMember;
using cvg::search::label_cluster;

namespace {

// A member whose limit is the constant expression `value` (const_expr syntax) to `digits` digits.
ClusterMember member(const std::string& value, long digits) {
    const slong prec = cvg::bits_for_digits(digits) + 64;
    cvg::Decimal d = cvg::certified_decimal(cvg::ConstExpr::parse(value).value(prec), digits);
    ClusterMember m;
    m.value = (d.negative ? "-0." : "0.") + d.digits + "e" + std::to_string(d.exp10);
    m.digits = d.count();
    m.a = "[7,1]";
    m.b = "[3,0,5]";
    m.a_expr = "n+7";
    m.b_expr = "5n^2+3";
    return m;
}

// Members whose limits are random 300-digit numbers: nothing names them or links them.
std::vector<ClusterMember> nameless(size_t count, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<ClusterMember> out;
    for (size_t i = 0; i < count; ++i) {
        ClusterMember m = member("1", 30);
        m.value = "0.";
        m.value += static_cast<char>('1' + rng() % 9);
        for (int k = 1; k < 300; ++k) m.value += static_cast<char>('0' + rng() % 10);
        m.digits = 300;
        out.push_back(m);
    }
    return out;
}

}  // namespace

TEST_CASE("cluster label: every member is screened, not only the most precise", "[cluster]") {
    // 14 nameless members with 300 digits, then three e formulas with 200: the vote through all
    // families tries the most precise members only (and stops after 4 nameless ones)
    std::vector<ClusterMember> c = nameless(14, 1);
    c.push_back(member("(4*e - 11)/(19 - 7*e)", 200));
    c.push_back(member("1/(e - 2)", 200));
    c.push_back(member("8/(3*e^2 - 19)", 200));  // not a Moebius transform: found by the check over {1, e, e^2}
    auto l = label_cluster(c, ClusterConfig{});
    CHECK(l.label == "e");
    CHECK(l.identified == 3);
    for (size_t i = 0; i < 14; ++i) CHECK(l.relations[i].empty());
    CHECK(l.relations[14] == "(-11 + 4*e)/(19 - 7*e)");
    CHECK(l.relations[15] == "1/(-2 + e)");
    CHECK(l.relations[16] == "8/(-19 + 3*e^2)");
    CHECK(l.text == "(-11 + 4*e)/(19 - 7*e)");
    CHECK(l.json.find("\"e\"") != std::string::npos);
}

TEST_CASE("cluster label: one member names a constant, an algebraic kind needs two, a rational none", "[cluster]") {
    std::vector<ClusterMember> pi = nameless(8, 2);
    pi.push_back(member("80/(15*pi - 16)", 150));
    auto l = label_cluster(pi, ClusterConfig{});
    CHECK(l.label == "pi");
    CHECK(l.identified == 1);
    CHECK(l.relations[8] == "80/(-16 + 15*pi)");

    std::vector<ClusterMember> q = nameless(8, 3);
    q.push_back(member("1 + sqrt(2)", 150));
    l = label_cluster(q, ClusterConfig{});
    CHECK(l.label.empty());
    CHECK(l.identified == 0);
    CHECK(l.relations[8].empty());

    q.push_back(member("(1 + sqrt(5))/2", 150));
    l = label_cluster(q, ClusterConfig{});
    CHECK(l.label == "quadratic (phi, sqrt2)");
    CHECK(l.identified == 2);
    CHECK(l.relations[8] == "1 + sqrt2");
    CHECK(l.relations[9] == "phi");

    // a rational limit is a degenerate PCF, not a family's constant: never a name
    std::vector<ClusterMember> r = nameless(8, 4);
    r.push_back(member("-523/135", 150));
    r.push_back(member("16965/19081", 150));
    l = label_cluster(r, ClusterConfig{});
    CHECK(l.label.empty());
    CHECK(l.identified == 0);

    // too few digits to take part (min_label_digits 30): never named
    std::vector<ClusterMember> s = nameless(8, 5);
    s.push_back(member("80/(15*pi - 16)", 25));
    l = label_cluster(s, ClusterConfig{});
    CHECK(l.label.empty());
    CHECK(l.identified == 0);
}
