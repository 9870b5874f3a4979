#!/usr/bin/env bash
# The mReLU paper's Fig. 5: edge detection of a 160 x 160 image with lateral and vertical 3x3
# kernels in a crossbar (1 ohm wire segments), each column ending in the a-IGZO mirror mReLU
# neuron of netlists/xbar_neurons.lib. Writes the output images (PGM), per-pixel CSVs and
# plots of the neuron's input current and output voltage.
#   examples/mrelu/edge_detection.sh [outdir]     (default build/mrelu_edges; needs scripts/setup.sh's image)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
xbar="${MEMSPICE_XBAR:-$root/build/apps/xbar/memspice-xbar}"
image="${IMAGE:-$root/data/images/cameraman.pgm}"
out="${1:-$root/build/mrelu_edges}"
[ -s "$image" ] || { echo "edge_detection.sh: $image is missing: run scripts/setup.sh" >&2; exit 1; }
mkdir -p "$out"
echo "== memspice-xbar edges --image $image --size 160 --rwire 1 -o $out"
"$xbar" edges --image "$image" --size 160 --rwire 1 \
  --neuron "$root/netlists/xbar_neurons.lib:relu_mirror" --neuron-params 'vdd=2 rt=400k' -o "$out" | tee "$out/summary.txt"
for k in lateral vertical; do
  gnuplot <<GP
set terminal svg size 900,420
set output '$out/$k.svg'
set datafile separator ','
set multiplot layout 1,2 title '$k kernel: neuron input current (uA) and mReLU output (V)'
set size ratio -1
set yrange [*:*] reverse
unset key
set palette grey
plot '$out/$k.csv' every ::1 using 1:2:(\$4*1e6) with image
plot '$out/$k.csv' every ::1 using 1:2:5 with image
unset multiplot
GP
done
echo "== wrote $out"
