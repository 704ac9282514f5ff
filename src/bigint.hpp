// RAII value types around FLINT's fmpz_t (arbitrary-size integers with an inline small-value
// fast path) and Arb's arb_t (real balls), so that no C number object can leak or be copied
// by accident. Everything else in the core uses these.
#pragma once

#include <flint/fmpz.h>
#include <arb.h>
#include <gmpxx.h>

#include <string>

namespace cvg {

class Int {
public:
    Int() { fmpz_init(v_); }
    Int(slong x) { fmpz_init_set_si(v_, x); }  // NOLINT(google-explicit-constructor)
    explicit Int(const mpz_class& x) { fmpz_init(v_); fmpz_set_mpz(v_, x.get_mpz_t()); }
    Int(const Int& o) { fmpz_init_set(v_, o.v_); }
    Int(Int&& o) noexcept { *v_ = *o.v_; *o.v_ = 0; }  // an fmpz is one word: move it
    Int& operator=(const Int& o) { fmpz_set(v_, o.v_); return *this; }
    Int& operator=(Int&& o) noexcept { fmpz_swap(v_, o.v_); return *this; }
    ~Int() { fmpz_clear(v_); }

    fmpz* get() { return v_; }
    const fmpz* get() const { return v_; }

    int sign() const { return fmpz_sgn(v_); }
    bool is_zero() const { return fmpz_is_zero(v_); }
    flint_bitcnt_t bits() const { return fmpz_bits(v_); }
    mpz_class to_mpz() const { mpz_class r; fmpz_get_mpz(r.get_mpz_t(), v_); return r; }
    std::string str() const;            // decimal
    double log10_abs() const;           // log10|x|, -inf for 0; good to ~1e-15 relative

    friend bool operator==(const Int& x, const Int& y) { return fmpz_equal(x.v_, y.v_); }

private:
    fmpz_t v_;
};

class Ball {
public:
    Ball() { arb_init(v_); }
    Ball(const Ball& o) { arb_init(v_); arb_set(v_, o.v_); }
    Ball(Ball&& o) noexcept { arb_init(v_); arb_swap(v_, o.v_); }
    Ball& operator=(const Ball& o) { arb_set(v_, o.v_); return *this; }
    Ball& operator=(Ball&& o) noexcept { arb_swap(v_, o.v_); return *this; }
    ~Ball() { arb_clear(v_); }

    arb_struct* get() { return v_; }
    const arb_struct* get() const { return v_; }

private:
    arb_t v_;
};

}  // namespace cvg
