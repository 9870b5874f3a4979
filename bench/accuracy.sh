#!/usr/bin/env bash
# How far each simulator's default transient is from the exact answer, on short cuts of the
# bench's nonlinear and linear decks. The reference is memspice at reltol=1e-7 and trtol=1,
# checked against ngspice at reltol=1e-7; then ngspice at its defaults, memspice at its defaults
# (trtol=7, as ngspice) and memspice at trtol=1 are scored against it: the worst vector's RMS
# difference over its peak (memspice-rawdiff). Prints a Markdown table.
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

echo "| deck | ngspice, reltol=1e-7 | ngspice | memspice | memspice, trtol=1 |"
echo "|---|---|---|---|---|"
for d in diode_bridge_10ms voltage_multiplier_20us rc_ladder_100; do
  deck=$work/$d.cir
  with "$deck" "reltol=1e-7 trtol=1 internalpoints" > "$work/$d.ref.cir"
  with "$deck" "reltol=1e-7" > "$work/$d.ngref.cir"
  with "$deck" "trtol=1" > "$work/$d.tight.cir"
  "$memspice" -b -r "$work/$d.ref.raw" "$work/$d.ref.cir" > "$work/$d.ref.log" 2>&1
  "$memspice" -b -r "$work/$d.memspice.raw" "$deck" > "$work/$d.memspice.log" 2>&1
  "$memspice" -b -r "$work/$d.tight.raw" "$work/$d.tight.cir" > "$work/$d.tight.log" 2>&1
  ngspice -b -r "$work/$d.ngref.raw" "$work/$d.ngref.cir" > "$work/$d.ngref.log" 2>&1
  ngspice -b -r "$work/$d.ngspice.raw" "$deck" > "$work/$d.ngspice.log" 2>&1
  ref=$work/$d.ref.raw
  echo "| $d | $(score "$ref" "$work/$d.ngref.raw") | $(score "$ref" "$work/$d.ngspice.raw") |" \
    "$(score "$ref" "$work/$d.memspice.raw") | $(score "$ref" "$work/$d.tight.raw") |"
done
