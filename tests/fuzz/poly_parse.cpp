// Fuzz target: the polynomial parser (Poly::parse) and what is done with a parsed polynomial.
// Properties: only ParseError is thrown; a parsed polynomial respects the degree and coefficient
// bounds; printing round-trips (parse(to_expr(p)) == p, to_expr is a fixed point); -(p) and
// (p)*(p) parse to -p and p*p; eval_i64 agrees with exact FLINT evaluation whenever it answers
// and refuses only when a Horner step really leaves int64; eval_d is finite when every term is.
#include "tests/fuzz/fuzz_check.hpp"

#include "src/poly.hpp"
#include "src/screen.hpp"

#include <cmath>

using cvg::Int;
using cvg::Poly;

namespace {

// Does some Horner step of p at n leave int64 (or a coefficient not fit)?
bool horner_overflows(const Poly& p, slong n) {
    Int r;
    for (int i = p.degree(); i >= 0; --i) {
        if (!fmpz_fits_si(p.coeffs()[static_cast<size_t>(i)].get())) return true;
        Int t;
        fmpz_mul_si(t.get(), r.get(), n);
        if (!fmpz_fits_si(t.get())) return true;
        fmpz_add(r.get(), t.get(), p.coeffs()[static_cast<size_t>(i)].get());
        if (!fmpz_fits_si(r.get())) return true;
    }
    return false;
}

void check_eval(const Poly& p, std::string_view in) {
    const slong points[] = {0, 1, -1, 2, -3, 7, 1000003, -65537, 2147483647, 3037000499LL};
    for (slong n : points) {
        Int exact = p.eval(n);
        int64_t v = 0;
        bool ok = p.eval_i64(n, v);
        if (ok) {
            FUZZ_CHECK(fmpz_fits_si(exact.get()) && fmpz_get_si(exact.get()) == v, in,
                       "eval_i64 at n=" + std::to_string(n) + " gave " + std::to_string(v) + ", exact " + exact.str());
        } else {
            FUZZ_CHECK(horner_overflows(p, n), in, "eval_i64 refused at n=" + std::to_string(n) + " without overflow");
        }
        // eval_d: finite whenever the sum of |c_i| |n|^i is far from the double range
        double bound = 0;
        for (int i = 0; i <= p.degree(); ++i)
            bound += std::fabs(fmpz_get_d(p.coeffs()[static_cast<size_t>(i)].get())) * std::pow(std::fabs(double(n)), i);
        if (bound < 1e300) {
            double d = p.eval_d(static_cast<double>(n));
            FUZZ_CHECK(std::isfinite(d), in, "eval_d not finite at n=" + std::to_string(n));
            FUZZ_CHECK(d == cvg::ScreenPoly(p)(static_cast<double>(n)), in, "ScreenPoly differs from eval_d");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in = cvg::fuzz::as_text(data, size);
    Poly p;
    try {
        p = Poly::parse(in);
    } catch (const cvg::ParseError& e) {
        FUZZ_CHECK(std::string_view(e.what()).find('\n') == std::string_view::npos || in.find('\n') != in.npos, in,
                   "multi-line error");
        return 0;
    }
    FUZZ_CHECK(p.degree() <= Poly::kMaxDegree, in);
    for (const Int& c : p.coeffs()) FUZZ_CHECK(c.bits() <= Poly::kMaxCoeffBits, in);
    FUZZ_CHECK(p.is_zero() || !p.coeffs().back().is_zero(), in, "leading coefficient 0");

    const std::string expr = p.to_expr();
    Poly q;
    try {
        q = Poly::parse(expr);
    } catch (const cvg::ParseError& e) {
        cvg::fuzz::fail("the canonical form parses", __FILE__, __LINE__, in, expr + ": " + e.what());
    }
    FUZZ_CHECK(q == p, in, "parse(to_expr(p)) != p: " + expr + " -> " + q.to_expr());
    FUZZ_CHECK(q.to_expr() == expr, in, "to_expr is not a fixed point");
    const std::string list = p.to_list();
    FUZZ_CHECK(list.size() >= 3 && list.front() == '[' && list.back() == ']', in, list);

    FUZZ_CHECK(Poly::parse("-(" + expr + ")") == -p, in, "-(p) != -p");
    slong max_bits = 0;
    for (const Int& c : p.coeffs()) max_bits = std::max<slong>(max_bits, static_cast<slong>(c.bits()));
    if (2 * p.degree() <= Poly::kMaxDegree && 2 * max_bits + 8 <= static_cast<slong>(Poly::kMaxCoeffBits))
        FUZZ_CHECK(Poly::parse("(" + expr + ")*(" + expr + ")") == p * p, in, "(p)*(p) != p*p");

    check_eval(p, in);
    return 0;
}
