#!/usr/bin/env bash
# Builds $OUT/webp.wasm: libwebp's decoder and encoder (src/{dec,enc,dsp,utils} and sharpyuv/) and its animation
# demuxer/decoder and muxer/encoder (src/{demux,mux}) with our wrappers webp.c and anim.c and one patch of ours (direct-dsp-calls.patch) applied to a copy of the verified Debian source.
# -msimd128 -msse2 turns libwebp's SSE2 code into WASM SIMD (about 2x faster than plain C): Emscripten defines
# __SSE2__, so cpu.h defines WEBP_USE_SSE2/WEBP_HAVE_SSE2 and cpu.c's EMSCRIPTEN branch reports SSE2 as present,
# and the *_SSE2 functions are the ones installed (webp.c refuses to compile otherwise). Its hot loops are those
# intrinsics. The patch binds the encoder's DSP function pointers to those SSE2 routines as constants, and -flto
# (compile and link) lets the compiler make the calls direct and inline the small ones: ~10 % less encode CPU,
# identical output. Measured and left out: LLVM's auto-vectorizer (a bigger module, same speed, same output),
# -msse4.1 (libwebp's SSE4.1 paths: no faster in WASM), -flto without the patch (5 % slower), and bulk-memory or
# non-trapping float-to-int instructions (no measurable change). Run through wasm/build.sh (sets OUT and SRC).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${OUT:?set by wasm/build.sh}" "${SRC:?set by wasm/build.sh}"
source "$here/source.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/edgepix-webp.XXXXXX")
trap 'rm -rf "$work"' EXIT
lib="$work/libwebp"
cp -a "$SRC/$SOURCE_DIR" "$lib"
patch -s -d "$lib" -p1 <"$here/direct-dsp-calls.patch"

cflags="-O3 -DNDEBUG -msimd128 -msse2 -flto -fno-vectorize -fno-slp-vectorize -I$lib \
  -ffile-prefix-map=$lib=/src/libwebp -ffile-prefix-map=$work=/build -ffile-prefix-map=$here=/wrapper"
export cflags lib work

# One object per source, named after its path; sorted so the link order (and the output) never varies.
(cd "$lib" && ls src/dec/*.c src/demux/*.c src/enc/*.c src/dsp/*.c src/mux/*.c src/utils/*.c sharpyuv/*.c | LC_ALL=C sort) >"$work/sources"
# shellcheck disable=SC2016
xargs -P "$(nproc)" -I{} sh -c 'emcc $cflags -c "$lib/{}" -o "$work/$(echo {} | tr / _).o"' <"$work/sources"
emcc $cflags -c "$here/webp.c" -o "$work/wrapper.o"
emcc $cflags -c "$here/anim.c" -o "$work/anim.o"

objects=$(sed 's#/#_#g; s#$#.o#; s#^#'"$work"'/#' "$work/sources")
# shellcheck disable=SC2086
emcc -O3 -msimd128 -flto "$work/wrapper.o" "$work/anim.o" $objects -o "$OUT/webp.wasm" \
  -sSTANDALONE_WASM --no-entry \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1MB -sMAXIMUM_MEMORY=1GB -sTOTAL_STACK=256KB \
  -sEXPORTED_FUNCTIONS=_malloc,_free
echo "built $OUT/webp.wasm ($(stat -c %s "$OUT/webp.wasm") bytes)"
