#!/usr/bin/env bash
# Regenerates tests/regression/golden/*.raw: each deck in tests/regression/decks run by
# ngspice 39 in batch mode, written as an ASCII raw file. Run after adding or changing a deck;
# review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/../tests/regression"
command -v ngspice >/dev/null || { echo "ngspice is not installed (apt-get install ngspice)" >&2; exit 1; }
ngspice --version | head -2 | tail -1
for deck in decks/*.cir; do
  name=$(basename "$deck" .cir)
  if ! SPICE_ASCIIRAWFILE=1 ngspice -b -r "golden/$name.raw" "$deck" > "golden/$name.log" 2>&1; then
    echo "ngspice failed on $deck; see golden/$name.log" >&2
    exit 1
  fi
  rm -f "golden/$name.log"
  echo "$name: $(grep -c '^Plotname' "golden/$name.raw") plot(s)"
done
