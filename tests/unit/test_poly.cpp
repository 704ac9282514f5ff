#include "src/poly.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>

using cvg::Int;
using cvg::ParseError;
using cvg::Poly;

TEST_CASE("poly: parses the DESIGN.md examples into canonical forms", "[poly]") {
    struct Case { const char* in; const char* expr; const char* list; };
    const Case cases[] = {
        {"34n^3+51n^2+27n+5", "34n^3+51n^2+27n+5", "[5,27,51,34]"},
        {"-n^6", "-n^6", "[0,0,0,0,0,0,-1]"},
        {"(2n-1)^2", "4n^2-4n+1", "[1,-4,4]"},
        {"2", "2", "[2]"},
        {"3*n - 1", "3n-1", "[-1,3]"},
        {"  n ", "n", "[0,1]"},
        {"n(n+1)", "n^2+n", "[0,1,1]"},
        {"(n+1)(n-1)", "n^2-1", "[-1,0,1]"},
        {"-(n+2)^3 + n^3", "-6n^2-12n-8", "[-8,-12,-6]"},
        {"2*-n", "-2n", "[0,-2]"},
        {"n^0", "1", "[1]"},
        {"0", "0", "[0]"},
        {"n-n", "0", "[0]"},
        {"(-1)^3", "-1", "[-1]"},
        {"(-1)^1000000000001", "-1", "[-1]"},
        {"1^99999999999999999999", "1", "[1]"},
        {"123456789012345678901234567890n", "123456789012345678901234567890n", "[0,123456789012345678901234567890]"},
    };
    for (const Case& c : cases) {
        INFO(c.in);
        Poly p = Poly::parse(c.in);
        CHECK(p.to_expr() == c.expr);
        CHECK(p.to_list() == c.list);
        CHECK(Poly::parse(p.to_expr()) == p);  // round trip
    }
}

TEST_CASE("poly: round trip on random polynomials", "[poly]") {
    std::mt19937_64 rng(12345);
    for (int trial = 0; trial < 500; ++trial) {
        int deg = static_cast<int>(rng() % 8);
        std::vector<Int> c;
        for (int i = 0; i <= deg; ++i) {
            slong v = static_cast<slong>(rng() % 2001) - 1000;
            if (trial % 7 == 0) v *= 1000000007LL;
            c.emplace_back(v);
        }
        Poly p(c);
        INFO(p.to_expr());
        CHECK(Poly::parse(p.to_expr()) == p);
        // evaluation agrees between exact, int64 and double at small n
        for (slong n : {0L, 1L, 7L, -3L}) {
            int64_t v64 = 0;
            REQUIRE(p.eval_i64(n, v64));
            CHECK(fmpz_equal_si(p.eval(n).get(), v64));
            if (std::llabs(v64) < (1LL << 53)) CHECK(p.eval_d(static_cast<double>(n)) == static_cast<double>(v64));
        }
    }
}

TEST_CASE("poly: int64 evaluation reports overflow instead of wrapping", "[poly]") {
    Poly p = Poly::parse("-n^6");
    int64_t v = 0;
    CHECK(p.eval_i64(1000, v));
    CHECK(v == -1000000000000000000LL);
    CHECK_FALSE(p.eval_i64(2000, v));  // 6.4e19 does not fit
    CHECK(p.eval(2000).str() == "-64000000000000000000");
    Poly big = Poly::parse("100000000000000000000n");  // coefficient beyond int64
    CHECK_FALSE(big.fits_i64());
    CHECK_FALSE(big.eval_i64(1, v));
}

TEST_CASE("poly: malformed input is rejected with a message naming the problem", "[poly]") {
    struct Case { const char* in; const char* msg; };
    const Case cases[] = {
        {"3n^", "missing exponent"},
        {"n^-1", "negative exponent"},
        {"x+1", "unknown symbol 'x'"},
        {"1.5n", "coefficients must be integers"},
        {"n^100000", "exceeds the maximum"},
        {"(n+1)^1000", "exceeds the maximum"},
        {"n^40*n^40", "exceeds the maximum"},
        {"", "empty polynomial"},
        {"   ", "empty polynomial"},
        {"n+", "missing term"},
        {"(n+1", "missing ')'"},
        {"n)", "unexpected ')'"},
        {"()", "empty parentheses"},
        {"2 3", "missing operator"},
        {"n2", "missing operator"},
        {"n^2^3", "chained"},
        {"nn^x", "unknown symbol"},
        {"2^5000", "coefficient larger"},
        {"10^10^10", "chained"},
        {"n^n", "non-negative integer"},
        {"3n$", "unexpected '$'"},
        {"*n", "unexpected '*'"},
    };
    for (const Case& c : cases) {
        INFO(c.in);
        try {
            Poly::parse(c.in);
            FAIL("accepted " << c.in);
        } catch (const ParseError& e) {
            CHECK_THAT(e.what(), Catch::Contains(c.msg));
        }
    }
    std::string huge(5000, '9');
    CHECK_THROWS_AS(Poly::parse(huge), ParseError);
}

TEST_CASE("poly: integer roots", "[poly]") {
    auto roots = [](const char* s) {
        std::vector<long> r;
        for (const Int& x : Poly::parse(s).integer_roots()) r.push_back(fmpz_get_si(x.get()));
        return r;
    };
    CHECK(roots("n-5") == std::vector<long>{5});
    CHECK(roots("1-9n^2").empty());             // roots +-1/3
    CHECK(roots("(n-3)(n+2)(2n-1)") == std::vector<long>{-2, 3});
    CHECK(roots("-n^6") == std::vector<long>{0});
    CHECK(roots("n^2+1").empty());
    CHECK(roots("7").empty());
}
