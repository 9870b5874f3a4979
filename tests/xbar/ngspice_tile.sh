#!/usr/bin/env bash
# Issue 7's cross-check: a 32 x 32 tile (16 differential columns) of a trained network's first
# layer, with 1 ohm wire segments, exported by memspice-xbar and run by ngspice and memspice;
# every node voltage and sense current must agree within 1e-6 relative. Then the same tile with
# 1T1R cells (level-1 access NMOS), whose deck both simulators must also agree on; and a
# transient read of it with line capacitance, cut short while the currents still rise, whose
# sense currents must agree within 1e-3 of their peak (RMS over the read). The sources' own
# currents are left out there: an ideal step puts a jump at t = 0 that each simulator records
# on its own side. And the 1R tile with stanford_rram cells, against ngspice running the cells'
# read I-V as B sources.
#   tests/xbar/ngspice_tile.sh BUILD_DIR WORK_DIR
set -euo pipefail
build="$1"; work="$2"
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$work"
"$build/apps/xbar/memspice-xbar" train --mnist "$root/data/mnist" --sizes 784-32-10 --epochs 1 --train-limit 2000 \
    -o "$work/net.npz" > /dev/null 2>&1
# Tile 25 covers rows 384..415 (the middle of the image, where the pixels are) and columns 16..31.
"$build/apps/xbar/memspice-xbar" export --mnist "$root/data/mnist" --weights "$work/net.npz" --tile-rows 32 \
    --tile-cols 16 --rwire 1 --tile 25 --image 0 -o "$work/tile32.cir"
"$build/apps/memspice/memspice" -b "$work/tile32.cir" -r "$work/memspice.raw" > /dev/null
ngspice -b "$work/tile32.cir" -r "$work/ngspice.raw" > /dev/null 2>&1
"$build/apps/rawdiff/memspice-rawdiff" --reltol 1e-6 "$work/ngspice.raw" "$work/memspice.raw"
"$build/apps/xbar/memspice-xbar" export --mnist "$root/data/mnist" --weights "$work/net.npz" --tile-rows 32 \
    --tile-cols 16 --rwire 1 --tile 25 --image 0 --cell 1t1r -o "$work/tile32_1t1r.cir"
grep -q '^mc0_0 ' "$work/tile32_1t1r.cir"
"$build/apps/memspice/memspice" -b "$work/tile32_1t1r.cir" -r "$work/memspice_1t1r.raw" > /dev/null
ngspice -b "$work/tile32_1t1r.cir" -r "$work/ngspice_1t1r.raw" > /dev/null 2>&1
"$build/apps/rawdiff/memspice-rawdiff" --reltol 1e-6 "$work/ngspice_1t1r.raw" "$work/memspice_1t1r.raw"
"$build/apps/xbar/memspice-xbar" export --mnist "$root/data/mnist" --weights "$work/net.npz" --tile-rows 32 \
    --tile-cols 16 --rwire 1 --cwire 1e-13 --transient --read-time 1e-10 --tile 25 --image 0 -o "$work/tile32_tran.cir"
grep -q '^\.tran 5e-13 1e-10 uic' "$work/tile32_tran.cir"
"$build/apps/memspice/memspice" -b "$work/tile32_tran.cir" -r "$work/memspice_tran.raw" > /dev/null
ngspice -b "$work/tile32_tran.cir" -r "$work/ngspice_tran.raw" > /dev/null 2>&1
"$build/apps/rawdiff/memspice-rawdiff" --only 'i(vs*)' --rms 1e-3 "$work/ngspice_tran.raw" "$work/memspice_tran.raw"
# Device cells: memspice runs the tile with the stanford_rram model, ngspice with the same read
# I-V as B sources (xbar_cells.lib:rram_b); the two exports program identical states.
for cell in rram rram_b; do
  "$build/apps/xbar/memspice-xbar" export --mnist "$root/data/mnist" --weights "$work/net.npz" --tile-rows 32 \
      --tile-cols 16 --rwire 1 --tile 25 --image 0 --gmin 5e-6 --cell-device "$root/netlists/xbar_cells.lib:$cell" \
      -o "$work/tile32_$cell.cir" 2> /dev/null
done
grep -q "^xc0_0 w0_0 b0_0 rram state=" "$work/tile32_rram.cir"
cmp <(grep '^xc' "$work/tile32_rram.cir" | cut -d' ' -f5) <(grep '^xc' "$work/tile32_rram_b.cir" | cut -d' ' -f5)
"$build/apps/memspice/memspice" -b "$work/tile32_rram.cir" -r "$work/memspice_rram.raw" > /dev/null
ngspice -b "$work/tile32_rram_b.cir" -r "$work/ngspice_rram_b.raw" > /dev/null 2>&1
"$build/apps/rawdiff/memspice-rawdiff" --reltol 1e-6 --only 'i(vs*),v(b*),v(w*)' "$work/ngspice_rram_b.raw" \
    "$work/memspice_rram.raw"
# A filter that matches nothing is an error, not an agreement.
if "$build/apps/rawdiff/memspice-rawdiff" --only 'nope*' "$work/ngspice_tran.raw" "$work/memspice_tran.raw" 2> /dev/null; then
  echo "memspice-rawdiff passed a filter that matches no vector"; exit 1
fi
echo "1R, 1T1R, RRAM-cell and transient tiles: memspice and ngspice agree"
