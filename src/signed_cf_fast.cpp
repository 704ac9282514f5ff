#include "src/signed_cf_fast.hpp"

#include <algorithm>
#include <bit>
#include <climits>

namespace cvg {
namespace {

using u128 = unsigned __int128;

// out = a x + b y for n-limb x, y >= 0 and signed word coefficients, when the result is known to
// lie in [0, 2^(64 n)): the carries out of the top limb then cancel. out must not overlap x, y.
void lincomb(mp_limb_t* out, int64_t a, const mp_limb_t* x, int64_t b, const mp_limb_t* y, int n) {
    auto mag = [](int64_t v) { return v >= 0 ? static_cast<uint64_t>(v) : static_cast<uint64_t>(-(v + 1)) + 1; };
    if (a >= 0) {
        mpn_mul_1(out, x, n, mag(a));
        if (b >= 0) mpn_addmul_1(out, y, n, mag(b));
        else mpn_submul_1(out, y, n, mag(b));
    } else if (b >= 0) {
        mpn_mul_1(out, y, n, mag(b));
        mpn_submul_1(out, x, n, mag(a));
    } else {  // both negative: only 0 is possible
        std::fill(out, out + n, mp_limb_t{0});
    }
}

// floor(x / 2^s) for an n-limb x < 2^(s + 63).
uint64_t top_bits(const mp_limb_t* x, int n, int s) {
    const int li = s / 64, bit = s % 64;
    uint64_t v = x[li] >> bit;
    if (bit && li + 1 < n) v |= x[li + 1] << (64 - bit);
    return v;
}

}  // namespace

void SignedCfExpander::start(const Ball& x, const SignPattern& signs, int terms, int limbs, bool fallback) {
    x_ = &x;
    signs_ = signs;
    terms_ = terms;
    fallback_ = fallback;
    k_ = fast_terms_ = skip_ = buf_pos_ = buf_len_ = 0;
    exact_.clear();
    if (terms <= 0 || !arb_is_finite(x.get())) {
        mode_ = Mode::done;
        return;
    }
    limbs_ = first_limbs_ = limbs > 0 ? std::min(limbs, kMaxLimbs) : ball_limbs();
    mode_ = Mode::fast;
    if (!start_fast()) stuck();
}

int SignedCfExpander::ball_limbs() const {
    // 2^-B just below the radius (the most limbs with ceil(rad 2^B) < 2^62, see start_fast), or
    // all the bits of an exact midpoint.
    const arf_struct* mid = arb_midref(x_->get());
    const mag_struct* rad = arb_radref(x_->get());
    slong full = 0;
    if (!mag_is_zero(rad) && !COEFF_IS_MPZ(MAG_EXP(rad))) full = (63 - MAG_EXP(rad)) / 64;
    else if (mag_is_zero(rad) && !arf_is_special(mid) && !COEFF_IS_MPZ(ARF_EXP(mid)))
        full = (64 * ARF_SIZE(mid) - ARF_EXP(mid) + 1 + 63) / 64 + 1;
    return static_cast<int>(std::clamp<slong>(full, 1, kMaxLimbs));
}

void SignedCfExpander::stuck() {
    // again with the ends rounded at the ball's own precision, dropping the terms already given
    full_limbs_ = ball_limbs();
    if (fallback_ && limbs_ < full_limbs_) {
        limbs_ = full_limbs_;
        skip_ = k_;
        buf_pos_ = buf_len_ = 0;
        if (start_fast()) return;
    }
    if (fallback_) switch_to_exact();
    else mode_ = Mode::done;
}

bool SignedCfExpander::start_fast() {
    // |x| 2^B in [Lo, Hi] = [T - R, T + 1 + R] with B = 64 N - 1, T = floor(|mid| 2^B) and
    // R >= rad 2^B, as (N + 1)-limb integers read straight from the ball (no allocation).
    const arf_struct* mid = arb_midref(x_->get());
    const mag_struct* rad = arb_radref(x_->get());
    if (arf_is_special(mid) || COEFF_IS_MPZ(ARF_EXP(mid)) || COEFF_IS_MPZ(MAG_EXP(rad))) return false;
    const int N = limbs_, K = N + 1;
    const slong B = 64 * N - 1, e = ARF_EXP(mid);  // |mid| = D 2^(e - 64 dn), D of dn limbs
    if (e > 62) return false;                      // |x| >= 2^62: a_0 might not fit a word
    mp_srcptr d;
    mp_size_t dn;
    ARF_GET_MPN_READONLY(d, dn, mid);
    mp_limb_t lo[kMaxLimbs + 2] = {}, hi[kMaxLimbs + 2];
    const slong sh = e - 64 * dn + B;  // T = D 2^sh; it has e + B <= 64 K - 3 bits
    if (sh >= 0) {
        const slong ls = sh / 64, bs = sh % 64;
        if (bs) lo[ls + dn] = mpn_lshift(lo + ls, d, dn, static_cast<unsigned>(bs));
        else std::copy(d, d + dn, lo + ls);
    } else if (-sh < 64 * dn) {
        const slong ls = -sh / 64, bs = -sh % 64;
        if (bs) mpn_rshift(lo, d + ls, dn - ls, static_cast<unsigned>(bs));
        else std::copy(d + ls, d + dn, lo);
    }
    uint64_t R = 0;  // ceil(rad 2^B); rad = man 2^(exp - 30)
    if (!mag_is_zero(rad)) {
        const slong t = MAG_EXP(rad) - MAG_BITS + B;
        if (t > 32) return false;  // the ball is far wider than 2^-B
        R = t >= 0 ? MAG_MAN(rad) << t : t > -64 ? (MAG_MAN(rad) >> -t) + 1 : 1;
    }
    std::copy(lo, lo + K, hi);
    if (mpn_sub_1(lo, lo, K, R)) return false;  // the ball contains 0
    mpn_add_1(hi, hi, K, R + 1);
    // integer parts (below 2^62) and fractional parts (the low B bits)
    auto int_part = [&](const mp_limb_t* v) { return (v[N - 1] >> 63) | (v[N] << 1); };
    const uint64_t ilo = int_part(lo), ihi = int_part(hi);
    lo[N - 1] &= ~(uint64_t{1} << 63);
    hi[N - 1] &= ~(uint64_t{1} << 63);
    const bool flo_zero = mpn_zero_p(lo, N), fhi_zero = mpn_zero_p(hi, N);
    // x < 0: floor(x) = -ceil(|x|) with the same fractional part x - floor(x) = ceil(|x|) - |x|
    const bool neg = ARF_SGNBIT(mid), floor_rule = (signs_.sign(0) > 0) != neg;
    uint64_t a;
    End& E0 = ends_[0][0];
    End& E1 = ends_[0][1];  // tail ends: E0 = 2^B / (larger fraction), E1 = 2^B / (smaller one)
    if (floor_rule) {  // fractions |x| - a in [lo, hi] 2^-B
        if (ilo != ihi) return false;
        a = ilo;
        std::copy(hi, hi + N, E0.q);
        std::copy(lo, lo + N, E1.q);
    } else {  // fractions a - |x| in [2^B - hi, 2^B - lo] 2^-B (lo is not 0: then ihi would be ilo + 1)
        const uint64_t clo = ilo + !flo_zero, chi = ihi + !fhi_zero;
        if (clo != chi || flo_zero || fhi_zero) return false;
        a = clo;
        mpn_neg(E0.q, lo, N);  // 2^(64 N) - lo, minus 2^B: clear the top bit
        mpn_neg(E1.q, hi, N);
        E0.q[N - 1] &= ~(uint64_t{1} << 63);
        E1.q[N - 1] &= ~(uint64_t{1} << 63);
    }
    if (mpn_zero_p(E1.q, N)) return false;  // an end at a_0 exactly, or 1/f beyond 2^B: too close to call
    std::fill(E0.p, E0.p + N, mp_limb_t{0});
    std::fill(E1.p, E1.p + N, mp_limb_t{0});
    E0.p[N - 1] = E1.p[N - 1] = uint64_t{1} << 63;
    cur_ = 0;
    n_ = N;
    lower_ = 0;
    buf_[0] = neg ? -static_cast<int64_t>(a) : static_cast<int64_t>(a);
    buf_len_ = 1;
    next_index_ = 1;
    phase_ = 1 % signs_.period;
    return true;
}

int SignedCfExpander::batch() {
    const End* E = ends_[cur_];
    int n = n_;
    while (n > 0 && E[0].p[n - 1] == 0 && E[1].p[n - 1] == 0) --n;
    n_ = n;
    if (n == 0 || mpn_zero_p(E[0].q, n) || mpn_zero_p(E[1].q, n)) return 0;  // an end is exactly rational
    const End& L = E[lower_];
    const End& H = E[1 - lower_];
    // The leading 63 bits: lower end >= u0 / v0 = p^ / (q^ + 1), upper end <= u1 / v1 = (p^ + 1) / q^.
    const uint64_t top = std::max(E[0].p[n - 1], E[1].p[n - 1]);
    const int bits = 64 * (n - 1) + 64 - std::countl_zero(top), s = std::max(0, bits - 63);
    uint64_t u0, v0, u1, v1;
    if (s == 0) {  // one word: exact
        u0 = L.p[0], v0 = L.q[0], u1 = H.p[0], v1 = H.q[0];
    } else {
        u0 = top_bits(L.p, n, s), v0 = top_bits(L.q, n, s) + 1;
        u1 = top_bits(H.p, n, s) + 1, v1 = top_bits(H.q, n, s);
    }
    // Expand both word fractions while their partial quotients agree: every number between them
    // has those terms. (u, v) -> (v, u - a v) for a = floor(u / v), (v, a v - u) for a = ceil(u / v);
    // the matrix U of the steps maps (p, q) to the tail's (p', q').
    int64_t m00 = 1, m01 = 0, m10 = 0, m11 = 1;
    int count = 0, flips = 0, phase = phase_;
    const int cap = static_cast<int>(sizeof buf_ / sizeof buf_[0]);
    while (count < cap && next_index_ < terms_ && v0 != 0 && v1 != 0) {
        const bool minus = (signs_.minus >> phase) & 1;
        uint64_t a = u0 / v0, r0 = u0 - a * v0, r1;
        if (minus && r0) ++a, r0 = v0 - r0;  // ceil: a v - u = v - (u mod v)
        const u128 prod = static_cast<u128>(a) * v1;  // the other end: the same quotient?
        if (minus) {
            if (prod < u1 || prod - u1 >= v1) break;
            r1 = static_cast<uint64_t>(prod - u1);
        } else {
            if (prod > u1 || u1 - prod >= v1) break;
            r1 = static_cast<uint64_t>(u1 - prod);
        }
        if (a > static_cast<uint64_t>(INT64_MAX)) break;
        // row 1 of U becomes row 0 - a row 1 (floor) or a row 1 - row 0 (ceil); stop before overflow
        const int64_t ai = static_cast<int64_t>(a);
        int64_t t0, t1, n10, n11;
        if (__builtin_mul_overflow(ai, m10, &t0) || __builtin_mul_overflow(ai, m11, &t1)) break;
        if (minus ? __builtin_sub_overflow(t0, m00, &n10) || __builtin_sub_overflow(t1, m01, &n11)
                  : __builtin_sub_overflow(m00, t0, &n10) || __builtin_sub_overflow(m01, t1, &n11))
            break;
        if (n10 == INT64_MIN || n11 == INT64_MIN) break;
        m00 = m10, m01 = m11, m10 = n10, m11 = n11;
        u0 = v0, v0 = r0, u1 = v1, v1 = r1;
        buf_[count++] = ai;
        ++next_index_;
        if (++phase == signs_.period) phase = 0;
        if (!minus) flips ^= 1;  // x -> 1/(x - a) reverses the order of the ends, 1/(a - x) keeps it
    }
    if (count == 0) return 0;
    End* F = ends_[cur_ ^ 1];
    for (int e = 0; e < 2; ++e) {
        lincomb(F[e].p, m00, E[e].p, m01, E[e].q, n);
        lincomb(F[e].q, m10, E[e].p, m11, E[e].q, n);
    }
    cur_ ^= 1;
    phase_ = phase;
    lower_ ^= flips;
    buf_len_ = count;
    return count;
}

void SignedCfExpander::switch_to_exact() {
    exact_ = signed_cf(*x_, signs_, terms_);
    mode_ = Mode::exact;
}

bool SignedCfExpander::next(int64_t& a) {
    for (;;) {
        if (k_ >= terms_ || mode_ == Mode::done) return false;
        if (mode_ == Mode::exact) {
            if (k_ >= static_cast<int>(exact_.size())) {
                mode_ = Mode::done;
                return false;
            }
            a = exact_[static_cast<size_t>(k_++)];
            return true;
        }
        if (buf_pos_ < buf_len_) {
            a = buf_[buf_pos_++];
            if (skip_ > 0) {  // a restart gives again the terms already given
                --skip_;
                continue;
            }
            ++k_;
            ++fast_terms_;
            return true;
        }
        buf_pos_ = buf_len_ = 0;
        if (batch() == 0) stuck();
    }
}

std::vector<int64_t> signed_cf_fast(const Ball& x, const SignPattern& signs, int terms) {
    thread_local SignedCfExpander e;
    std::vector<int64_t> out;
    e.start(x, signs, terms);
    for (int64_t a; e.next(a);) out.push_back(a);
    return out;
}

}  // namespace cvg
