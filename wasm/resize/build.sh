#!/bin/sh
# Builds resize.wasm: edgepix's streaming SIMD resampler (see resize.c). Run by wasm/build.sh with
#   OUT        absolute directory for outputs (writes $OUT/resize.wasm)
#   SRC        downloaded sources (unused: this module is all ours)
#   NODE_PATH  /usr/share/nodejs, so emcc's JS optimizer finds acorn under a non-Debian Node
# Needs emscripten (emcc 3.1.6 from Debian). The output is byte-identical across runs and folders.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${OUT:?set OUT to the output directory}"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Compile from inside the source folder with a relative path, so no absolute path can reach the output.
cd "$here"
emcc -O3 -msimd128 -ffile-prefix-map="$here"=. \
  -sSTANDALONE_WASM --no-entry \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1MB -sTOTAL_STACK=64KB \
  -sEXPORTED_FUNCTIONS=_malloc,_free \
  -o "$work/resize.wasm" resize.c
cp "$work/resize.wasm" "$OUT/resize.wasm"
echo "resize.wasm: $(wc -c < "$OUT/resize.wasm") bytes"
