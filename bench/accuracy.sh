#!/usr/bin/env bash
# How far each simulator's default transient is from the exact answer, on short cuts of the
# bench's nonlinear and linear decks. The reference is memspice at reltol=1e-7 and trtol=1,
# recorded at every step (it is interpolated onto the tested points) and checked against
# ngspice at reltol=1e-7. ngspice at its defaults, memspice at its defaults (trtol=1) and
# memspice at ngspice's trtol=7 are scored against it: the worst vector's RMS difference over
# its peak (memspice-rawdiff). Then the 100-neuron LIF population's spike times
# (bench/gen-lif-population.sh) against memspice at reltol=1e-5: the largest and the mean
# relative difference. Prints two Markdown tables (about a minute).
#   bench/accuracy.sh
# Needs a build (scripts/setup.sh) and ngspice.
set -euo pipefail
cd "$(dirname "$0")/.."
memspice=build/apps/memspice/memspice rawdiff=build/apps/rawdiff/memspice-rawdiff
for tool in "$memspice" "$rawdiff" ngspice; do
  command -v "$tool" >/dev/null || { echo "accuracy: missing $tool (run scripts/setup.sh; apt-get install ngspice)" >&2; exit 1; }
done
work=build/bench/accuracy
mkdir -p "$work"

sed 's/^\.tran 1u 1m$/.tran 1u 10m/' tests/regression/decks/tran_diode_bridge.cir > "$work/diode_bridge_10ms.cir"
sed 's/^\.tran .*/.tran 20n 20u/' bench/decks/voltage_multiplier.cir > "$work/voltage_multiplier_20us.cir"
bench/gen-rc-ladder.sh 100 200u > "$work/rc_ladder_100.cir"
for d in diode_bridge_10ms voltage_multiplier_20us; do
  grep -q '^\.tran' "$work/$d.cir" || { echo "accuracy: no .tran in $d; update accuracy.sh" >&2; exit 1; }
done

# with DECK OPTIONS: the deck with an .options line before its .tran
with() { sed "0,/^\.tran/s//.options $2\n.tran/" "$1"; }
# score REF RAW: "RMS difference over peak" of the worst vector
score() {
  "$rawdiff" --rms 1e-12 "$1" "$2" | head -1 | sed -n 's/.*worst score [^ ]* (\(.*\): RMS difference \([^ ]*\) against peak \([^ )]*\)).*/\1 \2 \3/p' |
    awk '{ printf "%.2g (%s)", $2 / $3, $1 }'
}

echo "| deck | ngspice, reltol=1e-7 | ngspice | memspice | memspice, trtol=7 |"
echo "|---|---|---|---|---|"
for d in diode_bridge_10ms voltage_multiplier_20us rc_ladder_100; do
  deck=$work/$d.cir
  with "$deck" "reltol=1e-7 trtol=1 internalpoints" > "$work/$d.ref.cir"
  with "$deck" "reltol=1e-7" > "$work/$d.ngref.cir"
  with "$deck" "trtol=7" > "$work/$d.loose.cir"
  "$memspice" -b -r "$work/$d.ref.raw" "$work/$d.ref.cir" > "$work/$d.ref.log" 2>&1
  "$memspice" -b -r "$work/$d.memspice.raw" "$deck" > "$work/$d.memspice.log" 2>&1
  "$memspice" -b -r "$work/$d.loose.raw" "$work/$d.loose.cir" > "$work/$d.loose.log" 2>&1
  ngspice -b -r "$work/$d.ngref.raw" "$work/$d.ngref.cir" > "$work/$d.ngref.log" 2>&1
  ngspice -b -r "$work/$d.ngspice.raw" "$deck" > "$work/$d.ngspice.log" 2>&1
  ref=$work/$d.ref.raw
  echo "| $d | $(score "$ref" "$work/$d.ngref.raw") | $(score "$ref" "$work/$d.ngspice.raw") |" \
    "$(score "$ref" "$work/$d.memspice.raw") | $(score "$ref" "$work/$d.loose.raw") |"
done

# Spike times: the .meas results ("name = value") of each log against the reference's.
bench/gen-lif-population.sh 100 200u > "$work/lif.cir"
with "$work/lif.cir" "reltol=1e-5 trtol=1" > "$work/lif.ref.cir"
with "$work/lif.cir" "trtol=7" > "$work/lif.loose.cir"
"$memspice" -b "$work/lif.ref.cir" > "$work/lif.ref.log" 2>&1
"$memspice" -b "$work/lif.cir" > "$work/lif.memspice.log" 2>&1
"$memspice" -b "$work/lif.loose.cir" > "$work/lif.loose.log" 2>&1
ngspice -b "$work/lif.cir" > "$work/lif.ngspice.log" 2>&1
spikes() {
  awk 'FNR == 1 { f++ } f == 1 && $2 == "=" { r[tolower($1)] = $3; next }
       f == 2 && $2 == "=" && (tolower($1) in r) { d = ($3 - r[tolower($1)]) / r[tolower($1)]; d = d < 0 ? -d : d
                                                   if (d > w) w = d; s += d; n++ }
       END { if (n < length(r)) printf "%d of %d spikes", n, length(r); else printf "%.2g / %.2g", w, s / n }' "$1" "$2"
}
echo
echo "| deck | ngspice | memspice | memspice, trtol=7 |"
echo "|---|---|---|---|"
echo "| lif_population_100 spike times (largest / mean) | $(spikes "$work/lif.ref.log" "$work/lif.ngspice.log") |" \
  "$(spikes "$work/lif.ref.log" "$work/lif.memspice.log") | $(spikes "$work/lif.ref.log" "$work/lif.loose.log") |"
