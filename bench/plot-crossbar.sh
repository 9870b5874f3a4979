#!/usr/bin/env bash
# Crossbar DC solve time against array size, both simulators, from bench/run.sh's tables:
#   bench/plot-crossbar.sh OUT.svg TABLE.md [TABLE.md ...]
# Takes the crossbar_NxN rows of every table given, the first row for each N winning (newest
# first, as in docs/performance.md), so rows from separate runs (a 256 x 256 ngspice run takes
# half an hour) can be drawn together.
# Needs gnuplot.
set -euo pipefail
out=${1:?output svg}; shift
[ $# -gt 0 ] || { echo "usage: bench/plot-crossbar.sh OUT.svg TABLE.md..." >&2; exit 2; }
command -v gnuplot >/dev/null || { echo "plot-crossbar: gnuplot is not installed (apt-get install gnuplot)" >&2; exit 1; }
data=$(mktemp)
trap 'rm -f "$data"' EXIT
# "| crossbar_64x64 | 3.79 (3) | 0.0831 (3) | ..." -> "64 3.79 0.0831"
awk -F'|' '$2 ~ /crossbar_[0-9]+x[0-9]+/ {
    n = $2; sub(/.*crossbar_/, "", n); sub(/x.*/, "", n)
    ng = $3; ms = $4; sub(/ *\(.*/, "", ng); sub(/ *\(.*/, "", ms); gsub(/ /, "", ng); gsub(/ /, "", ms)
    if (ng + 0 > 0 && ms + 0 > 0 && !((n + 0) in row)) row[n + 0] = n " " ng " " ms
  }
  END { for (n in row) print row[n] }' "$@" | sort -n > "$data"
[ -s "$data" ] || { echo "plot-crossbar: no crossbar rows in $*" >&2; exit 1; }
gnuplot <<GP
set terminal svg size 720,460 dynamic
set output "$out"
set logscale xy
set xlabel "array size N (N x N cells, 2 N^2 + 2 N unknowns)"
set ylabel "DC operating point, wall time (s)"
set xtics (32, 64, 128, 256, 512)
set key left top
set grid
plot "$data" using 1:2 with linespoints pt 7 title "ngspice 39", \
     "$data" using 1:3 with linespoints pt 5 title "memspice"
GP
echo "plot-crossbar: wrote $out ($(wc -l < "$data") sizes)"
