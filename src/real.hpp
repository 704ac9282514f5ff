// RAII around mpfr_t with an explicit precision per object (no global default precision, so
// threads never race on it).
#pragma once

#include <mpfr.h>

#include <utility>

namespace cvg {

class Real {
public:
    explicit Real(mpfr_prec_t prec) { mpfr_init2(v_, prec); mpfr_set_zero(v_, 1); }
    Real(const Real& o) { mpfr_init2(v_, mpfr_get_prec(o.v_)); mpfr_set(v_, o.v_, MPFR_RNDN); }
    Real(Real&& o) noexcept { mpfr_init2(v_, MPFR_PREC_MIN); mpfr_swap(v_, o.v_); }
    Real& operator=(const Real& o) {
        if (this != &o) { mpfr_set_prec(v_, mpfr_get_prec(o.v_)); mpfr_set(v_, o.v_, MPFR_RNDN); }
        return *this;
    }
    Real& operator=(Real&& o) noexcept { mpfr_swap(v_, o.v_); return *this; }
    ~Real() { mpfr_clear(v_); }

    mpfr_ptr get() { return v_; }
    mpfr_srcptr get() const { return v_; }
    mpfr_prec_t prec() const { return mpfr_get_prec(v_); }

private:
    mpfr_t v_;
};

}  // namespace cvg
