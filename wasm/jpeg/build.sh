#!/usr/bin/env bash
# Builds $OUT/jpeg.wasm: libjpeg-turbo (8-bit, arithmetic decoding) with our wrappers jpeg.c (decoder) and
# encode.c (encoder), one small patch of
# ours (huffman-64bit-buffer.patch) applied to a copy of the verified Debian source, and simd.c: libjpeg-turbo's
# SIMD interface implemented with WebAssembly SIMD for the decoder's hot loops (the library's own SIMD is x86
# assembly or Arm NEON; its build runs with WITH_SIMD=0 and simd.c replaces jsimd_none.c). The same objects are
# also linked without simd.c's routines, and check-simd.mjs decodes the JPEGs under test/fixtures with both:
# the build fails unless the pixels are identical. Run through wasm/build.sh, which sets OUT and SRC.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${OUT:?set by wasm/build.sh}" "${SRC:?set by wasm/build.sh}"
source "$here/source.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/edgepix-jpeg.XXXXXX")
trap 'rm -rf "$work"' EXIT
lib="$work/libjpeg-turbo"
cp -a "$SRC/$SOURCE_DIR" "$lib"
patch -s -d "$lib" -p1 <"$here/huffman-64bit-buffer.patch"

# Paths must not leak into the output (reproducible across checkouts and temp dirs). Bulk memory: libjpeg's
# memset/memcpy (coefficient blocks are zeroed for every MCU) become memory.fill/copy.
maps="-ffile-prefix-map=$work=/build -ffile-prefix-map=$here=/wrapper"
cflags="-O3 -DNDEBUG -DNO_GETENV -DNO_PUTENV -mbulk-memory $maps"

# CMake's type-size probes misdetect under emcc 3.1.6 (SIZEOF_SIZE_T 9): seed them.
emcmake cmake -S "$lib" -B "$work/cmake" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="$cflags" \
  -DENABLE_SHARED=0 -DENABLE_STATIC=1 -DWITH_SIMD=0 -DWITH_TURBOJPEG=0 -DWITH_JAVA=0 \
  -DWITH_ARITH_DEC=1 -DWITH_ARITH_ENC=0 -DWITH_12BIT=0 -DBUILD=edgepix \
  -DHAVE_SIZE_T=1 -DSIZE_T=4 -DHAVE_UNSIGNED_LONG=1 -DUNSIGNED_LONG=4 >"$work/cmake.log" 2>&1 ||
  { cat "$work/cmake.log" >&2; exit 1; }
ninja -C "$work/cmake" jpeg-static >"$work/ninja.log" 2>&1 || { cat "$work/ninja.log" >&2; exit 1; }

# simd.c takes the place of the library's "no SIMD" stubs.
ar_objects=$(emar t "$work/cmake/libjpeg.a")
grep -qx 'jsimd_none.c.o' <<<"$ar_objects" || { echo "libjpeg.a has no jsimd_none.c.o to replace" >&2; exit 1; }
emar d "$work/cmake/libjpeg.a" jsimd_none.c.o

emcc $cflags -sSUPPORT_LONGJMP=wasm -I"$work/cmake" -I"$lib" -c "$here/jpeg.c" -o "$work/jpeg.o"
emcc $cflags -sSUPPORT_LONGJMP=wasm -I"$work/cmake" -I"$lib" -c "$here/encode.c" -o "$work/encode.o"
emcc $cflags -msimd128 -I"$work/cmake" -I"$lib" -c "$here/simd.c" -o "$work/simd.o"
emcc $cflags -msimd128 -DEDGEPIX_NO_SIMD -I"$work/cmake" -I"$lib" -c "$here/simd.c" -o "$work/plain.o"
link() {
  emcc -O3 -mbulk-memory "$work/encode.o" "$work/jpeg.o" "$1" "$work/cmake/libjpeg.a" -o "$2" \
    -sSTANDALONE_WASM --no-entry -sSUPPORT_LONGJMP=wasm \
    -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1MB -sMAXIMUM_MEMORY=1GB -sTOTAL_STACK=128KB \
    -sEXPORTED_FUNCTIONS=_malloc,_free
}
link "$work/simd.o" "$work/jpeg.wasm"
link "$work/plain.o" "$work/jpeg-plain.wasm"
node "$here/check-simd.mjs" "$work/jpeg.wasm" "$work/jpeg-plain.wasm" "$here/../../test/fixtures/images"
cp "$work/jpeg.wasm" "$OUT/jpeg.wasm"
echo "built $OUT/jpeg.wasm ($(stat -c %s "$OUT/jpeg.wasm") bytes)"
