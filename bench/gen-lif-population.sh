#!/usr/bin/env bash
# A population of N leaky integrate-and-fire neurons written with B sources, so that ngspice
# and memspice run the same deck (memspice's perovskite device is stochastic, which ngspice
# cannot run). Each neuron: membrane cm = 30 pF with leak 1 Mohm, and a threshold switch
# (ron = 1 k, roff = 100 M) that closes when the membrane passes vth = 1.2 V and opens below
# vhold = 0.2 V; the switch state s (a 1 F capacitor's voltage) follows its target with time
# constants ton = 50 ns (closing) and toff = 2 us (opening). The firing current flows through
# a 100 ohm sense resistor. Neuron k is driven by 1.5 + 2 k / N uA, so they fire at different
# rates. perovskite_lif.lib's parameters, without the random threshold:
#   gen-lif-population.sh N TSTOP > deck.cir
set -euo pipefail
n=${1:?neurons} tstop=${2:?tstop}
awk -v N="$n" -v T="$tstop" 'BEGIN {
  printf "population of %d B-source LIF neurons\n", N
  print ".subckt lif in out"
  print "cm in 0 30p"
  print "rleak in 0 1meg"
  print "bt t 0 v = v(in) > 1.2 ? 1 : (v(in) < 0.2 ? 0 : (v(s) > 0.5 ? 1 : 0))"
  print "bs 0 s i = (v(t) - v(s)) / (v(t) > 0.5 ? 50n : 2u)"
  print "cs s 0 1"
  print "bf in out i = v(in, out) * (1e-8 + v(s) * (1e-3 - 1e-8))"
  print "rsense out 0 100"
  print ".ends lif"
  for (k = 0; k < N; k++) {
    printf "i%d 0 m%d pulse(0 %.4gu 1u 10n)\n", k, k, 1.5 + 2 * k / N
    printf "x%d m%d o%d lif\n", k, k, k
  }
  printf ".tran 10n %s\n", T
  print ".end"
}'
