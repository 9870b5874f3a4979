#!/usr/bin/env bash
# A resistive crossbar deck as in research/ngspice-crossbar-baseline.txt:
#   gen-crossbar.sh ROWS COLS > deck.cir
# ROWS word lines driven through 1 ohm source resistors, COLS bit lines held at 0 V by sense
# sources, 1 ohm per word/bit-line segment, cell resistances 10 k .. 1 M (log-uniform,
# deterministic pseudo-random), one .op.
set -euo pipefail
rows=${1:?rows} cols=${2:?cols}
awk -v M="$rows" -v N="$cols" 'BEGIN {
  seed = 12345
  printf "resistive crossbar %dx%d with 1 ohm wire segments\n", M, N
  for (i = 0; i < M; i++) {
    printf "vin%d in%d 0 %.3f\n", i, i, 0.1 + 0.2 * (i % 5) / 4
    printf "rs%d in%d r%d_0 1\n", i, i, i
    for (j = 0; j + 1 < N; j++) printf "rw%d_%d r%d_%d r%d_%d 1\n", i, j, i, j, i, j + 1
  }
  for (j = 0; j < N; j++) {
    for (i = 0; i + 1 < M; i++) printf "rb%d_%d c%d_%d c%d_%d 1\n", i, j, i, j, i + 1, j
    printf "vs%d c%d_%d 0 0\n", j, M - 1, j
  }
  for (i = 0; i < M; i++)
    for (j = 0; j < N; j++) {
      seed = (seed * 1103515245 + 12345) % 2147483648
      printf "rc%d_%d r%d_%d c%d_%d %.6g\n", i, j, i, j, i, j, 1e4 * 10 ^ (2 * seed / 2147483648)
    }
  print ".op"
  print ".end"
}'
