#!/usr/bin/env bash
# NDR neuron with an ECRAM-trained activation (docs/models/ndr-ecram.md):
#   iv_family    the N-shaped I-V for five ECRAM states (peak current against conductance)
#   training     gate pulses moving the peak current step by step
#   activation   the neuron's activation function for five ECRAM states
# Usage: examples/ndr/run.sh [output-dir]   (MEMSPICE=path overrides the binary)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-ndr-out}
memspice=${MEMSPICE:-$here/../../build/apps/memspice/memspice}
mkdir -p "$out"
"$memspice" "$here/iv_family.cir" --csv "$out/iv_family.csv" --measure-csv "$out/iv_family_measures.csv" \
  --plot "$out/iv_family.svg" --plot-x 'v(a)' --plot-y '{-i(v1)}' > "$out/iv_family.log"
"$memspice" "$here/training.cir" --csv "$out/training.csv" --measure-csv "$out/training_measures.csv" \
  --plot "$out/training.svg" --plot-y '{-i(vread)}' > "$out/training.log"
"$memspice" "$here/activation.cir" --csv "$out/activation.csv" --measure-csv "$out/activation_measures.csv" \
  --plot "$out/activation.svg" --plot-x 'v(in)' --plot-y 'v(out)' > "$out/activation.log"
echo "NDR examples written to $out/:"
cat "$out/iv_family_measures.csv" "$out/training_measures.csv" "$out/activation_measures.csv"
