#!/usr/bin/env bash
# Builds $OUT/png.wasm: libspng (Debian's source, wasm/png/source.sh) over zlib (Debian's, wasm/zlib/source.sh)
# with our wrappers png.c (decoder: the file in through an import, the rows out a strip at a time) and
# encode.c (encoder: rows in, the file out a piece at a time), and one patch of ours (sse2-filters.patch,
# below) applied to a copy of the verified libspng source. zlib
# rather than miniz: Debian maintains zlib as a package of its own (miniz exists there only as copies inside
# other sources), and it is the inflate libspng is written and tested against. Run through wasm/build.sh, which
# sets OUT and SRC.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${OUT:?set by wasm/build.sh}" "${SRC:?set by wasm/build.sh}"
source "$here/../zlib/source.sh"
zlib="$SRC/$SOURCE_DIR"
source "$here/source.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/edgepix-png.XXXXXX")
trap 'rm -rf "$work"' EXIT
spng="$work/libspng"
cp -a "$SRC/$SOURCE_DIR" "$spng"
patch -s -d "$spng" -p1 <"$here/sse2-filters.patch"

# Paths must not leak into the output (reproducible across checkouts and temp dirs). Bulk memory (memcpy and
# memset become memory.copy/fill) with -flto (zlib's checksums and libspng's row loop inlined across files):
# 6 % less decode CPU than without either; -msimd128 (LLVM's auto-vectorizer) changed nothing measurable.
cflags="-O3 -mbulk-memory -flto -DNDEBUG -ffile-prefix-map=$SRC=/src -ffile-prefix-map=$work=/build -ffile-prefix-map=$here=/wrapper"

# zlib's library sources (no gz* file functions: nothing here has files; compress for libspng's iCCP writer);
# objects in sorted order.
zlib_sources=(adler32 compress crc32 deflate inffast inflate inftrees trees zutil)
for name in "${zlib_sources[@]}"; do
  emcc $cflags -DHAVE_UNISTD_H -c "$zlib/$name.c" -o "$work/zlib-$name.o"
done
# libspng's SSE2 defilters (sub, average, Paeth for 3 and 4 bytes per pixel; libpng's intrinsics), which
# Emscripten maps onto WebAssembly SIMD: sse2-filters.patch (ours) lets libspng take its x86 path under
# Emscripten when SSE2 is on. 22 % less decode CPU on a 24 MP photo saved with adaptive filtering; the same
# pixels (test/workers/codecs/libspng.test.ts decodes every filter type at every pixel size against the values
# written, and PngSuite against the previous decoder). SSSE3 and SSE4.1 variants measured no faster.
emcc $cflags -DSPNG_STATIC -msimd128 -msse2 -I"$zlib" -c "$spng/spng/spng.c" -o "$work/spng.o"
emcc $cflags -DSPNG_STATIC -I"$spng/spng" -I"$zlib" -c "$here/png.c" -o "$work/wrapper.o"
emcc $cflags -DSPNG_STATIC -I"$spng/spng" -I"$zlib" -c "$here/encode.c" -o "$work/encode.o"

# png_input is the host's (src/codecs/libspng.ts): left undefined, it becomes an import. Any other undefined
# symbol would become one too, so the imports are checked below.
emcc -O3 -mbulk-memory -flto "$work/encode.o" "$work/wrapper.o" "$work/spng.o" "$work"/zlib-*.o -o "$work/png.wasm" \
  -sSTANDALONE_WASM --no-entry -sERROR_ON_UNDEFINED_SYMBOLS=0 \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1MB -sMAXIMUM_MEMORY=1GB -sTOTAL_STACK=64KB \
  -sEXPORTED_FUNCTIONS=_malloc,_free
imports=$(wasm-objdump -x -j Import "$work/png.wasm" | sed -n 's/.*<- //p' | sort | tr '\n' ' ')
if [[ $imports != 'env.emscripten_notify_memory_growth env.png_input ' ]]; then
  echo "png.wasm imports $imports; expected env.png_input and env.emscripten_notify_memory_growth only" >&2
  exit 1
fi
cp "$work/png.wasm" "$OUT/png.wasm"
echo "built $OUT/png.wasm ($(stat -c %s "$OUT/png.wasm") bytes)"
