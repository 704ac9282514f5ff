#!/usr/bin/env bash
# Blind discovery at scale (issue 10): the deterministic 1% sample of the 2024 paper's space
# (a, b of degree <= 2, coefficients in [-5, 5]) end to end — blind, cluster, report — with CPU
# time and peak memory of each step; the cost per evaluated PCF against depth (one thread, a 0.2%
# sample); HDBSCAN on 2 million synthetic 5-d points. Prints RESULT lines.
#
#   tests/bench/run_blind.sh [--build DIR] [--sample 0.01] [--depths 500,1000,2000,4000] [--out DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
build="$ROOT/build"; sample=0.01; depths=500,1000,2000,4000; out=""
while (($#)); do
  case "$1" in
    --build) build="$2"; shift 2;;
    --sample) sample="$2"; shift 2;;
    --depths) depths="$2"; shift 2;;
    --out) out="$2"; shift 2;;
    -h|--help) sed -n '2,7p' "$0"; exit 0;;
    *) echo "run_blind.sh: unknown argument $1" >&2; exit 2;;
  esac
done
bin="$build/convergent"; hdb="$build/tests/bench/bench_hdbscan"
[[ -x "$bin" && -x "$hdb" ]] || { echo "run_blind.sh: build $bin and $hdb first" >&2; exit 2; }
out="${out:-$(mktemp -d)}"; mkdir -p "$out"

# one step: RESULT with user+system CPU seconds, wall seconds and peak RSS
step() {
  local name="$1"; shift
  /usr/bin/time -f "%U %S %e %M" -o "$out/time" "$@" > "$out/$name.out" 2> "$out/$name.err"
  read -r u s e m < "$out/time"
  echo "RESULT peer=convergent workload=blind step=$name cpu_s=$(awk "BEGIN{print $u + $s}") wall_s=$e peak_mb=$((m / 1024))"
}

db="$out/sample.db"; rm -f "$db"*
step blind "$bin" blind --a-deg 2 --b-deg 2 --coef -5:5 --depth 2000 --sample "$sample" --seed 1 --db "$db" --json
cat "$out/blind.out"
step cluster "$bin" cluster --db "$db" --json
cat "$out/cluster.out"
step report "$bin" report --db "$db" --out "$out/report.html"

for d in ${depths//,/ }; do
  db="$out/depth$d.db"; rm -f "$db"*
  /usr/bin/time -f "%U %S" -o "$out/time" "$bin" blind --a-deg 2 --b-deg 2 --coef -5:5 --depth "$d" --sample 0.002 \
    --seed 1 --threads 1 --db "$db" --json > "$out/depth$d.json" 2>/dev/null
  read -r u s < "$out/time"
  n=$(sed -E 's/.*"evaluated":([0-9]+).*/\1/' "$out/depth$d.json")
  echo "RESULT peer=convergent workload=blind_depth depth=$d evaluated=$n cpu_s=$(awk "BEGIN{print $u + $s}") ms_per_pcf=$(awk "BEGIN{printf \"%.2f\", 1000 * ($u + $s) / $n}")"
done

/usr/bin/time -f "%U %S %M" -o "$out/time" "$hdb" --points 2000000 --dim 5
read -r u s m < "$out/time"
echo "RESULT peer=convergent workload=hdbscan_process cpu_s=$(awk "BEGIN{print $u + $s}") peak_mb=$((m / 1024))"
