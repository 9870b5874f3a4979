#!/usr/bin/env bash
# A .step sweep of N points of a small transient, in one memspice process against ngspice
# running the same sweep as a .control loop (alterparam + reset + tran + meas), as users write
# it today. The deck: one programming pulse of amplitude amp through 10 k into the threshold
# memristor of netlists/threshold_memristor.lib, then a 0.1 V read; the measure is the read
# resistance. Runs the two alternately, prints median wall times, the ratio, and the largest
# relative difference between the two simulators' resistances over all points.
#   bench/step-sweep.sh [--points N] [--repeat R]     (default 100 points, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
points=100 repeat=3
while [ $# -gt 0 ]; do
  case "$1" in
    --points) points=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) echo "usage: bench/step-sweep.sh [--points N] [--repeat R]" >&2; exit 2 ;;
  esac
done
memspice=build/apps/memspice/memspice
for tool in "$memspice" ngspice; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool (run scripts/setup.sh)" >&2; exit 1; }
done
work=build/bench
mkdir -p "$work"
step=0.015
circuit() {
  grep -v '^\.end$' netlists/threshold_memristor.lib
  cat <<DECK
.param amp=0.5
Vp in 0 pwl(0 0 10u {amp} 1.01m {amp} 1.02m 0 1.5m 0 1.51m 0.1 2m 0.1)
Rs in top 10k
X1 top 0 thresh_memristor
DECK
}
ms="$work/step_sweep_$points.cir" ng="$work/step_sweep_${points}_ngspice.cir"
{
  echo "Threshold memristor: read resistance after a pulse, $points amplitudes (.step)"
  circuit
  echo ".tran 2u 2m uic"
  echo ".step param amp 0.5 $(awk -v n="$points" -v s="$step" 'BEGIN { printf "%.6g", 0.5 + (n - 1) * s }') $step"
  echo ".meas tran rs find {-v(top)/i(vp)} at=1.9m"
  echo ".end"
} > "$ms"
{
  echo "Threshold memristor: read resistance after a pulse, $points amplitudes (.control loop)"
  circuit
  cat <<DECK
.control
let amps = vector($points)*$step + 0.5
let rs = vector($points)
let k = 0
while k < $points
  let a = amps[k]
  alterparam amp = \$&a
  reset
  tran 2u 2m uic
  meas tran vt find v(top) at=1.9m
  meas tran it find i(vp) at=1.9m
  let const.rs[const.k] = -vt/it
  destroy tran1
  setplot const
  let k = k + 1
end
print amps rs
.endc
.end
DECK
} > "$ng"

seconds() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN { printf "%.4f\n", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ng_t=() ms_t=()
for ((r = 0; r < repeat; r++)); do
  ng_t+=("$(seconds sh -c "ngspice -b '$ng' > '$work/step_sweep.ngspice.log' 2>&1")")
  ms_t+=("$(seconds "$memspice" "$ms" --measure-csv "$work/step_sweep.memspice.csv")")
done
# Agreement: the two resistance columns, point by point.
grep -E '^[0-9]+[[:space:]]' "$work/step_sweep.ngspice.log" | awk '{ print $3 }' > "$work/step_sweep.ngspice.rs"
tail -n +2 "$work/step_sweep.memspice.csv" | cut -d, -f2 > "$work/step_sweep.memspice.rs"
worst=$(paste "$work/step_sweep.ngspice.rs" "$work/step_sweep.memspice.rs" |
  awk '{ d = ($1 - $2) / $1; if (d < 0) d = -d; if (d > w) w = d; n++ } END { if (n != '"$points"') print "mismatch"; else printf "%.2g", w }')
ng=$(printf '%s\n' "${ng_t[@]}" | median) msm=$(printf '%s\n' "${ms_t[@]}" | median)
echo "| deck | ngspice s | memspice s | ratio | largest difference in rs |"
echo "|---|---|---|---|---|"
awk -v n="step_sweep_$points" -v ng="$ng" -v ms="$msm" -v w="$worst" -v r="$repeat" \
  'BEGIN { printf "| %s | %.3g (%d) | %.3g (%d) | %.3gx | %s |\n", n, ng, r, ms, r, ng / ms, w }'
