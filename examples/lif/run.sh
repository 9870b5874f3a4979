#!/usr/bin/env bash
# Perovskite LIF neuron examples (docs/models/perovskite-lif.md):
#   spike_train       spikes under a constant 2 uA input, energy per spike
#   rate_vs_current   the f-I curve and energy per spike against input current
#   population        1000 neurons: firing probability against a (sub-threshold) input,
#                     with the raster of the iin = 1.2 uA point
# Usage: examples/lif/run.sh [output-dir]   (MEMSPICE=path overrides the binary;
#        POPULATION=0 skips the population, about 40 s)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-lif-out}
memspice=${MEMSPICE:-$here/../../build/apps/memspice/memspice}
mkdir -p "$out"
"$memspice" "$here/spike_train.cir" --csv "$out/spike_train.csv" --measure-csv "$out/spike_train_measures.csv" \
  --events "$out/spike_train_events.csv" --plot "$out/spike_train.svg" --plot-y 'v(m),v(out)' > "$out/spike_train.log"
"$memspice" "$here/rate_vs_current.cir" --measure-csv "$out/rate_vs_current.csv" \
  --plot "$out/rate_vs_current.svg" --plot-y rate > "$out/rate_vs_current.log"
if [ "${POPULATION:-1}" = 0 ]; then
  echo "Perovskite LIF examples written to $out/ (population skipped):"
  cat "$out/spike_train_measures.csv" "$out/rate_vs_current.csv"
  exit 0
fi
start=$(date +%s.%N)
"$memspice" "$here/population.cir" --events "$out/population_events.csv" > "$out/population.log"
seconds=$(echo "$(date +%s.%N) - $start" | bc)

# Fraction of the 1000 neurons that fired at least once, per input current; the expected
# value is the chance that a N(1.2, 0.1) threshold lies below the membrane voltage reached
# by the end of the run, iin * R * (1 - exp(-149 us / (R * 30 pF))), R = 1 Meg || 100 Meg.
awk -F, 'NR > 1 && $4 == "fire" { if (!seen[$1 FS $3]++) fired[$1]++ ; steps[$1] = 1 }
         END { print "iin,fired,p_fire,p_expected";
               n = split("0.9e-6 1.0e-6 1.1e-6 1.15e-6 1.2e-6 1.25e-6", list, " ");
               for (k = 1; k <= n; k++) {
                 i = list[k] + 0; f = 0;
                 for (s in fired) if (s + 0 > i * 0.999 && s + 0 < i * 1.001) f = fired[s];
                 r = 1e6 / 1.01; z = (i * r * (1 - exp(-149e-6 / (r * 30e-12))) - 1.2) / 0.1;
                 printf "%g,%d,%.3f,%.3f\n", i, f, f / 1000, 0.5 * (1 + erf(z / sqrt(2)));
               } }
         function erf(x,  t, y) { t = 1 / (1 + 0.3275911 * (x < 0 ? -x : x));
           y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-x * x);
           return x < 0 ? -y : y }' "$out/population_events.csv" > "$out/population_rate.csv"
# Raster of the iin = 1.2 uA point: neuron number (in order of first appearance) against time.
awk -F, 'NR > 1 && $4 == "fire" && $1 + 0 > 1.19e-6 && $1 + 0 < 1.21e-6 {
           if (!($3 in id)) id[$3] = ++n; print $2 * 1e6, id[$3] }' "$out/population_events.csv" > "$out/raster.dat"
gnuplot <<GP
set terminal svg size 800,500
set output "$out/population_rate.svg"
set datafile separator ","
set key left top
set xlabel "input current (uA)"; set ylabel "fraction of 1000 neurons that fire"
plot "$out/population_rate.csv" every ::1 using (\$1*1e6):3 with points pt 7 title "memspice", \
     "" every ::1 using (\$1*1e6):4 with lines title "threshold CDF"
set output "$out/raster.svg"
set datafile separator whitespace
set xlabel "time (us)"; set ylabel "neuron (firing ones, in order of first spike)"
plot "$out/raster.dat" using 1:2 with dots lc rgb "black" notitle
GP
echo "population of 1000 neurons, 6 input currents: ${seconds} s" > "$out/population_time.txt"
echo "Perovskite LIF examples written to $out/:"
cat "$out/spike_train_measures.csv" "$out/rate_vs_current.csv" "$out/population_rate.csv" "$out/population_time.txt"
