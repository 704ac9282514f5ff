#include "src/digits_out.hpp"

#include "src/fft_mul.hpp"

#include <oneapi/tbb/parallel_invoke.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace cvg {
namespace {

// Numbers with more digits than this are split in two by a power of ten and the halves
// converted as parallel tasks (GMP's conversion is serial). Below it a split only costs.
constexpr long kSplitDigits = 150000;

// Bits kept beyond the quotient's own: the truncated quotient is wrong with probability ~2^-60.
constexpr flint_bitcnt_t kGuardBits = 64;

// Writes the n decimal digits of 0 <= z < 10^n, with leading zeros, to dst[0..n).
void write_digits(const Int& z, long n, char* dst) {
    if (n < kSplitDigits || tbb::this_task_arena::max_concurrency() < 2) {
        std::memset(dst, '0', static_cast<std::size_t>(n));
        if (z.is_zero()) return;
        std::string s = z.str();
        std::memcpy(dst + n - static_cast<long>(s.size()), s.data(), s.size());
        return;
    }
    long low = n / 2;
    Int pow, hi, lo;
    fmpz_ui_pow_ui(pow.get(), 10, static_cast<ulong>(low));
    fmpz_tdiv_qr(hi.get(), lo.get(), z.get(), pow.get());
    tbb::parallel_invoke([&] { write_digits(hi, n - low, dst); },
                         [&] { write_digits(lo, low, dst + (n - low)); });
}

// z = floor(P T / Q) from the operands cut to their top bits, or false when the truncation
// could have changed the quotient (then the caller divides the full operands).
//   P = P' 2^s + a, Q = Q' 2^s + b (0 <= a, b < 2^s), P' T = z Q' + r:
//   P T / Q < (P' + 1) T / Q' = z + (r + T) / Q'  -> floor <= z when r + T <= Q';
//   P T / Q > P' T / (Q' + 1) >= z                 when r >= z.
bool truncated_quotient(Int& z, const Int& P, const Int& Q, const Int& T, flint_bitcnt_t s) {
    Int p, q, r;
    fmpz_tdiv_q_2exp(p.get(), P.get(), s);
    fmpz_tdiv_q_2exp(q.get(), Q.get(), s);
    if (fmpz_is_zero(q.get())) return false;
    int_mul(p, p, T);
    fmpz_tdiv_qr(z.get(), r.get(), p.get(), q.get());
    if (fmpz_cmp(r.get(), z.get()) < 0) return false;
    fmpz_add(r.get(), r.get(), T.get());
    return fmpz_cmp(r.get(), q.get()) <= 0;
}

}  // namespace

std::string truncated_digits(const Int& p, const Int& q, long k) {
    if (q.is_zero()) throw std::domain_error("truncated_digits: zero denominator");
    if (k <= 0) return "";
    Int P, Q, T, z;
    fmpz_abs(P.get(), p.get());
    fmpz_abs(Q.get(), q.get());
    fmpz_ui_pow_ui(T.get(), 10, static_cast<ulong>(k - 1));
    flint_bitcnt_t qbits = Q.bits(), tbits = T.bits();
    flint_bitcnt_t zbits = P.bits() + tbits + 1 > qbits ? P.bits() + tbits + 1 - qbits : 0;
    flint_bitcnt_t keep = std::max(zbits, tbits) + kGuardBits;
    if (qbits <= keep || !truncated_quotient(z, P, Q, T, qbits - keep)) {
        int_mul(P, P, T);
        fmpz_tdiv_q(z.get(), P.get(), Q.get());
    }
    return decimal_string(z);
}

std::string decimal_string(const Int& x) {
    if (x.sign() < 0) {
        Int a;
        fmpz_neg(a.get(), x.get());
        return "-" + decimal_string(a);
    }
    // sizeinbase may overshoot by one digit: write with a leading zero, then drop it
    long n = static_cast<long>(fmpz_sizeinbase(x.get(), 10));
    if (n < kSplitDigits) return x.str();
    std::string out(static_cast<std::size_t>(n), '0');
    write_digits(x, n, out.data());
    std::size_t lead = out.find_first_not_of('0');
    if (lead == std::string::npos) return "0";
    out.erase(0, lead);
    return out;
}

}  // namespace cvg
