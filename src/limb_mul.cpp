#include "src/limb_mul.hpp"

#include <cstring>
#include <memory>

namespace cvg {
namespace {

#if defined(__x86_64__) && defined(__BMI2__) && defined(__ADX__)
constexpr bool kAdx = true;

// Schoolbook: rp[0 .. un + vn) = up * vp (un, vn >= 1), one row rp[j ..] += up * vp[j] per limb
// of vp. Limb i of a row is rp[i] + lo(up[i] v) + hi(up[i - 1] v): the lows are added on the
// carry flag (adcx), the highs on the overflow flag (adox): two independent carry chains.
// Nothing between those additions may touch the flags: the inner loops count with lea and
// jrcxz. The whole row loop is in one asm block to keep the per-row overhead small.
void basecase(mp_limb_t* rp, const mp_limb_t* up, mp_size_t un, const mp_limb_t* vp, mp_size_t vn) {
    std::memset(rp, 0, static_cast<std::size_t>(un) * sizeof(mp_limb_t));
    mp_size_t rem = un & 3, blocks = un >> 2;
    mp_limb_t a, b, p, v;
    const mp_limb_t* u;
    mp_limb_t* r;
    asm volatile(
        "0:\n\t"
        "mov (%[vp]), %%rdx\n\t"
        "mov %[up], %[u]\n\t"
        "mov %[rp], %[r]\n\t"
        "xor %k[p], %k[p]\n\t"  // p = 0, CF = OF = 0
        "mov %[rem], %%rcx\n\t"
        "jrcxz 2f\n"
        "1:\n\t"  // single limbs
        "mulx (%[u]), %[a], %[b]\n\t"
        "adcx (%[r]), %[a]\n\t"
        "adox %[p], %[a]\n\t"
        "mov %[a], (%[r])\n\t"
        "mov %[b], %[p]\n\t"
        "lea 8(%[u]), %[u]\n\t"
        "lea 8(%[r]), %[r]\n\t"
        "lea -1(%%rcx), %%rcx\n\t"
        "jrcxz 2f\n\t"
        "jmp 1b\n"
        "2:\n\t"
        "mov %[blocks], %%rcx\n\t"
        "jrcxz 4f\n"
        "3:\n\t"  // four limbs
        "mulx (%[u]), %[a], %[b]\n\t"
        "adcx (%[r]), %[a]\n\t"
        "adox %[p], %[a]\n\t"
        "mov %[a], (%[r])\n\t"
        "mulx 8(%[u]), %[a], %[p]\n\t"
        "adcx 8(%[r]), %[a]\n\t"
        "adox %[b], %[a]\n\t"
        "mov %[a], 8(%[r])\n\t"
        "mulx 16(%[u]), %[a], %[b]\n\t"
        "adcx 16(%[r]), %[a]\n\t"
        "adox %[p], %[a]\n\t"
        "mov %[a], 16(%[r])\n\t"
        "mulx 24(%[u]), %[a], %[p]\n\t"
        "adcx 24(%[r]), %[a]\n\t"
        "adox %[b], %[a]\n\t"
        "mov %[a], 24(%[r])\n\t"
        "lea 32(%[u]), %[u]\n\t"
        "lea 32(%[r]), %[r]\n\t"
        "lea -1(%%rcx), %%rcx\n\t"
        "jrcxz 4f\n\t"
        "jmp 3b\n"
        "4:\n\t"
        "mov $0, %k[a]\n\t"  // mov leaves the flags alone
        "adcx %[a], %[p]\n\t"
        "adox %[a], %[p]\n\t"
        "mov %[p], (%[r])\n\t"  // the row's carry limb, rp[j + un]
        "lea 8(%[vp]), %[vp]\n\t"
        "lea 8(%[rp]), %[rp]\n\t"
        "dec %[vn]\n\t"
        "jnz 0b\n\t"
        : [rp] "+r"(rp), [vp] "+r"(vp), [vn] "+r"(vn), [a] "=&r"(a), [b] "=&r"(b), [p] "=&r"(p),
          [u] "=&r"(u), [r] "=&r"(r), "=&d"(v)
        : [up] "r"(up), [rem] "r"(rem), [blocks] "r"(blocks)
        : "rcx", "cc", "memory");
}

// Below this Karatsuba's additions cost more than the products they save (measured).
constexpr mp_size_t kKaratsubaLimbs = 24;

mp_size_t karatsuba_scratch(mp_size_t n) { return n < kKaratsubaLimbs ? 0 : 4 * n + 8 + karatsuba_scratch((n + 1) / 2); }

// |x - y| for x of xn limbs and y of yn <= xn limbs into d (xn limbs); true when x < y.
bool abs_diff(mp_limb_t* d, const mp_limb_t* x, mp_size_t xn, const mp_limb_t* y, mp_size_t yn) {
    bool x_small = (xn == yn || mpn_zero_p(x + yn, xn - yn)) && mpn_cmp(x, y, yn) < 0;
    if (x_small) {
        mpn_sub_n(d, y, x, yn);  // x's limbs above yn are zero then
        std::memset(d + yn, 0, static_cast<std::size_t>(xn - yn) * sizeof(mp_limb_t));
    } else {
        mpn_sub(d, x, xn, y, yn);
    }
    return x_small;
}

// rp[0 .. 2n) = up * vp, Karatsuba above kKaratsubaLimbs: with u = u0 + u1 B^h, v = v0 + v1 B^h,
// u v = z0 + (z0 + z2 + (u0 - u1)(v1 - v0)) B^h + z2 B^2h, z0 = u0 v0, z2 = u1 v1.
void karatsuba(mp_limb_t* rp, const mp_limb_t* up, const mp_limb_t* vp, mp_size_t n, mp_limb_t* scratch) {
    if (n < kKaratsubaLimbs) {
        basecase(rp, up, n, vp, n);
        return;
    }
    const mp_size_t h = (n + 1) / 2, l = n - h;  // l = h or h - 1
    mp_limb_t *du = scratch, *dv = du + h, *z1 = dv + h, *t = z1 + 2 * h, *next = t + 2 * h + 1;
    bool u_neg = abs_diff(du, up, h, up + h, l);  // u0 < u1
    bool v_pos = abs_diff(dv, vp, h, vp + h, l);  // v0 < v1
    karatsuba(rp, up, vp, h, next);                  // z0 in rp[0, 2h)
    karatsuba(rp + 2 * h, up + h, vp + h, l, next);  // z2 in rp[2h, 2n)
    karatsuba(z1, du, dv, h, next);                  // |(u0 - u1)(v1 - v0)|
    // t = z0 + z2 +- z1 = u0 v1 + u1 v0 >= 0, then added at B^h
    t[2 * h] = mpn_add(t, rp, 2 * h, rp + 2 * h, 2 * l);
    if (u_neg == v_pos) t[2 * h] -= mpn_sub_n(t, t, z1, 2 * h);  // the product is negative
    else t[2 * h] += mpn_add_n(t, t, z1, 2 * h);
    mpn_add(rp + h, rp + h, 2 * n - h, t, 2 * h + 1);
}

#else
constexpr bool kAdx = false;
#endif

}  // namespace

bool limb_mul_uses_adx() { return kAdx; }

namespace {

// rp[0 .. 2n) = up * vp with scratch of mul_scratch(n) limbs.
mp_size_t mul_scratch(mp_size_t n) {
#if defined(__x86_64__) && defined(__BMI2__) && defined(__ADX__)
    return karatsuba_scratch(n);
#else
    (void)n;
    return 0;
#endif
}

void mul(mp_limb_t* rp, const mp_limb_t* up, const mp_limb_t* vp, mp_size_t n, mp_limb_t* scratch) {
#if defined(__x86_64__) && defined(__BMI2__) && defined(__ADX__)
    karatsuba(rp, up, vp, n, scratch);
#else
    (void)scratch;
    mpn_mul_n(rp, up, vp, n);
#endif
}

// r = -b mod B^limbs + 1 for normalised b
void neg_mod(mp_limb_t* r, const mp_limb_t* b, mp_size_t limbs) {
    if (b[limbs]) {  // -(-1) = 1
        std::memset(r, 0, static_cast<std::size_t>(limbs + 1) * sizeof(mp_limb_t));
        r[0] = 1;
    } else if (mpn_zero_p(b, limbs)) {
        std::memset(r, 0, static_cast<std::size_t>(limbs + 1) * sizeof(mp_limb_t));
    } else {  // p - b = ~b + 2, at most B^limbs
        mpn_com(r, b, limbs);
        r[limbs] = mpn_add_1(r, r, limbs, 2);
    }
}

}  // namespace

void limb_mul_n(mp_limb_t* rp, const mp_limb_t* up, const mp_limb_t* vp, mp_size_t n) {
    mp_size_t need = mul_scratch(n);
    if (need == 0) return mul(rp, up, vp, n, nullptr);
    auto scratch = std::make_unique<mp_limb_t[]>(static_cast<std::size_t>(need));
    mul(rp, up, vp, n, scratch.get());
}

mp_size_t mulmod_fermat_scratch(mp_size_t limbs) { return 2 * limbs + mul_scratch(limbs); }

void mulmod_fermat(mp_limb_t* r, const mp_limb_t* a, const mp_limb_t* b, mp_size_t limbs, mp_limb_t* scratch) {
    if (a[limbs]) return neg_mod(r, b, limbs);  // a = B^limbs = -1
    if (b[limbs]) return neg_mod(r, a, limbs);
    // a b = lo + hi B^limbs = lo - hi (mod B^limbs + 1)
    mp_limb_t* t = scratch;
    mul(t, a, b, limbs, scratch + 2 * limbs);
    r[limbs] = 0;
    if (mpn_sub_n(r, t, t + limbs, limbs)) r[limbs] = mpn_add_1(r, r, limbs, 1);  // wrapped: + p
}

}  // namespace cvg
