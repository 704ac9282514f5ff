#!/usr/bin/env bash
# Exact deep evaluation: Convergent (bench_deep, 1 and 2 threads) and the peers of
# ../shared/bench (PARI/GP loop, contfracpnqn and binary splitting; gmpy2 loop and binary
# splitting; mpmath) on the same PCFs and depths in one run, then compare.py's tables with
# ratios to Convergent on one thread, and the peak memory of the deepest case.
#
#   tests/bench/run_deep.sh [--build DIR] [--pcf brouncker,apery] [--N 10000,100000,1000000]
#                           [--reps 3] [--max-seconds 120] [--out FILE]
#
# Needs the bench target (cmake --build DIR --target bench_deep) and the peers' packages
# (scripts/setup.sh --bench). The peer scripts are used where they are, never copied.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PEERS="$ROOT/../shared/bench"
build="$ROOT/build-perf"; pcf=brouncker,apery; Ns=10000,100000,1000000
reps=3; maxsec=120; out=""
while (($#)); do
  case "$1" in
    --build) build="$2"; shift 2;;
    --pcf) pcf="$2"; shift 2;;
    --N) Ns="$2"; shift 2;;
    --reps) reps="$2"; shift 2;;
    --max-seconds) maxsec="$2"; shift 2;;
    --out) out="$2"; shift 2;;
    -h|--help) sed -n '2,11p' "$0"; exit 0;;
    *) echo "run_deep.sh: unknown argument $1" >&2; exit 2;;
  esac
done
bench="$build/tests/bench/bench_deep"
[[ -x "$bench" ]] || { echo "run_deep.sh: no $bench (cmake --build $build --target bench_deep)" >&2; exit 2; }
[[ -d "$PEERS" ]] || { echo "run_deep.sh: no peer scripts in $PEERS" >&2; exit 2; }
out="${out:-$(mktemp /tmp/deep-results.XXXXXX)}"
py=/usr/bin/python3

echo "# machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)" | tee "$out"
{
  "$bench" --pcf "$pcf" --N "$Ns" --reps "$reps" --threads 1 --max-seconds "$maxsec"
  "$bench" --pcf "$pcf" --N "$Ns" --reps "$reps" --threads 2 --max-seconds "$maxsec"
  (cd "$PEERS" && ./deep_pari.sh --method naive,binsplit,contfracpnqn --pcf "$pcf" --N "$Ns" \
                                 --reps "$reps" --max-seconds "$maxsec")
  (cd "$PEERS" && "$py" deep_gmpy2.py --method naive,binsplit --pcf "$pcf" --N "$Ns" \
                                      --reps "$reps" --max-seconds "$maxsec")
  (cd "$PEERS" && "$py" deep_mpmath.py --pcf "$pcf" --N "$Ns" --reps "$reps" --max-seconds "$maxsec")
} 2>&1 | tee -a "$out"

# Peak memory of the deepest Apery case on two threads (a run of its own: max RSS is per process)
deepest="${Ns##*,}"
mem=$( { /usr/bin/time -v "$bench" --pcf apery --N "$deepest" --reps 1 --threads 2 >/dev/null; } 2>&1 |
       sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p')
echo "# peak memory, apery N=$deepest, 2 threads: ${mem} kB" | tee -a "$out"

"$py" "$PEERS/compare.py" "$out" --ref convergent
echo "(raw RESULT lines: $out)"
