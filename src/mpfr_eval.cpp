#include "src/mpfr_eval.hpp"

namespace cvg {

FloatRecurrence::FloatRecurrence(const Pcf& pcf, mpfr_prec_t prec)
    : pcf_(pcf), p1_(prec), p_(prec), q2_(prec), q1_(prec), q_(prec), an_(prec), bn_(prec), t_(prec) {
    mpfr_set_ui(p1_.get(), 1, MPFR_RNDN);  // p_{-1}
    pcf.a.eval(ai_.get(), 0);
    fmpz_get_mpfr(p_.get(), ai_.get(), MPFR_RNDN);
    mpfr_set_ui(q2_.get(), 0, MPFR_RNDN);  // q_{-2} is never used at n >= 2
    mpfr_set_ui(q1_.get(), 0, MPFR_RNDN);
    mpfr_set_ui(q_.get(), 1, MPFR_RNDN);
}

void FloatRecurrence::advance_to(uint64_t n) {
    constexpr mpfr_exp_t kRescale = 1 << 20;
    for (uint64_t k = n_ + 1; k <= n; ++k) {
        pcf_.a.eval(ai_.get(), static_cast<slong>(k));
        pcf_.b.eval(bi_.get(), static_cast<slong>(k));
        fmpz_get_mpfr(an_.get(), ai_.get(), MPFR_RNDN);
        fmpz_get_mpfr(bn_.get(), bi_.get(), MPFR_RNDN);
        mpfr_fmma(t_.get(), an_.get(), p_.get(), bn_.get(), p1_.get(), MPFR_RNDN);
        mpfr_swap(p1_.get(), p_.get()); mpfr_swap(p_.get(), t_.get());
        mpfr_fmma(t_.get(), an_.get(), q_.get(), bn_.get(), q1_.get(), MPFR_RNDN);
        mpfr_swap(q2_.get(), q1_.get()); mpfr_swap(q1_.get(), q_.get()); mpfr_swap(q_.get(), t_.get());
        mpfr_exp_t e = mpfr_zero_p(q_.get()) ? 0 : mpfr_get_exp(q_.get());
        if (e > kRescale || e < -kRescale) {
            for (Real* r : {&p1_, &p_, &q2_, &q1_, &q_}) mpfr_mul_2si(r->get(), r->get(), -e, MPFR_RNDN);
            scale2_ += e;
        }
    }
    if (n > n_) n_ = n;
}

}  // namespace cvg
