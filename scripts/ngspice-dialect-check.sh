#!/usr/bin/env bash
# Runs small decks through ngspice -b and prints how ngspice reads numbers and expressions,
# the source of the ngspice column in docs/netlist-syntax.md ("Differences from ngspice 39").
set -euo pipefail
command -v ngspice >/dev/null || { echo "ngspice is not installed (apt-get install ngspice)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

cat > values.cir <<'DECK'
how ngspice reads values
.param p_mil=1mil p_pow='2**3**2' p_neg='-2^2' p_pwr='pwr(-2,2)' p_log='log(100)'
V1 1 0 1
R1 1 0 {p_mil}
R2 1 0 1mil
R3 1 0 {p_pow}
R4 1 0 {p_neg}
R5 1 0 {p_pwr}
R6 1 0 {p_log}
R7 1 0 1.2.3
.op
.control
op
show r1 r2 r3 r4 r5 r6 r7 : resistance
.endc
.end
DECK
echo "== resistances: r1 {1mil} r2 1mil r3 {2**3**2} r4 {-2^2} r5 {pwr(-2,2)} r6 {log(100)} r7 1.2.3"
ngspice -b values.cir 2>&1 | grep -E 'device|resistance' || true

cat > power.cir <<'DECK'
power of a negative base in .param and in B sources
.param p_caret='(-2)^3' p_pow='pow(-2,3)'
V1 a 0 -2
R1 a 0 1
B1 b 0 V=v(a)^3
R2 b 0 1
B2 c 0 V=pow(v(a),3)
R3 c 0 1
B3 d 0 V=pwr(v(a),3)
R4 d 0 1
R5 a 0 {p_caret}
R6 a 0 {p_pow}
.op
.control
op
print v(b) v(c) v(d)
show r5 r6 : resistance
.endc
.end
DECK
echo "== B sources with v(a) = -2: v(b) = v(a)^3, v(c) = pow(v(a),3), v(d) = pwr(v(a),3); r5 {(-2)^3}, r6 {pow(-2,3)}"
ngspice -b power.cir 2>&1 | grep -E '^v\(|device|resistance' || true

cat > undefined.cir <<'DECK'
undefined parameter
V1 1 0 1
R1 1 0 {rload}
.op
.end
DECK
echo "== undefined parameter:"
ngspice -b undefined.cir 2>&1 | grep -iE 'undefined|error' || true
