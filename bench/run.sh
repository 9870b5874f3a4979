#!/usr/bin/env bash
# Times memspice against ngspice on the same decks, alternating the two, and checks that their
# results agree (memspice-rawdiff). Prints a Markdown table: median wall time and peak memory
# of each, and the ratio ngspice / memspice (> 1: memspice is faster).
#   bench/run.sh [--repeat N] [--sizes "32 64 128 256"] [--ladder SECTIONS] [--only REGEX] [--method M]
# --only runs the decks whose names (rc_ladder_1000, lif_population_100, ...) match REGEX.
# --method gear|trap puts ".options method=M" before the .tran of every transient deck (after
# the deck's own options, so it wins), for both simulators: ngspice integrates with the
# trapezoidal rule by default, memspice with IDA's BDF (gear).
# A simulator run longer than 60 s is not repeated. Needs a build (scripts/setup.sh), ngspice
# and GNU time (apt-get install ngspice time).
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=3 sizes="32 64 128 256" ladder=1000 only=. method=
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --ladder) ladder=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --method) method=$2; shift 2 ;;
    *) echo "usage: bench/run.sh [--repeat N] [--sizes \"32 64\"] [--ladder N] [--only REGEX] [--method gear|trap]" >&2; exit 2 ;;
  esac
done
memspice=build/apps/memspice/memspice rawdiff=build/apps/rawdiff/memspice-rawdiff
for tool in "$memspice" "$rawdiff" ngspice /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool (run scripts/setup.sh; apt-get install ngspice time)" >&2; exit 1; }
done
work=build/bench
mkdir -p "$work"

decks=()
bench/gen-rc-ladder.sh "$ladder" 1m > "$work/rc_ladder_$ladder.cir"; decks+=("$work/rc_ladder_$ladder.cir")
# The regression deck's bridge over 500 cycles instead of 5, so the run is long enough to time.
sed 's/^\.tran 1u 1m$/.tran 1u 100m/; s/over 1 ms/over 100 ms/' tests/regression/decks/tran_diode_bridge.cir \
  > "$work/diode_bridge_100ms.cir"
grep -q '^\.tran 1u 100m$' "$work/diode_bridge_100ms.cir" || { echo "bench: tran_diode_bridge.cir changed; update run.sh" >&2; exit 1; }
decks+=("$work/diode_bridge_100ms.cir")
# The small-circuit, many-step cases of the VACASK benchmark set (research/simulators.md 2.1),
# and the mReLU neuron with its devices as B sources.
for d in rc_pulse_train graetz voltage_multiplier mrelu_neuron; do cp "bench/decks/$d.cir" "$work/$d.cir"; decks+=("$work/$d.cir"); done
# 100 B-source LIF neurons, 200 us: a spiking population both simulators can run.
bench/gen-lif-population.sh 100 200u > "$work/lif_population_100.cir"; decks+=("$work/lif_population_100.cir")
if [ -n "$method" ]; then
  case "$method" in gear|trap) ;; *) echo "bench: --method is gear or trap" >&2; exit 2 ;; esac
  for d in "${decks[@]}"; do sed -i "0,/^\.tran/s//.options method=$method\n.tran/" "$d"; done
fi
for n in $sizes; do
  bench/gen-crossbar.sh "$n" "$n" > "$work/crossbar_${n}x$n.cir"; decks+=("$work/crossbar_${n}x$n.cir")
done

