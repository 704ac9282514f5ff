#include "src/screen.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace cvg;

namespace {
Pcf pcf(const char* a, const char* b) { return Pcf{Poly::parse(a), Poly::parse(b)}; }
}

TEST_CASE("screen: values of classical PCFs in double precision", "[screen]") {
    ScreenResult r = screen(pcf("34n^3+51n^2+27n+5", "-n^6"), 32);
    REQUIRE(r.status == ScreenStatus::ok);
    CHECK(r.value == Approx(6.0 / 1.2020569031595942854).epsilon(1e-15));
    CHECK(r.rel_step < 1e-15);
    ScreenResult s = screen(pcf("2", "1"), 32);  // 1 + sqrt 2
    CHECK(s.value == Approx(1.0 + std::sqrt(2.0)).epsilon(1e-12));
    ScreenResult e = screen(pcf("3+n", "-n"), 32);  // e = 3 - 1/(4 - 2/(5 - ...))
    CHECK(e.value == Approx(std::exp(1.0)).epsilon(1e-15));
}

TEST_CASE("screen: terminating, singular and overflowing PCFs are reported, not valued", "[screen]") {
    ScreenResult t = screen(pcf("2", "n-3"), 32);  // b(3) = 0: the fraction ends
    CHECK(t.status == ScreenStatus::terminated);
    CHECK(t.depth == 3);
    CHECK(t.value == Approx(2.0 / 3.0));  // x_2 = 2 + (-2)/(2 + (-1)/2)
    // q_n = 0 at the last step: a(n) = 0, b(n) = 1 gives q = 1, 0, 1, 0, ...
    ScreenResult z = screen(pcf("0", "1"), 31);
    CHECK(z.status == ScreenStatus::q_zero);
    // coefficients beyond double range overflow: reported, not a value
    std::string huge = "1" + std::string(400, '0') + "n";
    ScreenResult o = screen(pcf(huge.c_str(), "1"), 32);
    CHECK(o.status == ScreenStatus::overflow);
    // huge but finite growth is rescaled, not overflowed
    ScreenResult big = screen(pcf("1000000n^8", "1000000n^16"), 256);
    CHECK(big.status == ScreenStatus::ok);
    CHECK(std::isfinite(big.value));
}

TEST_CASE("screen: a divergent PCF shows a large relative step", "[screen]") {
    ScreenResult r = screen(pcf("1", "-1"), 31);  // period-6 oscillation
    CHECK((r.status != ScreenStatus::ok || r.rel_step > 0.1));
}
