#!/usr/bin/env bash
# MNIST through memristor crossbars at circuit level (docs/crossbar.md):
#   1. trains the paper's 784-100-100-100-10 network with ReLU and with sigmoid (software);
#   2. runs test images through each network's crossbar circuits: ideal devices and wires,
#      then 1 ohm wire segments in 128 x 128-cell tiles; and the TiOx/AlOx paper's case, a
#      smaller MLP (784-128-10, our choice: the paper does not give its size) on 3-bit
#      differential pairs with 1.79 % RMS programming error (paper: 98.12 %);
#   3. sweeps wire resistance, bit depth, programming error and read noise (ReLU network) and
#      plots accuracy against each.
# Usage: examples/crossbar/run.sh [output-dir]
#   IMAGES=N   test images per run (default 200; the docs' full-set numbers use 10000)
#   EPOCHS=N   training epochs (default 10)
#   SWEEPS=0   skip step 3
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
out=${1:-crossbar-out}
xbar=${XBAR:-$root/build/apps/xbar/memspice-xbar}
mnist=$root/data/mnist
images=${IMAGES:-200}
epochs=${EPOCHS:-10}
mkdir -p "$out"

# Trained weights are kept per epoch count, so a rerun does not train again.
[ -s "$out/mlp128_e$epochs.npz" ] || "$xbar" train --mnist "$mnist" --sizes 784-128-10 --epochs "$epochs" \
    -o "$out/mlp128_e$epochs.npz" 2> "$out/train_mlp128.log" | sed 's/^/784-128-10 relu: /' | tee "$out/train_mlp128.txt"
for act in relu sigmoid; do
  [ -s "$out/${act}_e$epochs.npz" ] || "$xbar" train --mnist "$mnist" --activation $act --epochs "$epochs" \
      -o "$out/${act}_e$epochs.npz" 2> "$out/train_$act.log" | sed "s/^/784-100-100-100-10 $act: /" | tee "$out/train_$act.txt"
  cp "$out/${act}_e$epochs.npz" "$out/$act.npz"
done

infer() {  # name, then memspice-xbar infer options
  local name=$1; shift
  "$xbar" infer --mnist "$mnist" --limit "$images" --summary "$out/$name.json" --results "$out/$name.csv" "$@" \
      2> "$out/$name.log" > "$out/$name.txt" || { echo "run $name failed: see $out/$name.log" >&2; return 1; }
}
field() { sed -n "s/^  \"$2\": \([^,]*\),*$/\1/p" "$out/$1.json"; }
row() {  # name, label
  printf '| %s | %.2f %% | %.2f %% | %.3g | %.3g |\n' "$2" "$(echo "100 * $(field "$1" accuracy)" | bc -l)" \
    "$(echo "100 * $(field "$1" software_accuracy)" | bc -l)" "$(field "$1" images_per_second)" \
    "$(field "$1" energy_per_inference_j)"
}

infer relu_ideal --weights "$out/relu.npz"
infer sigmoid_ideal --weights "$out/sigmoid.npz" --activation sigmoid
infer relu_rw1 --weights "$out/relu.npz" --rwire 1 --tile-rows 128 --tile-cols 64
infer sigmoid_rw1 --weights "$out/sigmoid.npz" --activation sigmoid --rwire 1 --tile-rows 128 --tile-cols 64
infer mlp128_3bit --weights "$out/mlp128_e$epochs.npz" --bits 3 --prog-error 0.0179 --rwire 1 --tile-rows 128 --tile-cols 64
{
  echo "$images test images; tiles of 128 rows x 64 differential columns; gmin 1 uS, gmax 100 uS, vread 0.2 V"
  echo
  echo "| run | circuit accuracy | software accuracy | images/s | energy per inference (J) |"
  echo "|---|---|---|---|---|"
  row relu_ideal "ReLU, ideal wires"
  row sigmoid_ideal "sigmoid, ideal wires"
  row relu_rw1 "ReLU, 1 ohm segments"
  row sigmoid_rw1 "sigmoid, 1 ohm segments"
  row mlp128_3bit "784-128-10, 3 bits, 1.79 % RMS error, 1 ohm"
} | tee "$out/summary.md"

[ "${SWEEPS:-1}" = 0 ] && exit 0
sweep() {  # title, option, csv, values...
  local title=$1 option=$2 csv=$3; shift 3
  echo "$option,accuracy" > "$out/$csv"
  for v in "$@"; do
    local extra=()
    [ "$option" = rwire ] && extra=(--tile-rows 128 --tile-cols 64)
    infer "sweep_${option}_$v" --weights "$out/relu.npz" "--${option//_/-}" "$v" "${extra[@]}"
    echo "$v,$(field "sweep_${option}_$v" accuracy)" >> "$out/$csv"
  done
  if command -v gnuplot > /dev/null; then
    gnuplot -e "set terminal svg size 640,400; set output '$out/${csv%.csv}.svg'; set datafile separator ',';
      set key off; set grid; set title '$title ($images images)'; set xlabel '$option'; set ylabel 'accuracy';
      plot '$out/$csv' every ::1 using 1:2 with linespoints pt 7"
  fi
  echo "== $csv:"; cat "$out/$csv"
}
sweep "Accuracy against wire resistance per segment (ohm)" rwire accuracy_vs_rwire.csv 0 1 2 5 10
sweep "Accuracy against bit depth (analog: see relu_ideal)" bits accuracy_vs_bits.csv 1 2 3 4 6 8
sweep "Accuracy against RMS programming error (fraction of range)" prog_error accuracy_vs_prog_error.csv 0 0.01 0.02 0.05 0.1
# Read noise redraws every conductance for every image, so each image is a Newton solve of the
# whole layer (about 4 images/s on 2 threads), not a product with stored response matrices.
sweep "Accuracy against RMS read noise (fraction of each conductance, drawn per image)" read_noise \
  accuracy_vs_read_noise.csv 0 0.02 0.05 0.1 0.2
echo "== wrote $out/"
