#!/usr/bin/env python3
"""ESMA's expand + F_p prefilter stage in Python/mpmath: the peer of bench_esma.

The same workload as tests/bench/bench_esma.cpp: every distinct x = P(K)/Q(K) with P, Q of degree
<= 1 and coefficients in [-coef, coef] (reduced, denominator's leading coefficient positive, not
constant: 6,608 values for coef 5), expanded as a signed continued fraction for each of the 4 sign
patterns of period <= 2 (+, -, +-, -+): a_k = floor(x_k) before a + sign, ceil(x_k) before a -,
x_{k+1} = 1/(x_k - a_k) or 1/(a_k - x_k). Each term goes straight into Berlekamp-Massey over F_p
(p = 2^61 - 1), and the expansion stops as soon as the linear complexity L exceeds terms/4 + 4
(after at least min(terms, 40) terms), as in `convergent esma`. The way a Python implementation
(such as ESMA's own) does it: x is an mpmath number at the same working precision (16 terms + 256
bits), expanded as such (no rigorous stop where the precision runs out). One thread; the time is
the median of --reps runs over all candidates, K computed once outside the timing.

  /usr/bin/python3 tests/bench/esma_peer.py [--constant e] [--terms 100] [--coef 5] [--reps 3]

Prints a RESULT line in the format of bench_esma (and ../shared/bench/compare.py).
"""
import argparse
import math
import statistics
import time

from mpmath import mp, mpf, floor, ceil

P = (1 << 61) - 1


def candidates(lo, hi):
    """(num, den) coefficient tuples ascending in K, as esma_candidates(1, lo, hi)."""
    seen = set()
    r = range(lo, hi + 1)
    for c0 in r:
        for c1 in r:
            for d0 in r:
                for d1 in r:
                    if (c0, c1) == (0, 0) or (d0, d1) == (0, 0):
                        continue
                    if c0 * d1 == c1 * d0:  # proportional: a constant (or a common linear factor)
                        continue
                    g = math.gcd(math.gcd(c0, c1), math.gcd(d0, d1))
                    n0, n1, e0, e1 = c0 // g, c1 // g, d0 // g, d1 // g
                    if (e1 if e1 else e0) < 0:  # the denominator's leading coefficient positive
                        n0, n1, e0, e1 = -n0, -n1, -e0, -e1
                    num = (n0, n1) if n1 else (n0,)
                    den = (e0, e1) if e1 else (e0,)
                    seen.add((num, den))
    return sorted(seen)


class LinearComplexity:
    """Berlekamp-Massey over F_p, one term at a time: the linear complexity so far."""

    def __init__(self):
        self.seq, self.C, self.B, self.L, self.m, self.b = [], [1], [1], 0, 1, 1

    def push(self, a):
        s = self.seq
        s.append(a % P)
        k = len(s) - 1
        C = self.C
        d = s[k]
        for i in range(1, self.L + 1):
            d += C[i] * s[k - i]
        d %= P
        if d == 0:
            self.m += 1
            return self.L
        coef = d * pow(self.b, P - 2, P) % P
        T = C[:]
        B, m = self.B, self.m
        if len(C) < len(B) + m:
            C.extend([0] * (len(B) + m - len(C)))
        for i, bi in enumerate(B):
            C[i + m] = (C[i + m] - coef * bi) % P
        if 2 * self.L <= k:
            self.L, self.B, self.b, self.m = k + 1 - self.L, T, d, 1
        else:
            self.m += 1
        return self.L


def scan(x, minus, terms, max_cap, min_terms):
    """Expands x for the sign pattern (minus[k % period]: sign before term k+1 is -); returns
    (terms produced, rejected early)."""
    lc = LinearComplexity()
    period = len(minus)
    n = 0
    for k in range(terms):
        if minus[k % period]:
            a = ceil(x)
            f = a - x
        else:
            a = floor(x)
            f = x - a
        n += 1
        if lc.push(int(a)) > max_cap and n >= min_terms:
            return n, True
        if f == 0:
            break
        x = 1 / f
    return n, False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--constant", default="e", choices=["e", "pi", "sqrt2", "log2"])
    ap.add_argument("--terms", type=int, default=100)
    ap.add_argument("--coef", type=int, default=5)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    mp.prec = 16 * args.terms + 256
    K = {"e": mp.e, "pi": mp.pi, "sqrt2": mp.sqrt(2), "log2": mp.log(2)}[args.constant]
    K = +K  # evaluated at the working precision
    cands = candidates(-args.coef, args.coef)
    patterns = [(False,), (True,), (False, True), (True, False)]  # +, -, +-, -+
    max_cap, min_terms = args.terms // 4 + 4, min(args.terms, 40)
    times = []
    for _ in range(args.reps):
        expansions = complete = passed = 0
        t0 = time.perf_counter()
        for num, den in cands:
            pk = num[0] + (num[1] * K if len(num) > 1 else 0)
            qk = den[0] + (den[1] * K if len(den) > 1 else 0)
            x = mpf(pk) / qk
            for minus in patterns:
                expansions += 1
                n, rejected = scan(x, minus, args.terms, max_cap, min_terms)
                if rejected or n >= min_terms:
                    complete += 1
                passed += not rejected
        times.append(time.perf_counter() - t0)
    t = statistics.median(times)
    print(f"RESULT peer=mpmath workload=esma case={args.constant} terms={args.terms} candidates={len(cands)} "
          f"patterns={len(patterns)} median_s={t:.4f} candidates_per_s={len(cands) / t:.0f} "
          f"expansions_per_s={expansions / t:.0f} complete={complete} passed={passed}")


if __name__ == "__main__":
    main()
