#!/usr/bin/env bash
# The mReLU paper's activation comparison (Oh et al., Adv. Mater. 2023, Fig. 4), rerun at
# circuit level (docs/crossbar.md, "Neuron circuits"):
#   1. tabulates the mReLU neuron circuit (netlists/xbar_neurons.lib:relu_mirror, a-IGZO TFT
#      current mirror, output linear above zero and bounded by VDD = 2 V) and plots it;
#      Also tabulates a spiking column, the perovskite LIF neuron (lif_rate), as the mean of its
#      output over a 1 ms read window: its rate code;
#   2. trains 784-100-100-100-10 with ReLU, with that mReLU curve, with sigmoid and with the
#      LIF rate curve, on the paper's recipe: He initialisation, plain minibatch SGD, batch 500;
#   3. runs the test images through 1 ohm-segment crossbars in 128 x 128-cell tiles, the hidden
#      columns ending in neuron circuits: mReLU with and without the paper's 9.9 % temporal
#      variation and with its TFTs' threshold spread drawn per neuron, a sigmoid-like
#      transimpedance neuron (sigmoid_tia at vdd = vread, which
#      is the trained sigmoid), and the LIF columns; ReLU with ideal (software) neurons as the
#      reference.
# Usage: examples/crossbar/activations.sh [output-dir]
#   IMAGES=N   test images per run (default 10000)
#   EPOCHS=N   training epochs (default 30)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
out=${1:-activations-out}
xbar=${XBAR:-$root/build/apps/xbar/memspice-xbar}
mnist=$root/data/mnist
lib=$root/netlists/xbar_neurons.lib
images=${IMAGES:-10000}
epochs=${EPOCHS:-30}
mkdir -p "$out"

"$xbar" neuron --neuron "$lib:relu_mirror" --deck "$out/mrelu_neuron.cir" -o "$out/mrelu_curve.csv"
if command -v gnuplot > /dev/null; then
  gnuplot -e "set terminal svg size 640,400; set output '$out/mrelu_curve.svg'; set datafile separator ',';
    set key off; set grid; set title 'mReLU neuron circuit: Vout / VDD against mirror input current';
    set xlabel 'input current (uA)'; set ylabel 'Vout / VDD'; set xrange [-2:12];
    plot '$out/mrelu_curve.csv' using 1:(\$2 * 0.2 / 2) with lines lw 2"
fi
window=1e-3  # the LIF column's read window (s)
"$xbar" neuron --neuron "$lib:lif_rate" --neuron-window $window --deck "$out/lif_neuron.cir" -o "$out/lif_curve.csv"

# Trained weights are kept per epoch count, so a rerun does not train again.
train() {  # name, activation
  local f="$out/$1_sgd_e$epochs.npz"
  [ -s "$f" ] || "$xbar" train --mnist "$mnist" --activation "$2" --optimizer sgd --batch 500 --epochs "$epochs" \
      -o "$f" 2> "$out/train_$1.log" | sed "s/^/$1: /" | tee "$out/train_$1.txt"
  sed -n 's/^epoch \([0-9]*\): loss \([0-9.]*\),.*/\1,\2/p' "$out/train_$1.log" > "$out/loss_$1.csv"
}
train relu relu
train mrelu "curve:$out/mrelu_curve.csv"
train sigmoid sigmoid
train lif "curve:$out/lif_curve.csv"
if command -v gnuplot > /dev/null; then
  gnuplot -e "set terminal svg size 640,400; set output '$out/training_loss.svg'; set datafile separator ',';
    set grid; set title 'Training loss, SGD batch 500'; set xlabel 'epoch'; set ylabel 'cross-entropy';
    plot '$out/loss_relu.csv' with linespoints title 'ReLU', '$out/loss_mrelu.csv' with linespoints title 'mReLU',
         '$out/loss_sigmoid.csv' with linespoints title 'sigmoid', '$out/loss_lif.csv' with linespoints title 'LIF rate'"
fi

wires=(--rwire 1 --tile-rows 128 --tile-cols 64)
infer() {  # name, then memspice-xbar infer options
  local name=$1; shift
  "$xbar" infer --mnist "$mnist" --limit "$images" --summary "$out/$name.json" --results "$out/$name.csv" \
      "${wires[@]}" "$@" 2> "$out/$name.log" > "$out/$name.txt" || { echo "run $name failed: see $out/$name.log" >&2; return 1; }
}
infer relu --weights "$out/relu_sgd_e$epochs.npz"
infer mrelu --weights "$out/mrelu_sgd_e$epochs.npz" --neuron "$lib:relu_mirror"
infer mrelu_var --weights "$out/mrelu_sgd_e$epochs.npz" --neuron "$lib:relu_mirror" --neuron-noise 0.099
# Device-to-device: each neuron's two TFTs draw their thresholds (sigma 38 mV, the paper's
# spread); the software reference stays the nominal curve.
infer mrelu_d2d --weights "$out/mrelu_sgd_e$epochs.npz" --neuron "$lib:relu_mirror" --neuron-params sigvth=0.038 \
    --neuron-variation --activation "curve:$out/mrelu_curve.csv"
infer sigmoid --weights "$out/sigmoid_sgd_e$epochs.npz" --activation sigmoid --neuron "$lib:sigmoid_tia" \
    --neuron-params vdd=0.2
infer lif --weights "$out/lif_sgd_e$epochs.npz" --neuron "$lib:lif_rate" --neuron-window $window

field() { sed -n "s/^  \"$2\": \([^,]*\),*$/\1/p" "$out/$1.json"; }
row() {  # name, label, paper
  printf '| %s | %.2f %% | %.2f %% | %s | %.3g | %.3g | %.3g |\n' "$2" "$(echo "100 * $(field "$1" accuracy)" | bc -l)" \
    "$(echo "100 * $(field "$1" software_accuracy)" | bc -l)" "$3" "$(field "$1" images_per_second)" \
    "$(field "$1" energy_per_inference_j)" "$(field "$1" neuron_energy_per_inference_j)"
}
{
  echo "$images test images; 784-100-100-100-10, SGD batch 500, $epochs epochs; 1 ohm segments, 128 x 128-cell tiles"
  echo
  echo "| hidden neurons | circuit accuracy | software accuracy | paper | images/s | array energy per inference (J) | neuron energy per inference (J) |"
  echo "|---|---|---|---|---|---|---|"
  row relu "ReLU (ideal neurons)" "97 % (software)"
  row mrelu "mReLU circuit" ""
  row mrelu_var "mReLU circuit, 9.9 % temporal variation" "95.4 %"
  row mrelu_d2d "mReLU circuit, TFT Vth sigma 38 mV per neuron" ""
  row sigmoid "sigmoid circuit" "91.2 %"
  row lif "perovskite LIF circuit, rate over $window s" ""
} | tee "$out/summary.md"
echo "== wrote $out/"
