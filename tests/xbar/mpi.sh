#!/usr/bin/env bash
# mpirun -np 2 memspice-xbar infer gives the same per-image results as one process.
#   tests/xbar/mpi.sh BUILD_DIR WORK_DIR MPIEXEC
set -euo pipefail
build="$1"; work="$2"; mpiexec="$3"
root="$(cd "$(dirname "$0")/../.." && pwd)"
xbar="$build/apps/xbar/memspice-xbar"
mkdir -p "$work"
"$xbar" train --mnist "$root/data/mnist" --sizes 784-32-10 --epochs 1 --train-limit 2000 -o "$work/net.npz" > /dev/null 2>&1
args=(infer --mnist "$root/data/mnist" --weights "$work/net.npz" --limit 41 --threads 1 --rwire 1)
"$mpiexec" --allow-run-as-root --oversubscribe -np 2 "$xbar" "${args[@]}" --results "$work/two.csv" --summary "$work/two.json"
"$xbar" "${args[@]}" --results "$work/one.csv" > /dev/null 2>&1
grep -q '"processes": 2' "$work/two.json"
# Same images, labels, predictions; settling and outputs within 1e-6 relative (warm starts differ by slice).
paste -d, "$work/one.csv" "$work/two.csv" | awk -F, 'NR > 1 {
  n = (NF) / 2
  for (k = 1; k <= 4; ++k) if ($k != $(k + n)) { print "row " NR ": column " k " differs"; bad = 1 }
  for (k = 6; k < n; ++k) { d = $k - $(k + n); if (d < 0) d = -d; a = $k < 0 ? -$k : $k
    if (d > 1e-6 * (a + 1e-3)) { print "row " NR ": output " k " differs: " $k " vs " $(k + n); bad = 1 } }
  rows++ } END { if (rows != 41) { print "expected 41 rows, got " rows; bad = 1 } if (bad) exit 1; print "same results" }'
