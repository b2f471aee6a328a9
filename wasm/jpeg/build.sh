#!/usr/bin/env bash
# Builds $OUT/jpeg.wasm: libjpeg-turbo (8-bit, arithmetic decoding, no SIMD: its SIMD is native
# assembly) with our wrapper jpeg.c and one small patch of ours (huffman-64bit-buffer.patch), applied to a copy
# of the verified Debian source. Run through wasm/build.sh, which sets OUT and SRC.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${OUT:?set by wasm/build.sh}" "${SRC:?set by wasm/build.sh}"
source "$here/source.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/edgepix-jpeg.XXXXXX")
trap 'rm -rf "$work"' EXIT
lib="$work/libjpeg-turbo"
cp -a "$SRC/$SOURCE_DIR" "$lib"
patch -s -d "$lib" -p1 <"$here/huffman-64bit-buffer.patch"

# Paths must not leak into the output (reproducible across checkouts and temp dirs).
maps="-ffile-prefix-map=$work=/build -ffile-prefix-map=$here=/wrapper"
cflags="-O3 -DNDEBUG -DNO_GETENV -DNO_PUTENV $maps"

# CMake's type-size probes misdetect under emcc 3.1.6 (SIZEOF_SIZE_T 9): seed them.
emcmake cmake -S "$lib" -B "$work/cmake" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="$cflags" \
  -DENABLE_SHARED=0 -DENABLE_STATIC=1 -DWITH_SIMD=0 -DWITH_TURBOJPEG=0 -DWITH_JAVA=0 \
  -DWITH_ARITH_DEC=1 -DWITH_ARITH_ENC=0 -DWITH_12BIT=0 -DBUILD=edgepix \
  -DHAVE_SIZE_T=1 -DSIZE_T=4 -DHAVE_UNSIGNED_LONG=1 -DUNSIGNED_LONG=4 >"$work/cmake.log" 2>&1 ||
  { cat "$work/cmake.log" >&2; exit 1; }
ninja -C "$work/cmake" jpeg-static >"$work/ninja.log" 2>&1 || { cat "$work/ninja.log" >&2; exit 1; }

emcc $cflags -sSUPPORT_LONGJMP=wasm -I"$work/cmake" -I"$lib" -c "$here/jpeg.c" -o "$work/jpeg.o"
emcc -O3 "$work/jpeg.o" "$work/cmake/libjpeg.a" -o "$OUT/jpeg.wasm" \
  -sSTANDALONE_WASM --no-entry -sSUPPORT_LONGJMP=wasm \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1MB -sMAXIMUM_MEMORY=1GB -sTOTAL_STACK=128KB \
  -sEXPORTED_FUNCTIONS=_malloc,_free
echo "built $OUT/jpeg.wasm ($(stat -c %s "$OUT/jpeg.wasm") bytes)"
