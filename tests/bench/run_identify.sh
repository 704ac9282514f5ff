#!/usr/bin/env bash
# Integer relations side by side: convergent (LLL, PSLQ), PARI/GP lindep/algdep and mpmath pslq on
# the same inputs (../shared/bench/identify_*), then compare.py's tables. From the repo root:
#   tests/bench/run_identify.sh [--digits 100,1000] [--reps 5] [--build build] [--out results.txt]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
peers="$root/../shared/bench"
digits=100,1000; reps=5; build="$root/build"; out=""
while (($#)); do
  case "$1" in
    --digits) digits=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "run_identify.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -d "$peers" ]] || { echo "run_identify.sh: peer scripts not found at $peers" >&2; exit 1; }
cmake --build "$build" --target bench_identify >/dev/null
results=${out:-$(mktemp)}
{
  "$build/tests/bench/bench_identify" --digits "$digits" --reps "$reps"
  "$peers/identify_pari.sh" --digits "$digits" --reps "$reps"
  (cd "$peers" && /usr/bin/python3 identify_mpmath.py --digits "$digits" --reps "$reps")
} | tee "$results"
/usr/bin/python3 "$peers/compare.py" "$results" --ref convergent
[[ -n "$out" ]] || rm -f "$results"
