#!/usr/bin/env bash
# The mReLU paper's figures: each one memspice command writing CSVs and a plot. Memristor
# figures use the vtg model's defaults; latency and the neuron use netlists/mrelu_neuron.lib.
#   examples/mrelu/run.sh [outdir]     (default build/mrelu)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
memspice="${MEMSPICE:-$root/build/apps/memspice/memspice}"
out="${1:-$root/build/mrelu}"
mkdir -p "$out"
run() { echo "== memspice $*"; "$memspice" "$@" > /dev/null; }

# Fig. 1f / 3a, 3b: 100 quasi-static I-V cycles at Icc = 1 uA: set and hold voltages, volatile.
run "$here/iv_cycles.cir" --csv "$out/iv_cycles.csv" --measure-csv "$out/iv_cycles_measures.csv" \
    --plot "$out/iv_cycles.svg" --plot-x 'v(top)' --plot-y '{-i(v1)}'
# Fig. 1h / 3c: resistance against a current sweep 0 -> 5 uA.
run "$here/r_vs_current.cir" --csv "$out/r_vs_current.csv" --measure-csv "$out/r_vs_current_measures.csv" \
    --plot "$out/r_vs_current.svg" --plot-y '{v(top)/i(i1)}' --plot-log-y
# Fig. 3d: alternating 100 nA / 1 uA current pulses; the resistance does not drift.
run "$here/current_pulses.cir" --csv "$out/current_pulses.csv" --measure-csv "$out/current_pulses_measures.csv" \
    --plot "$out/current_pulses.svg" --plot-y 'v(top)'
# Fig. 3e: resistance at the end of a 1 ms voltage pulse through 1 Meg, against the amplitude.
run "$here/r_vs_pulse_amplitude.cir" --measure-csv "$out/r_vs_pulse_amplitude.csv" \
    --plot "$out/r_vs_pulse_amplitude.svg" --plot-y rend --plot-log-y
# Fig. 3f: latency and energy of one 1 V pulse through 1 Meg (paper: 650 ns, 0.5 pJ).
run "$here/latency_energy.cir" --csv "$out/latency_energy.csv" --measure-csv "$out/latency_energy_measures.csv" \
    --plot "$out/latency_energy.svg" --plot-y 'i(r1)'
# Fig. 3i: Vout / VDD of the 2T-1M neuron against the mirror current (quasi-static ramp).
run "$here/neuron_transfer.cir" --csv "$out/neuron_transfer.csv" --measure-csv "$out/neuron_transfer_measures.csv" \
    --plot "$out/neuron_transfer.svg" --plot-x 'i(iin)' --plot-y '{v(out)/2}'
# Fig. 3i in DC: the neuron's steady state at each current, the limit of the slow ramp above.
run "$here/neuron_transfer_dc.cir" --csv "$out/neuron_transfer_dc.csv" \
    --measure-csv "$out/neuron_transfer_dc_measures.csv" --plot "$out/neuron_transfer_dc.svg" --plot-y '{v(out)/2}'
# Device-to-device variation: 50 Monte Carlo trials of the neuron.
run "$here/neuron_monte_carlo.cir" --measure-csv "$out/neuron_monte_carlo.csv"

# Linearity of Fig. 3i above the threshold (least-squares line of the steady-state Vout/VDD
# against the current), how far the ramp is from the steady state, and the Monte Carlo spread.
{
  for lo in 0.1e-6 1e-6 2.5e-6; do
    awk -F, -v lo="$lo" 'NR == 1 { for (k = 1; k <= NF; ++k) { if ($k == "i(i-sweep)") ci = k; if ($k ~ /^\(v\(out\)/) cr = k } }
      NR > 1 && $ci >= lo - 1e-12 { n++; sx += $ci; sy += $cr; sxx += $ci * $ci; syy += $cr * $cr; sxy += $ci * $cr }
      END { r = (n * sxy - sx * sy) / sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
            printf "fig3i: R^2 of the steady-state Vout/VDD against the current from %g A to 5e-06 A: %.4f\n", lo, r * r }' \
      "$out/neuron_transfer_dc.csv"
  done
  # Both measure files hold ratio_100n .. ratio_5u (Vout/VDD at 0.1 to 5 uA).
  paste -d, "$out/neuron_transfer_measures.csv" "$out/neuron_transfer_dc_measures.csv" |
    awk -F, 'NR == 1 { half = NF / 2; for (k = 1; k <= half; ++k) if ($k ~ /^ratio_[1-9]/) use[k] = 1; next }
      { for (k in use) { d = $k - $(k + half); if (d < 0) d = -d; if (d > worst) worst = d } }
      END { printf "fig3i: largest |ramp - steady state| of Vout/VDD from 0.1 to 5 uA: %.2g\n", worst }'
  awk -F, 'NR == 1 { for (k = 2; k <= NF; ++k) name[k] = $k; next }
    { n++; for (k = 2; k <= NF; ++k) { s[k] += $k; q[k] += $k * $k } }
    END { for (k = 2; k <= NF; ++k) { m = s[k] / n; printf "monte carlo (%d trials): %s mean %.4g sd %.3g\n", n, name[k], m, sqrt(q[k] / n - m * m) } }' \
    "$out/neuron_monte_carlo.csv"
} | tee "$out/summary.txt"
echo "== wrote $out"
