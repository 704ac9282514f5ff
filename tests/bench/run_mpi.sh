#!/usr/bin/env bash
# Distributed runs (issue 9): speedup of `--mpi` with 1, 2, 3 and 4 processes (one thread each)
# against one process with 1 and 2 threads, the coordination cost per work unit, the per-rank
# statistics of an MPI search, and the rate of `convergent merge` over 4 shard databases.
#
#   tests/bench/run_mpi.sh [--bin FILE] [--work DIR] [--reps 3] [--out FILE] [--skip-speedup]
#
# The binary is copied into DIR first (default /tmp/mpi-bench) and the copy is run, so a rebuild
# of build/ during the benchmark does not change what is measured. Every configuration is run
# --reps times, the configurations interleaved (round-robin), and the median wall time is
# reported: the machine may be shared. Needs an MPI build (mpirun on PATH).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin="$root/build/convergent"; work=/tmp/mpi-bench; reps=3; out=""; speedup=1
while (($#)); do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --skip-speedup) speedup=0; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run_mpi.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
command -v mpirun >/dev/null || { echo "run_mpi.sh: no mpirun (install openmpi-bin)" >&2; exit 2; }
[[ -x "$bin" ]] || { echo "run_mpi.sh: no binary $bin" >&2; exit 2; }
mkdir -p "$work"
cp "$bin" "$work/convergent"
cv="$work/convergent"
out=${out:-$work/results.txt}
: >"$out"
mpiflags=(--bind-to none)
# OpenMPI busy-polls while a rank waits (MPI_Probe on rank 0, MPI_Recv in a worker) unless the node
# is oversubscribed (more ranks than slots) or mpi_yield_when_idle is set: the "y" configurations
# set it, to show what polling costs on a shared machine.
yield=(--mca mpi_yield_when_idle 1)
if [[ $(id -u) = 0 ]]; then mpiflags+=(--oversubscribe --allow-run-as-root); else mpiflags+=(--oversubscribe); fi

log() { echo "$*" | tee -a "$out"; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
now() { date +%s.%N; }

log "# machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
log "# $("$cv" --version) ($(mpirun --version | head -1))"

# run NAME CMD...: one timed run in a fresh database; RESULT line with wall and CPU seconds of
# every process of the job (user+sys, from GNU time: mpirun waits for its local ranks).
run() {
  local name=$1; shift
  local db="$work/$name.db"
  rm -f "$db" "$db-wal" "$db-shm"
  local t0 t1 cpu
  t0=$(now)
  /usr/bin/time -o "$work/$name.time" -f '%U %S' "$@" --db "$db" >"$work/$name.out" 2>"$work/$name.err"
  t1=$(now)
  cpu=$(tail -1 "$work/$name.time" | awk '{print $1+$2}')
  local wall; wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
  log "RESULT $name wall=$wall cpu=$cpu"
}

# --- 1. speedup --------------------------------------------------------------------------------
# blind at depth 2000 (the depth of the capacity plan): every PCF costs an exact evaluation and
# the metrics (~0.3-4 ms), and every evaluated PCF is a row that rank 0 receives as JSON and writes
# -- the heaviest result traffic of the three MPI subcommands. 59049 PCFs, a quarter sampled: 58 units
# of 1024 PCFs, ~15-20 s on one thread.
W=(blind --a-deg 1 --b-deg 2 --coef -4:4 --depth 2000 --sample 0.25 --seed 1 --threads 1)
W2=(blind --a-deg 1 --b-deg 2 --coef -4:4 --depth 2000 --sample 0.25 --seed 1 --threads 2)
if ((speedup)); then
  for ((r = 1; r <= reps; ++r)); do
    run "single-t1-r$r" "$cv" "${W[@]}"
    run "single-t2-r$r" "$cv" "${W2[@]}"
    for n in 1 2 3 4; do
      run "mpi-n$n-r$r" mpirun -n $n "${mpiflags[@]}" "$cv" "${W[@]}" --mpi
    done
    run "mpi-n2y-r$r" mpirun -n 2 "${mpiflags[@]}" "${yield[@]}" "$cv" "${W[@]}" --mpi
  done
  base=$(grep -h '^RESULT single-t1-' "$out" | sed 's/.*wall=\([^ ]*\).*/\1/' | median)
  log ""
  log "# speedup workload: ${W[*]}"
  log "| configuration | median wall s | CPU s (all processes) | speedup vs 1 thread |"
  log "|---|---|---|---|"
  for c in single-t1 single-t2 mpi-n1 mpi-n2 mpi-n2y mpi-n3 mpi-n4; do
    w=$(grep -h "^RESULT $c-" "$out" | sed 's/.*wall=\([^ ]*\).*/\1/' | median)
    u=$(grep -h "^RESULT $c-" "$out" | sed 's/.*cpu=\([^ ]*\).*/\1/' | median)
    log "| $c | $w | $u | $(awk -v a="$base" -v b="$w" 'BEGIN{printf "%.2fx", a/b}') |"
  done
  rows=$(sqlite3 "$work/single-t1-r1.db" 'select count(*) from evaluations')
  bytes=$(stat -c %s "$work/single-t1-r1.db")
  log "# rows (evaluations) per run: $rows; database $bytes bytes; units: $(sqlite3 "$work/single-t1-r1.db" 'select count(*) from work_units')"
  for c in mpi-n2 mpi-n3 mpi-n4; do
    a=$(sqlite3 "$work/single-t1-r1.db" 'select p.a, p.b, e.value from evaluations e join pcfs p on p.id = e.pcf_id order by 1, 2' 2>/dev/null | md5sum)
    b=$(sqlite3 "$work/$c-r1.db" 'select p.a, p.b, e.value from evaluations e join pcfs p on p.id = e.pcf_id order by 1, 2' 2>/dev/null | md5sum)
    log "# $c rows identical to single-t1: $([[ "$a" = "$b" ]] && echo yes || echo NO)"
  done
fi

# --- 2. coordination cost per unit -------------------------------------------------------------
# Units with (almost) no work and no rows: blind with --sample 1e-9 samples nothing, so a unit is
# 1024 hash tests (~10 us) and the job time is pure coordination: request, unit number, empty
# result as JSON, parse, one SQLite transaction (the work_units row). Two domain sizes, so that
# start-up (MPI_Init, database creation) cancels: cost per unit = dT / dUnits.
Z=(blind --a-deg 1 --b-deg 2 --depth 2000 --sample 1e-9 --threads 1)
for ((r = 1; r <= reps; ++r)); do
  for size in 6 10; do   # --coef -6:6 -> 363 units, -10:10 -> 3997 units
    run "zero-single-c$size-r$r" "$cv" "${Z[@]}" --coef -$size:$size
    run "zero-mpi2-c$size-r$r" mpirun -n 2 "${mpiflags[@]}" "$cv" "${Z[@]}" --coef -$size:$size --mpi
    run "zero-mpi2y-c$size-r$r" mpirun -n 2 "${mpiflags[@]}" "${yield[@]}" "$cv" "${Z[@]}" --coef -$size:$size --mpi
    run "zero-mpi3-c$size-r$r" mpirun -n 3 "${mpiflags[@]}" "$cv" "${Z[@]}" --coef -$size:$size --mpi
  done
done
u6=$(sqlite3 "$work/zero-single-c6-r1.db" 'select count(*) from work_units')
u10=$(sqlite3 "$work/zero-single-c10-r1.db" 'select count(*) from work_units')
log ""
log "# coordination: ${Z[*]} --coef -6:6 ($u6 units) and -10:10 ($u10 units)"
log "| configuration | median wall s ($u6 units) | median wall s ($u10 units) | per unit (ms) | CPU s ($u10 units) |"
log "|---|---|---|---|---|"
for c in zero-single zero-mpi2 zero-mpi2y zero-mpi3; do
  a=$(grep -h "^RESULT $c-c6-" "$out" | sed 's/.*wall=\([^ ]*\).*/\1/' | median)
  b=$(grep -h "^RESULT $c-c10-" "$out" | sed 's/.*wall=\([^ ]*\).*/\1/' | median)
  cu=$(grep -h "^RESULT $c-c10-" "$out" | sed 's/.*cpu=\([^ ]*\).*/\1/' | median)
  log "| $c | $a | $b | $(awk -v a="$a" -v b="$b" -v u="$u6" -v v="$u10" 'BEGIN{printf "%.3f", 1000*(b-a)/(v-u)}') | $cu |"
done

# Per-rank statistics of an MPI search (search prints them; 71 units of ~60k PCFs).
for n in 2 3; do
  rm -f "$work/pi-n$n.db"*
  mpirun -n $n "${mpiflags[@]}" "${yield[@]}" "$cv" search --preset pi --threads 1 --mpi --db "$work/pi-n$n.db" \
    2>/dev/null | grep -E '^  (rank|screened)' | sed "s/^/# pi n=$n: /" | tee -a "$out"
done

# --- 3. merge rate -----------------------------------------------------------------------------
# 4 shards of the speedup workload (blind at depth 2000: rows of a few KB each, as in the capacity
# plan), two at a time, then `convergent merge` into a fresh database (--reps times; then the
# same parts merged again, which must add nothing).
for i in 0 1 2 3; do rm -f "$work/part-$i.db"*; done
for i in 0 1 2 3; do "$cv" "${W[@]}" --shard $i/4 --db "$work/part-$i.db" >/dev/null 2>&1 &
  (( i % 2 == 1 )) && wait; done
wait
parts=("$work"/part-{0,1,2,3}.db)
rows=0
for p in "${parts[@]}"; do
  rows=$((rows + $(sqlite3 "$p" 'select (select count(*) from evaluations) + (select count(*) from pcfs) + (select count(*) from work_units) + (select count(*) from conjectures)')))
done
pbytes=$(cat "${parts[@]}" | wc -c)
for ((r = 1; r <= reps; ++r)); do
  rm -f "$work/merged.db"*
  t0=$(now); "$cv" merge "$work/merged.db" "${parts[@]}" >"$work/merge.out"; t1=$(now)
  log "RESULT merge-r$r wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')"
done
t0=$(now); "$cv" merge "$work/merged.db" "${parts[@]}" >"$work/merge-again.out"; t1=$(now)
m=$(grep -h '^RESULT merge-' "$out" | sed 's/.*wall=\([^ ]*\).*/\1/' | median)
log ""
log "# merge of 4 shards: $rows rows (evaluations + pcfs + work_units + conjectures), $pbytes bytes"
log "| merge | median wall s | rows/s | MB/s |"
log "|---|---|---|---|"
log "| 4 shards -> new db | $m | $(awk -v r="$rows" -v m="$m" 'BEGIN{printf "%.0f", r/m}') | $(awk -v r="$pbytes" -v m="$m" 'BEGIN{printf "%.1f", r/m/1e6}') |"
log "# merging the same parts again: $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s; $(head -1 "$work/merge-again.out")"
log "# (raw RESULT lines: $out)"
