#include "src/berlekamp_massey.hpp"

namespace cvg {
namespace {

constexpr uint64_t kMersenne61 = (uint64_t{1} << 61) - 1;

uint64_t mulmod(uint64_t a, uint64_t b, uint64_t p) {
    unsigned __int128 x = static_cast<unsigned __int128>(a) * b;
    if (p == kMersenne61) {  // no division: 2^61 = 1 (mod p)
        uint64_t s = (static_cast<uint64_t>(x) & p) + static_cast<uint64_t>(x >> 61);
        s = (s & p) + (s >> 61);
        return s >= p ? s - p : s;
    }
    return static_cast<uint64_t>(x % p);
}

uint64_t powmod(uint64_t a, uint64_t e, uint64_t p) {
    uint64_t r = 1;
    for (; e; e >>= 1, a = mulmod(a, a, p))
        if (e & 1) r = mulmod(r, a, p);
    return r;
}

}  // namespace

std::vector<uint64_t> berlekamp_massey_mod(const std::vector<uint64_t>& seq, uint64_t p) {
    std::vector<uint64_t> C{1}, B{1};
    size_t L = 0, m = 1;
    uint64_t b = 1;
    for (size_t n = 0; n < seq.size(); ++n) {
        uint64_t d = seq[n] % p;  // discrepancy
        for (size_t i = 1; i <= L && i < C.size(); ++i) {
            d += mulmod(C[i], seq[n - i], p);  // seq values are reduced: < p
            if (d >= p) d -= p;
        }
        if (d == 0) {
            ++m;
            continue;
        }
        uint64_t coef = mulmod(d, powmod(b, p - 2, p), p);
        std::vector<uint64_t> T = C;
        if (C.size() < B.size() + m) C.resize(B.size() + m, 0);
        for (size_t i = 0; i < B.size(); ++i) {
            uint64_t t = C[i + m] + p - mulmod(coef, B[i], p);
            C[i + m] = t >= p ? t - p : t;
        }
        if (2 * L <= n) {
            L = n + 1 - L;
            B = T;
            b = d;
            m = 1;
        } else {
            ++m;
        }
    }
    C.resize(L + 1, 0);
    return C;
}

int linear_complexity_mod(const uint64_t* seq, size_t n, uint64_t p, int cap) {
    thread_local std::vector<uint64_t> C, B, T;
    C.assign(n + 1, 0);
    B.assign(n + 1, 0);
    T.resize(n + 1);
    C[0] = B[0] = 1;
    size_t L = 0, m = 1, lenB = 1;
    uint64_t b = 1;
    for (size_t k = 0; k < n; ++k) {
        uint64_t d = seq[k];
        for (size_t i = 1; i <= L; ++i) {
            d += mulmod(C[i], seq[k - i], p);
            if (d >= p) d -= p;
        }
        if (d == 0) {
            ++m;
            continue;
        }
        uint64_t coef = mulmod(d, powmod(b, p - 2, p), p);
        bool grow = 2 * L <= k;
        if (grow) std::copy(C.begin(), C.begin() + static_cast<long>(L + 1), T.begin());
        for (size_t i = 0; i < lenB && i + m <= n; ++i) {
            uint64_t t = C[i + m] + p - mulmod(coef, B[i], p);
            C[i + m] = t >= p ? t - p : t;
        }
        if (grow) {
            size_t oldL = L;
            L = k + 1 - L;
            if (static_cast<int>(L) > cap) return static_cast<int>(L);
            std::swap(B, T);
            lenB = oldL + 1;
            b = d;
            m = 1;
        } else {
            ++m;
        }
    }
    return static_cast<int>(L);
}

std::vector<Rational> berlekamp_massey_q(const std::vector<Int>& seq) {
    // The same algorithm with exact rationals; C, B hold the connection polynomials.
    std::vector<Rational> C(1), B(1);
    fmpq_one(C[0].get());
    fmpq_one(B[0].get());
    size_t L = 0, m = 1;
    Rational b, d, t, coef;
    fmpq_one(b.get());
    for (size_t n = 0; n < seq.size(); ++n) {
        fmpq_set_fmpz_frac(d.get(), seq[n].get(), Int(1).get());
        for (size_t i = 1; i <= L && i < C.size(); ++i) {
            fmpq_set_fmpz_frac(t.get(), seq[n - i].get(), Int(1).get());
            fmpq_addmul(d.get(), C[i].get(), t.get());
        }
        if (fmpq_is_zero(d.get())) {
            ++m;
            continue;
        }
        fmpq_div(coef.get(), d.get(), b.get());
        std::vector<Rational> T = C;
        if (C.size() < B.size() + m) C.resize(B.size() + m);
        for (size_t i = 0; i < B.size(); ++i) fmpq_submul(C[i + m].get(), coef.get(), B[i].get());
        if (2 * L <= n) {
            L = n + 1 - L;
            B = T;
            b = d;
            m = 1;
        } else {
            ++m;
        }
    }
    C.resize(L + 1);
    // a_k = -sum_{i>=1} C[i] a_{k-i}
    std::vector<Rational> c(L);
    for (size_t i = 1; i <= L; ++i) fmpq_neg(c[i - 1].get(), C[i].get());
    return c;
}

bool satisfies(const std::vector<Int>& seq, const std::vector<Rational>& c) {
    Rational sum, t;
    for (size_t k = c.size(); k < seq.size(); ++k) {
        fmpq_zero(sum.get());
        for (size_t i = 0; i < c.size(); ++i) {
            fmpq_set_fmpz_frac(t.get(), seq[k - 1 - i].get(), Int(1).get());
            fmpq_addmul(sum.get(), c[i].get(), t.get());
        }
        fmpq_set_fmpz_frac(t.get(), seq[k].get(), Int(1).get());
        if (!fmpq_equal(sum.get(), t.get())) return false;
    }
    return true;
}

}  // namespace cvg
