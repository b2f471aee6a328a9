#!/usr/bin/env bash
# Builds $OUT/heic.wasm: libde265's HEVC decoder (Debian's source, wasm/heic/source.sh; the decoder's sources
# only: no encoder, no SSE/NEON code, no threads) with our wrapper heic.c, which decodes one coded image at a
# time into the host's RGBA strip. Run through wasm/build.sh, which sets OUT and SRC.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${OUT:?set by wasm/build.sh}" "${SRC:?set by wasm/build.sh}"
source "$here/source.sh"
lib="$SRC/$SOURCE_DIR"
work=$(mktemp -d "${TMPDIR:-/tmp}/edgepix-heic.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Paths must not leak into the output (reproducible across checkouts and temp dirs). Single-threaded: without
# -pthread Emscripten's pthread functions are stubs, and the wrapper never starts libde265's worker threads.
flags="-O3 -DNDEBUG -flto -mbulk-memory -ffile-prefix-map=$lib=/src/libde265 -ffile-prefix-map=$work=/build \
  -ffile-prefix-map=$here=/wrapper"
cxxflags="$flags -std=c++11 -I$lib -I$lib/libde265 -DHAVE_POSIX_MEMALIGN -Wno-deprecated-declarations"
export flags cxxflags lib work

# The decoder's sources (libde265/CMakeLists.txt's list without the encoder's en265.cc and image-io.cc, and
# without visualize.cc and quality.cc, tools for its players), sorted so the link order never varies.
decoder="alloc_pool bitstream cabac configparam contextmodel de265 deblock decctx dpb fallback-dct fallback-motion
  fallback image intrapred md5 motion nal-parser nal pps refpic sao scan sei slice sps threads transform util vps vui"
printf '%s\n' $decoder | LC_ALL=C sort >"$work/sources"
# shellcheck disable=SC2016
xargs -P "$(nproc)" -I{} sh -c 'em++ $cxxflags -c "$lib/libde265/{}.cc" -o "$work/de265-{}.o"' <"$work/sources"
emcc $flags -I"$lib" -c "$here/heic.c" -o "$work/wrapper.o"

objects=$(sed 's#^#'"$work"'/de265-#; s#$#.o#' "$work/sources")
# shellcheck disable=SC2086
em++ -O3 -flto -mbulk-memory "$work/wrapper.o" $objects -o "$work/heic.wasm" \
  -sSTANDALONE_WASM --no-entry \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1MB -sMAXIMUM_MEMORY=1GB -sTOTAL_STACK=256KB \
  -sEXPORTED_FUNCTIONS=_malloc,_free
# libde265's logging links stdio: its WASI calls are answered "not supported" (src/codecs/wasm/standalone.ts).
# Anything else in env would be an unresolved symbol.
imports=$(wasm-objdump -x -j Import "$work/heic.wasm" | sed -n 's/.*<- //p' | grep -v '^wasi_snapshot_preview1\.' | sort | tr '\n' ' ')
if [[ $imports != 'env.emscripten_notify_memory_growth ' ]]; then
  echo "heic.wasm imports $imports; expected env.emscripten_notify_memory_growth and WASI only" >&2
  exit 1
fi
cp "$work/heic.wasm" "$OUT/heic.wasm"
echo "built $OUT/heic.wasm ($(stat -c %s "$OUT/heic.wasm") bytes)"
