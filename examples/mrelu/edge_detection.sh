#!/usr/bin/env bash
# The mReLU paper's Fig. 5: edge detection of a 160 x 160 image with lateral and vertical 3x3
# kernels in a crossbar (1 ohm wire segments), each column ending in the a-IGZO mirror mReLU
# neuron of netlists/xbar_neurons.lib (outdir), and again in the physical 2T-1M neuron of
# netlists/mrelu_neuron.lib (outdir/2t1m). Writes the output images (PGM), per-pixel CSVs and
# plots of the neuron's input current and output voltage.
#   examples/mrelu/edge_detection.sh [outdir]     (default build/mrelu_edges; needs scripts/setup.sh's image)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
xbar="${MEMSPICE_XBAR:-$root/build/apps/xbar/memspice-xbar}"
image="${IMAGE:-$root/data/images/cameraman.pgm}"
out="${1:-$root/build/mrelu_edges}"
[ -s "$image" ] || { echo "edge_detection.sh: $image is missing: run scripts/setup.sh" >&2; exit 1; }
mkdir -p "$out/2t1m"
# edges OUTDIR NEURON [PARAMS]: one run and its plots.
edges() {
  local dir="$1" neuron="$2" params="${3:-}"
  echo "== memspice-xbar edges --image $image --size 160 --rwire 1 --neuron $neuron ${params:+--neuron-params '$params'} -o $dir"
  "$xbar" edges --image "$image" --size 160 --rwire 1 --neuron "$neuron" ${params:+--neuron-params "$params"} -o "$dir" |
    tee "$dir/summary.txt"
  for k in lateral vertical; do
    gnuplot <<GP
set terminal svg size 900,420
set output '$dir/$k.svg'
set datafile separator ','
set multiplot layout 1,2 title '$k kernel: neuron input current (uA) and neuron output (V)'
set size ratio -1
set yrange [*:*] reverse
unset key
set palette grey
plot '$dir/$k.csv' every ::1 using 1:2:(\$4*1e6) with image
plot '$dir/$k.csv' every ::1 using 1:2:5 with image
unset multiplot
GP
  done
}
edges "$out" "$root/netlists/xbar_neurons.lib:relu_mirror" 'vdd=2 rt=400k'
# The same crossbar into the 2T-1M neuron (Vout = VDD - V_mem: docs/models/mrelu-neuron.md).
edges "$out/2t1m" "$root/netlists/mrelu_neuron.lib:mrelu"
echo "== wrote $out and $out/2t1m"
