#!/usr/bin/env bash
# Runs the three characterisation examples; each is one memspice command writing a waveform or
# measurement CSV, a measurement CSV/JSON (one row per .step point) and a plot.
#   examples/characterisation/run.sh [outdir]     (default build/characterisation)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
memspice="${MEMSPICE:-$root/build/apps/memspice/memspice}"
out="${1:-$root/build/characterisation}"
mkdir -p "$out"
run() { echo "== memspice $*"; "$memspice" "$@" > /dev/null; }

# I-V loops at four compliance currents: |I| against V on a log axis, one loop per step.
run "$here/iv_compliance.cir" --csv "$out/iv_compliance.csv" --measure-csv "$out/iv_compliance_measures.csv" \
    --measure-json "$out/iv_compliance_measures.json" \
    --plot "$out/iv_compliance.svg" --plot-x 'v(top)' --plot-y 'i(vs)' --plot-log-y
# Read resistance against the compliance current (13 steps, 4 per decade).
run "$here/r_vs_compliance.cir" --measure-csv "$out/r_vs_compliance.csv" \
    --measure-json "$out/r_vs_compliance.json" --plot "$out/r_vs_compliance.svg" \
    --plot-y rread --plot-log-x --plot-log-y
# Read resistance against the programming-pulse amplitude through a 10 k series resistor.
run "$here/r_vs_pulse.cir" --measure-csv "$out/r_vs_pulse.csv" --measure-json "$out/r_vs_pulse.json" \
    --plot "$out/r_vs_pulse.svg" --plot-y rread --plot-log-y
echo "== wrote $out"
