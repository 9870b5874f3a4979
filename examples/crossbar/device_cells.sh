#!/usr/bin/env bash
# Crossbars whose cells are device models (docs/crossbar.md, "Device cells"): the sigmoid
# 784-100-100-100-10 network of activations.sh (its hidden outputs stay within the read voltage,
# where a programmed cell's conductance is defined) through
#   - resistor cells, the reference, over the same conductance range as the RRAM;
#   - Stanford/PKU RRAM cells (netlists/xbar_cells.lib:rram): each gap set so that the cell
#     conducts its programmed G at 0.2 V; below that the sinh read I-V conducts less;
#   - the mReLU paper's tunnelling-gap memristor, non-volatile (vtg_rram), over its own range;
#   - RRAM cells with 1 ohm wire segments in 128 x 128-cell tiles, as 1R and as 1T1R;
# and plots the RRAM cell's read nonlinearity, I(V) / (G V) against V.
# Usage: examples/crossbar/device_cells.sh [output-dir]
#   IMAGES=N   test images per run (default 500); EPOCHS=N training epochs (default 30)
# The network is trained as activations.sh trains it, and reused if the output directory holds it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
out=${1:-device-cells-out}
xbar=${XBAR:-$root/build/apps/xbar/memspice-xbar}
memspice=${MEMSPICE:-$root/build/apps/memspice/memspice}
mnist=$root/data/mnist
cells=$root/netlists/xbar_cells.lib
images=${IMAGES:-500}
epochs=${EPOCHS:-30}
mkdir -p "$out"

weights="$out/sigmoid_sgd_e$epochs.npz"
[ -s "$weights" ] || "$xbar" train --mnist "$mnist" --activation sigmoid --optimizer sgd --batch 500 \
    --epochs "$epochs" -o "$weights" 2> "$out/train_sigmoid.log" | sed "s/^/sigmoid: /"

infer() {  # name, then memspice-xbar infer options
  local name=$1; shift
  "$xbar" infer --mnist "$mnist" --limit "$images" --weights "$weights" --activation sigmoid \
      --summary "$out/$name.json" --results "$out/$name.csv" "$@" 2> "$out/$name.log" > "$out/$name.txt" ||
    { echo "run $name failed: see $out/$name.log" >&2; return 1; }
}
rram=(--cell-device "$cells:rram" --gmin 5e-6 --gmax 1e-4)
wires=(--rwire 1 --tile-rows 128 --tile-cols 64)
infer resistor --gmin 5e-6 --gmax 1e-4
infer rram "${rram[@]}"
infer vtg_rram --cell-device "$cells:vtg_rram" --gmin 5e-7 --gmax 5e-5
infer resistor_rw1 --gmin 5e-6 --gmax 1e-4 "${wires[@]}"
infer rram_rw1 "${rram[@]}" "${wires[@]}"
infer rram_1t1r_rw1 "${rram[@]}" "${wires[@]}" --cell 1t1r

field() { sed -n "s/^  \"$2\": \([^,]*\),*$/\1/p" "$out/$1.json"; }
row() {  # name, label
  printf '| %s | %.2f %% | %.2f %% | %.3g | %.3g |\n' "$2" "$(echo "100 * $(field "$1" accuracy)" | bc -l)" \
    "$(echo "100 * $(field "$1" software_accuracy)" | bc -l)" "$(field "$1" images_per_second)" \
    "$(field "$1" energy_per_inference_j)"
}
{
  echo "$images test images; 784-100-100-100-10 sigmoid, SGD batch 500, $epochs epochs; vread 0.2 V"
  echo
  echo "| cells | circuit accuracy | software accuracy | images/s | array energy per inference (J) |"
  echo "|---|---|---|---|---|"
  row resistor "resistors, 5 uS to 100 uS, ideal wires"
  row rram "stanford_rram, 5 uS to 100 uS, ideal wires"
  row vtg_rram "vtg_rram (non-volatile), 0.5 uS to 50 uS, ideal wires"
  row resistor_rw1 "resistors, 1 ohm segments"
  row rram_rw1 "stanford_rram, 1 ohm segments"
  row rram_1t1r_rw1 "stanford_rram 1T1R, 1 ohm segments"
} | tee "$out/device_cells.md"

# The read nonlinearity: I / (G V), G = I(0.2 V) / 0.2 V, against V. The gap only scales the
# current (i0 exp(-gap/g0) sinh(V/v0)), so one cell (gap 1 nm) stands for all.
cat > "$out/rram_read_iv.cir" <<DECK
* stanford_rram cell read I-V (xbar_cells.lib:rram)
.include "$cells"
v1 w 0 dc 0
x1 w 0 rram state=1n
.dc v1 0.005 0.2 0.005
.print dc v(w) i(v1)
.end
DECK
"$memspice" "$out/rram_read_iv.cir" --csv "$out/rram_read_iv.csv" > /dev/null
if command -v gnuplot > /dev/null; then
  gnuplot -e "set terminal svg size 640,400; set output '$out/rram_read_iv.svg'; set datafile separator ',';
    set key off; set grid; set title 'stanford\\_rram cell: current relative to a linear cell of the same G at 0.2 V';
    set xlabel 'cell voltage (V)'; set ylabel 'I / (G V)';
    stats '$out/rram_read_iv.csv' every ::1 using 2:(-\$4) nooutput; g = STATS_max_y / 0.2;
    plot '$out/rram_read_iv.csv' every ::1 using 2:(-\$4 / (g * \$2)) with lines lw 2"
fi
echo "== wrote $out/"
