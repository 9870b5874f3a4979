#!/usr/bin/env bash
# Quick start, command 1: set up, build, and run memspice on the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== memspice --listing examples/rc_lowpass.cir (the elaborated circuit)"
build/apps/memspice/memspice --listing examples/rc_lowpass.cir
echo "== memspice --check examples/hierarchy.cir"
build/apps/memspice/memspice --check examples/hierarchy.cir
