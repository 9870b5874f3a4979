#!/usr/bin/env bash
# A population of N leaky integrate-and-fire neurons written with B sources, so that ngspice
# and memspice run the same deck (memspice's perovskite device is stochastic, which ngspice
# cannot run). Each neuron: membrane cm = 30 pF with leak 1 Mohm, and a threshold switch
# (ron = 1 k, roff = 100 M, through a 100 ohm sense resistor) whose state s (a 1 F
# capacitor's voltage) follows a sigmoid of the membrane voltage with time constants
# ton = 50 ns (closing) and toff = 2 us (opening). The sigmoid's threshold is 1.2 V - s, so a
# closed switch opens only below about 0.2 V: hysteresis by positive feedback, smooth
# everywhere, apart from the rate constant's ?: (an event in memspice, continuous in value).
# perovskite_lif.lib's parameters, without the random threshold.
# Neuron k is driven by 1.5 + 2 k / N uA, so the neurons fire at different rates.
#   gen-lif-population.sh N TSTOP > deck.cir
set -euo pipefail
n=${1:?neurons} tstop=${2:?tstop}
awk -v N="$n" -v T="$tstop" 'BEGIN {
  printf "population of %d B-source LIF neurons\n", N
  print ".subckt lif in out"
  print "cm in 0 30p"
  print "rleak in 0 1meg"
  print "bsig g 0 v = 1 / (1 + exp(-(v(in) - 1.2 + v(s)) / 5m))"
  print "bs 0 s i = (v(g) - v(s)) / (v(g) > v(s) ? 50n : 2u)"
  print "cs s 0 1"
  print "bf in out i = v(in, out) * (1e-8 + v(s) * v(s) * 1e-3)"
  print "rsense out 0 100"
  print ".ends lif"
  for (k = 0; k < N; k++) {
    printf "i%d 0 m%d pulse(0 %.4gu 1u 10n)\n", k, k, 1.5 + 2 * k / N
    printf "x%d m%d o%d lif\n", k, k, k
  }
  # The membranes and the spike outputs: what a user of the population looks at (the helper
  # nodes g and s are internal to the switch model).
  for (k = 0; k < N; k++) printf ".save v(m%d) v(o%d)\n", k, k
  # The third spike of every neuron (the slowest fires 3 times in 200 us), for bench/run.sh
  # to compare spike times.
  for (k = 0; k < N; k++) printf ".meas tran s%d when v(o%d)=18m rise=3\n", k, k
  printf ".tran 10n %s\n", T
  print ".end"
}'
