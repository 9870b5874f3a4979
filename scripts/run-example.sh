#!/usr/bin/env bash
# Quick start, command 1: set up, build, and run memspice on the bundled examples.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== memspice -b examples/diode_iv.cir --csv build/diode_iv.csv -r build/diode_iv.raw"
build/apps/memspice/memspice -b examples/diode_iv.cir --csv build/diode_iv.csv -r build/diode_iv.raw
echo "== wrote build/diode_iv.csv and build/diode_iv.raw"
echo "== memspice --listing examples/hierarchy.cir (a flattened subcircuit hierarchy)"
build/apps/memspice/memspice --listing examples/hierarchy.cir
echo "== device characterisation: compliance sweeps, .step, .measure and plots (docs/characterisation.md)"
examples/characterisation/run.sh build/characterisation
echo "== resistance against compliance current (build/characterisation/r_vs_compliance.csv):"
cut -d, -f1,2 build/characterisation/r_vs_compliance.csv
echo "== standard memristor models: Stanford/PKU RRAM I-V loop and SET/RESET pulses (docs/models/stanford-rram.md)"
examples/stanford_rram/run.sh build/stanford_rram
echo "== perovskite LIF neuron: spike train and f-I curve (docs/models/perovskite-lif.md; the 1000-neuron population: examples/lif/run.sh)"
POPULATION=0 examples/lif/run.sh build/lif
echo "== the mReLU paper's figures: memristor, latency and energy, the neuron's transfer, Monte Carlo (docs/models/mrelu-neuron.md)"
examples/mrelu/run.sh build/mrelu
echo "== the mReLU paper's Fig. 5: edge detection through a crossbar and mReLU neurons"
examples/mrelu/edge_detection.sh build/mrelu_edges
echo "== NDR neuron trained by ECRAM: I-V family, gate-pulse training, activation (docs/models/ndr-ecram.md)"
examples/ndr/run.sh build/ndr
echo "== MNIST through memristor crossbars at circuit level: 100 test images, ideal and with 1 ohm wires (docs/crossbar.md)"
IMAGES=100 EPOCHS=3 SWEEPS=0 examples/crossbar/run.sh build/crossbar
echo "== ReLU vs mReLU neuron circuits vs sigmoid (the mReLU paper's Fig. 4): 100 images, 2 epochs (the docs use 10000 and 30)"
IMAGES=100 EPOCHS=2 examples/crossbar/activations.sh build/activations
echo "== resistor cells vs RRAM device cells, 1R and 1T1R: 20 images, the sigmoid network above (the docs use 500 and 30 epochs)"
IMAGES=20 EPOCHS=2 examples/crossbar/device_cells.sh build/activations
