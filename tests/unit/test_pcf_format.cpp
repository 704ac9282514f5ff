#include "src/pcf_format.hpp"

#include <catch2/catch.hpp>

using namespace cvg;

TEST_CASE("pcf_format: continued fractions as text and LaTeX", "[format]") {
    Pcf apery{Poly::parse("34n^3+51n^2+27n+5"), Poly::parse("-n^6")};
    CHECK(cf_text(apery, 3) == "5 - 1/(117 - 64/(535 - 729/(1463 + ...)))");
    CHECK(cf_latex(apery, 2) == "5 - \\cfrac{1}{117 - \\cfrac{64}{535 + \\dotsb}}");
    CHECK(poly_latex(apery.a) == "34n^{3}+51n^{2}+27n+5");
    Pcf brouncker{Poly::parse("2"), Poly::parse("(2n-1)^2")};
    CHECK(cf_text(brouncker, 2) == "2 + 1/(2 + 9/(2 + ...))");
    Pcf finite{Poly::parse("2"), Poly::parse("n-3")};  // b(3) = 0 ends it after a(2)
    CHECK(cf_text(finite, 5) == "2 - 2/(2 - 1/(2))");
}

TEST_CASE("pcf_format: constant names in LaTeX", "[format]") {
    CHECK(constant_latex("pi") == "\\pi");
    CHECK(constant_latex("zeta3") == "\\zeta(3)");
    CHECK(constant_latex("pi^2*log2") == "\\pi^{2} \\log 2");
    CHECK(constant_latex("log2^2") == "(\\log 2)^{2}");
}
