#include "src/exact.hpp"
#include "src/mpfr_eval.hpp"

#include <boost/multiprecision/mpfr.hpp>
#include <catch2/catch.hpp>

#include <cmath>

using namespace cvg;
namespace bmp = boost::multiprecision;

namespace {

// x_n = p_n/q_n with Boost.Multiprecision's mpfr_float: an independent implementation of the
// floating-point recurrence (single-threaded test, so Boost's global default precision is safe).
bmp::mpfr_float boost_value(const Pcf& pcf, unsigned n, unsigned digits10) {
    bmp::mpfr_float::default_precision(digits10);
    auto ev = [](const Poly& p, long k) { return bmp::mpfr_float(p.eval(k).str()); };
    bmp::mpfr_float p0 = 1, p1 = ev(pcf.a, 0), q0 = 0, q1 = 1;
    for (unsigned k = 1; k <= n; ++k) {
        bmp::mpfr_float a = ev(pcf.a, k), b = ev(pcf.b, k);
        bmp::mpfr_float p2 = a * p1 + b * p0, q2 = a * q1 + b * q0;
        p0 = p1; p1 = p2; q0 = q1; q1 = q2;
    }
    return p1 / q1;
}

}  // namespace

TEST_CASE("mpfr: the floating recurrence matches exact convergents and Boost", "[mpfr]") {
    struct Case { const char* a; const char* b; unsigned n; };
    for (const Case& c : {Case{"34n^3+51n^2+27n+5", "-n^6", 300}, Case{"2", "(2n-1)^2", 2000},
                          Case{"3n^2+3n+1", "-2n^4", 500}, Case{"n+3", "-n", 400}}) {
        Pcf pcf{Poly::parse(c.a), Poly::parse(c.b)};
        INFO(pcf.describe());
        FloatRecurrence f(pcf, 1024);
        f.advance_to(c.n / 2);
        f.advance_to(c.n);  // resumable
        Convergents e = convergents(pcf, c.n);
        Real x(1024), y(1024), d(1024);
        mpfr_div(x.get(), f.p().get(), f.q().get(), MPFR_RNDN);
        Int g;
        Real pe(4096), qe(4096);
        fmpz_get_mpfr(pe.get(), e.p.get(), MPFR_RNDN);
        fmpz_get_mpfr(qe.get(), e.q.get(), MPFR_RNDN);
        mpfr_div(y.get(), pe.get(), qe.get(), MPFR_RNDN);
        mpfr_sub(d.get(), x.get(), y.get(), MPFR_RNDN);
        mpfr_div(d.get(), d.get(), y.get(), MPFR_RNDN);
        CHECK(mpfr_get_d(d.get(), MPFR_RNDN) == Approx(0.0).margin(1e-280));
        // magnitude of q from the scaled value
        long e2 = 0;
        mpfr_get_d_2exp(&e2, f.q().get(), MPFR_RNDN);
        CHECK(static_cast<unsigned long>(e2 + f.scale2()) == e.q.bits());
        // Boost agrees to its precision
        bmp::mpfr_float bv = boost_value(pcf, c.n, 300);
        mpfr_sub(d.get(), x.get(), bv.backend().data(), MPFR_RNDN);
        mpfr_div(d.get(), d.get(), x.get(), MPFR_RNDN);
        CHECK(std::fabs(mpfr_get_d(d.get(), MPFR_RNDN)) < 1e-280);
    }
}
