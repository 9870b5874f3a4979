#!/usr/bin/env bash
# An N-section RC ladder (R = 10 ohm, C = 1 nF per section, as in research/deps.md's ngspice
# timings) driven by a pulse, transient over TSTOP:
#   gen-rc-ladder.sh N TSTOP > deck.cir
set -euo pipefail
n=${1:?sections} tstop=${2:?tstop}
awk -v N="$n" -v T="$tstop" 'BEGIN {
  printf "rc ladder with %d sections\n", N
  print "v1 n0 0 pulse(0 1 0 10n 10n 50u 100u)"
  for (k = 1; k <= N; k++) {
    printf "r%d n%d n%d 10\n", k, k - 1, k
    printf "c%d n%d 0 1n\n", k, k
  }
  printf ".tran 100n %s\n", T
  print ".end"
}'