# run SIM DECK RAW -> "seconds kilobytes": wall time from the clock in nanoseconds (GNU time
# rounds to 10 ms), peak memory from GNU time; "FAIL 0" if the simulator wrote no result.
run() {
  local sim=$1 deck=$2 raw=$3 start end
  rm -f "$raw"
  start=$(date +%s.%N)
  if [ "$sim" = ngspice ]; then
    /usr/bin/time -f "%M" -o "$raw.time" ngspice -b -r "$raw" "$deck" > "$raw.log" 2>&1 || true
  else
    /usr/bin/time -f "%M" -o "$raw.time" "$memspice" -b -r "$raw" "$deck" > "$raw.log" 2>&1 || true
  fi
  end=$(date +%s.%N)
  if [ ! -s "$raw" ]; then
    echo "bench: $sim failed on $deck (see $raw.log)" >&2
    echo "FAIL 0"
    return
  fi
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }') $(tail -1 "$raw.time")"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "| deck | ngspice s | memspice s | ratio | ngspice MB | memspice MB | results |"
echo "|---|---|---|---|---|---|---|"
for deck in "${decks[@]}"; do
  name=$(basename "$deck" .cir)
  [[ $name =~ $only ]] || continue
  ng_t=() ms_t=() ng_m=0 ms_m=0 ng_done=0 ms_done=0
  for ((r = 0; r < repeat; r++)); do
    if [ $ng_done = 0 ]; then
      read -r t m < <(run ngspice "$deck" "$work/$name.ngspice.raw")
      ng_t+=("$t"); ng_m=$m
      { [ "$t" = FAIL ] || awk -v t="$t" 'BEGIN { exit !(t > 60) }'; } && ng_done=1
    fi
    if [ $ms_done = 0 ]; then
      read -r t m < <(run memspice "$deck" "$work/$name.memspice.raw")
      ms_t+=("$t"); ms_m=$m
      { [ "$t" = FAIL ] || awk -v t="$t" 'BEGIN { exit !(t > 60) }'; } && ms_done=1
    fi
  done
  if printf '%s\n' "${ng_t[@]}" "${ms_t[@]}" | grep -q FAIL; then
    failed=$(printf '%s\n' "${ng_t[0]}" | grep -q FAIL && echo ngspice || echo memspice)
    echo "| $name | $(printf '%s\n' "${ng_t[0]}" | sed 's/FAIL/failed/') | $(printf '%s\n' "${ms_t[0]}" | sed 's/FAIL/failed/') | - | - | - | $failed failed (see $work/$name.$failed.raw.log) |"
    continue
  fi
  ng=$(printf '%s\n' "${ng_t[@]}" | median) ms=$(printf '%s\n' "${ms_t[@]}" | median)
  if grep -qi '^\.meas' "$deck"; then
    # Spiking decks: a few ns of spike-time difference is a large RMS difference on 30 ns
    # spikes (at any tolerance both simulators differ that much from a reltol=1e-5 run), so
    # compare the measured spike times instead. Both simulators' spike times are within 1e-3
    # of a reltol=1e-5 run (docs/performance.md), in either direction: so within 2e-3 here.
    # ngspice measures only without -r: one more, untimed run.
    ngspice -b "$deck" > "$work/$name.ngspice.meas.log" 2>&1 || true
    # The names come from the deck's .meas cards, so a measurement either log lacks is a
    # difference, never a silent pass.
    agree=$(awk 'FNR == 1 { f++ }
      f == 1 && tolower($1) ~ /^\.meas(ure)?$/ { names[tolower($3)]; next }
      f > 1 && (tolower($1) in names) && $2 == "=" { v[f, tolower($1)] = $3 }
      END { worst = 0; n = 0
            for (k in names) { n++; if (!((2, k) in v) || !((3, k) in v)) { print "DIFFER (measurement " k " missing)"; exit }
                               d = v[2, k] - v[3, k]; d = d < 0 ? -d : d; r = d / (v[2, k] < 0 ? -v[2, k] : v[2, k])
                               if (r > worst) worst = r }
            printf "%s: %d spike times, largest relative difference %.2g\n", (n > 0 && worst <= 2e-3 ? "agree" : "DIFFER"), n, worst }' \
      "$deck" "$work/$name.ngspice.meas.log" "$work/$name.memspice.raw.log")
  elif "$rawdiff" "$work/$name.ngspice.raw" "$work/$name.memspice.raw" > "$work/$name.diff" 2>&1; then agree=agree
  else agree="DIFFER (see $work/$name.diff)"; fi
  awk -v n="$name" -v ng="$ng" -v ms="$ms" -v ngm="$ng_m" -v msm="$ms_m" -v a="$agree" -v rn="${#ng_t[@]}" -v rm="${#ms_t[@]}" \
    'BEGIN { printf "| %s | %.3g (%d) | %.3g (%d) | %.3gx | %.0f | %.0f | %s |\n", n, ng, rn, ms, rm, (ms > 0 ? ng / ms : 0), ngm / 1024, msm / 1024, a }'
done
echo
echo "Times are medians of (n) runs; ratio = ngspice / memspice wall time. $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')."
