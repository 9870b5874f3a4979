#!/usr/bin/env bash
# The mReLU paper's memristor figures that the VTG model reproduces so far, each one memspice
# command writing CSVs and a plot (default, not yet fitted, model parameters).
#   examples/mrelu/run.sh [outdir]     (default build/mrelu)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
memspice="${MEMSPICE:-$root/build/apps/memspice/memspice}"
out="${1:-$root/build/mrelu}"
mkdir -p "$out"
run() { echo "== memspice $*"; "$memspice" "$@" > /dev/null; }

# Fig. 1f / 3a, 3b: 100 quasi-static I-V cycles at Icc = 1 uA: set and hold voltages, volatile.
run "$here/iv_cycles.cir" --csv "$out/iv_cycles.csv" --measure-csv "$out/iv_cycles_measures.csv" \
    --plot "$out/iv_cycles.svg" --plot-x 'v(top)' --plot-y '{-i(v1)}'
# Fig. 1h / 3c: resistance against a current sweep 0 -> 5 uA.
run "$here/r_vs_current.cir" --csv "$out/r_vs_current.csv" --measure-csv "$out/r_vs_current_measures.csv" \
    --plot "$out/r_vs_current.svg" --plot-y '{v(top)/i(i1)}' --plot-log-y
# Fig. 3d: alternating 100 nA / 1 uA current pulses; the resistance does not drift.
run "$here/current_pulses.cir" --csv "$out/current_pulses.csv" --measure-csv "$out/current_pulses_measures.csv" \
    --plot "$out/current_pulses.svg" --plot-y 'v(top)'
# Fig. 3e: resistance at the end of a 1 ms voltage pulse through 1 Meg, against the amplitude.
run "$here/r_vs_pulse_amplitude.cir" --measure-csv "$out/r_vs_pulse_amplitude.csv" \
    --plot "$out/r_vs_pulse_amplitude.svg" --plot-y rend --plot-log-y
echo "== wrote $out"
