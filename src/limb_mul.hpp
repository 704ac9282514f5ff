// Products of short limb vectors (up to a few hundred limbs): the pointwise products of the
// transforms in src/fft_mul.cpp, which are most of their work.
//
// GMP 6.2 as packaged by Debian for amd64 is a generic x86-64 build: its schoolbook kernel
// uses neither mulx nor the two carry chains of adcx/adox, which x86 CPUs have had since
// Broadwell / Zen. When the compiler targets BMI2 and ADX (CONVERGENT_NATIVE on such a CPU)
// this file provides that kernel, with Karatsuba on top; otherwise it calls GMP.
#pragma once

#include <gmp.h>

namespace cvg {

// Whether the mulx/adcx/adox kernel is compiled in.
bool limb_mul_uses_adx();

// rp[0 .. 2n) = up[0 .. n) * vp[0 .. n). rp must not overlap up or vp. n >= 1.
void limb_mul_n(mp_limb_t* rp, const mp_limb_t* up, const mp_limb_t* vp, mp_size_t n);

// Scratch limbs that mulmod_fermat needs for `limbs`.
mp_size_t mulmod_fermat_scratch(mp_size_t limbs);

// r = a * b mod B^limbs + 1 (B = 2^64) for a, b normalised (limbs + 1 words, the top word 0, or
// 1 with all others 0 for B^limbs = -1); r (limbs + 1 words) is normalised and may not alias
// a or b.
void mulmod_fermat(mp_limb_t* r, const mp_limb_t* a, const mp_limb_t* b, mp_size_t limbs, mp_limb_t* scratch);

}  // namespace cvg
