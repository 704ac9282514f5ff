#include "src/constants.hpp"
#include "src/decimal.hpp"

#include <catch2/catch.hpp>

using namespace cvg;

// Reference digits (truncated) from the literature: OEIS A000796 (pi), A001113 (e),
// A002162 (log 2), A002391 (log 3), A002117 (zeta 3), A013663 (zeta 5), A013665 (zeta 7),
// A006752 (Catalan), A002193 (sqrt 2), A002194 (sqrt 3), A001622 (phi), A001620 (gamma),
// A073003 (Gompertz), A014549 (Gauss), A062539 (lemniscate), A013661 (zeta 2).
TEST_CASE("constants: every named constant matches its published digits", "[constants]") {
    struct Ref { const char* name; const char* digits; };
    const Ref refs[] = {
        {"pi", "3.14159265358979323846264338327950288419716939937510"},
        {"e", "2.71828182845904523536028747135266249775724709369995"},
        {"log2", "0.693147180559945309417232121458176568075500134360255"},
        {"log3", "1.09861228866810969139524523692252570464749055782274"},
        {"zeta3", "1.20205690315959428539973816151144999076498629234049"},
        {"zeta5", "1.03692775514336992633136548645703416805708091950191"},
        {"zeta7", "1.00834927738192282683979754984979675959986356056523"},
        {"catalan", "0.915965594177219015054603514932384110774149374281672"},
        {"sqrt2", "1.41421356237309504880168872420969807856967187537694"},
        {"sqrt3", "1.73205080756887729352744634150587236694280525381038"},
        {"phi", "1.61803398874989484820458683436563811772030917980576"},
        {"euler_gamma", "0.577215664901532860606512090082402431042159335939923"},
        {"gompertz", "0.596347362323194074341078499369279376074177860152548"},
        {"gauss", "0.834626841674073186281429732799046808993993013490347"},
        {"lemniscate", "2.62205755429211981046483958989111941368275495143162"},
        {"zeta2", "1.64493406684822643647241516664602518921894990120679"},
    };
    for (const Ref& r : refs) {
        INFO(r.name);
        Decimal d = certified_decimal(constant_value(r.name, 200), 45);
        REQUIRE(d.count() == 45);
        CHECK(d.str() == std::string(r.digits).substr(0, d.str().size()));
    }
}

TEST_CASE("constants: products, powers, aliases and canonical names", "[constants]") {
    CHECK(parse_constant("pi^2").str() == "pi^2");
    CHECK(parse_constant("log2*pi").str() == "pi*log2");
    CHECK(parse_constant("ln2 * pi * pi").str() == "pi^2*log2");
    CHECK(parse_constant("zeta3").str() == "zeta3");
    CHECK(parse_constant("zeta4").str() == "zeta4");
    // pi^2/6 = zeta(2): check pi^2 against 6*zeta2
    Ball a = constant_value("pi^2", 300), b = constant_value("zeta2", 300);
    arb_mul_ui(b.get(), b.get(), 6, 300);
    CHECK(arb_overlaps(a.get(), b.get()));
    CHECK(arb_rel_accuracy_bits(a.get()) >= 300);
    // lemniscate = pi * gauss
    Ball l = constant_value("lemniscate", 500), pg = constant_value("pi*gauss", 500);
    CHECK(arb_overlaps(l.get(), pg.get()));
}

TEST_CASE("constants: unknown or malformed names are rejected", "[constants]") {
    for (const char* bad : {"", "tau", "pi^", "pi^0", "pi**2", "pi+e", "zeta1", "zeta0", "pi^100", "zeta01", "2pi"}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_constant(bad), ParseError);
    }
    CHECK_THROWS_WITH(parse_constant("tau"), Catch::Contains("unknown constant 'tau'"));
}

TEST_CASE("constants: high precision is accurate and cached values are reused", "[constants]") {
    Ball x = constant_value("zeta3", 20000);
    CHECK(arb_rel_accuracy_bits(x.get()) >= 20000);
    Ball y = constant_value("zeta3", 20000);
    CHECK(arb_equal(x.get(), y.get()));
}
