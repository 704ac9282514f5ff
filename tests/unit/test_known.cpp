// The classical formulas built into convergent (search/known_pcfs.csv) and match_known: a formula
// is known up to a(n) -> c(n) a(n+k), b(n) -> c(n) c(n-1) b(n+k), and nothing else.
#include "search/known.hpp"
#include "src/csv.hpp"

#include <catch2/catch.hpp>

using cvg::Pcf;
using cvg::Poly;
using cvg::search::match_known;

namespace {

Pcf pcf(const char* a, const char* b) { return {Poly::parse(a), Poly::parse(b)}; }

std::string id_of(const Pcf& p, int max_shift = 8) {
    const auto* k = match_known(p, max_shift);
    return k ? k->id : "";
}

}  // namespace

TEST_CASE("known: the built-in list is the csv, each row matching itself", "[known]") {
    auto rows = cvg::read_csv(KNOWN_PCFS_CSV);
    const auto& list = cvg::search::known_pcfs();
    REQUIRE(list.size() == rows.size());
    REQUIRE(list.size() >= 20);
    for (size_t i = 0; i < list.size(); ++i) {
        CHECK(list[i].id == rows[i]["id"]);
        CHECK(match_known(list[i].pcf) != nullptr);
    }
    CHECK(list[1].pcf.a.to_expr() == "2n+1");
    CHECK(list[1].pcf.b.to_expr() == "n^2");
}

TEST_CASE("known: equivalence transforms and tails match, other formulas do not", "[known]") {
    const std::string euler = "classical_02_euler_4_over_pi";  // 4/pi: a = 2n+1, b = n^2
    CHECK(id_of(pcf("2n+1", "n^2")) == euler);
    CHECK(id_of(pcf("-2n-1", "n^2")) == euler);         // c = -1
    CHECK(id_of(pcf("6n+3", "9n^2")) == euler);         // c = 3
    CHECK(id_of(pcf("2n+7", "n^2+6n+9")) == euler);     // the tail from n = 3
    CHECK(id_of(pcf("2n-1", "n^2-2n+1")) == euler);     // shifted back by one
    CHECK(id_of(pcf("2n+19", "n^2+18n+81")).empty());   // shift 9 > the default 8
    CHECK(id_of(pcf("2n+19", "n^2+18n+81"), 9) == euler);
    CHECK(id_of(pcf("6n+3", "3n^2")).empty());          // b scaled by 3, not by 3^2
    CHECK(id_of(pcf("2n+1", "n^2+1")).empty());
    CHECK(id_of(pcf("2n+1", "-n^2")).empty());
    CHECK(id_of(pcf("0", "1")).empty());
}

TEST_CASE("known: polynomial multiples c(n) of a formula match it, when c has no root at n >= 0", "[known]") {
    const std::string phi = "classical_15_golden_ratio", euler = "classical_02_euler_4_over_pi";
    CHECK(id_of(pcf("n+1", "n^2+n")) == phi);                  // c = n + 1: convergents times (n+1)!
    CHECK(id_of(pcf("2n+3", "4n^2+4n")).empty());              // c = 2n + 3 needs (2n+3)(2n+1) = 4n^2+8n+3
    CHECK(id_of(pcf("2n+3", "4n^2+8n+3")) == phi);
    CHECK(id_of(pcf("n", "n^2-n")).empty());                   // c = n is 0 at n = 0
    CHECK(id_of(pcf("n-2", "n^2-5n+6")).empty());              // c = n - 2 is 0 at n = 2
    CHECK(id_of(pcf("n+1", "n^2+n+1")).empty());
    // Euler's 4/pi times c = (n+1)/2: a = (n+1)(2n+1)/2 is not an integer polynomial, times 2 it is:
    // c = n + 1, a = 2n^2+3n+1, b = (n+1) n n^2
    CHECK(id_of(pcf("2n^2+3n+1", "n^4+n^3")) == euler);
    CHECK(id_of(pcf("2n^2+3n+1", "n^4+n^3+1")).empty());
    // and a multiple of a tail: c = n + 1 on the tail from n = 1 (2n+3 | (n+1)^2)
    CHECK(id_of(pcf("2n^2+5n+3", "n^4+3n^3+3n^2+n")) == euler);
}
