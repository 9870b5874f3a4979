#!/usr/bin/env bash
# Stanford/PKU RRAM examples: the quasi-static I-V loop and the 100 ns SET/RESET pulses.
# Usage: examples/stanford_rram/run.sh [output-dir]   (MEMSPICE=path overrides the binary)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-stanford_rram-out}
memspice=${MEMSPICE:-$here/../../build/apps/memspice/memspice}
mkdir -p "$out"
"$memspice" "$here/dc_loop.cir" --csv "$out/dc_loop.csv" --measure-csv "$out/dc_loop_measures.csv" \
  --plot "$out/dc_loop.svg" --plot-x 'v(a)' --plot-y 'i(r1)' > "$out/dc_loop.log"
"$memspice" "$here/pulses.cir" --csv "$out/pulses.csv" --measure-csv "$out/pulses_measures.csv" \
  --plot "$out/pulses.svg" --plot-y 'nreset#gap,nset#gap' > "$out/pulses.log"
echo "Stanford/PKU RRAM examples written to $out/:"
cat "$out/dc_loop_measures.csv" "$out/pulses_measures.csv"
