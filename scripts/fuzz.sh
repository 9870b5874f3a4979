#!/usr/bin/env bash
# Fuzz the netlist front end with libFuzzer + AddressSanitizer + UBSan.
#   scripts/fuzz.sh [seconds]      default 3600 (one hour); 0 runs until stopped
# Needs clang and libclang-rt-14-dev (installed by this script). Seeds are every deck in the
# repository; findings go to fuzz/artifacts/, the growing corpus to fuzz/corpus-work/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-3600}"
if ! command -v clang++ >/dev/null || ! dpkg -s libclang-rt-14-dev >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends clang libclang-rt-14-dev
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMEMSPICE_FUZZ=ON -DMEMSPICE_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz --target parser_fuzz -- -j"${FUZZ_BUILD_JOBS:-$(nproc)}"
mkdir -p fuzz/corpus-work fuzz/artifacts
find tests examples netlists -name '*.cir' -exec cp -t fuzz/corpus-work {} + 2>/dev/null || true
args=(-max_len=4096 -timeout=10 -rss_limit_mb=4096 -artifact_prefix=fuzz/artifacts/
      -dict=fuzz/spice.dict -print_final_stats=1)
[ "$seconds" != 0 ] && args+=(-max_total_time="$seconds")
exec build-fuzz/fuzz/parser_fuzz "${args[@]}" fuzz/corpus-work
