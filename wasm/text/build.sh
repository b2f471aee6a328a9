#!/usr/bin/env bash
# Builds $OUT/text.wasm: HarfBuzz (Debian's source, wasm/text/source.sh; its single-file build) shapes text,
# FreeType (Debian's source, wasm/freetype/source.sh; the TrueType/CFF drivers and the anti-aliasing
# rasteriser only: edgepix-ftmodule.h, edgepix-ftoption.h) draws the glyphs, and our text.c joins them.
# Run through wasm/build.sh, which sets OUT and SRC.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${OUT:?set by wasm/build.sh}" "${SRC:?set by wasm/build.sh}"
source "$here/../freetype/source.sh"
ft="$SRC/$SOURCE_DIR"
source "$here/source.sh"
hb="$SRC/$SOURCE_DIR"
work=$(mktemp -d "${TMPDIR:-/tmp}/edgepix-text.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Paths must not leak into the output (reproducible across checkouts and temp dirs). HarfBuzz at -Os: its
# templates are most of the module's size, and shaping is a small part of a render (rasterising is the rest).
maps="-ffile-prefix-map=$SRC=/src -ffile-prefix-map=$here=/wrapper"
# FreeType leaves its rasteriser by longjmp when a glyph overflows its cell pool: WebAssembly exception
# handling rather than JS glue (standalone.ts answers getTempRet0/setTempRet0).
ftflags="-O2 -DNDEBUG -mbulk-memory -sSUPPORT_LONGJMP=wasm $maps -DFT2_BUILD_LIBRARY -I$here -I$ft/include
  -DFT_CONFIG_OPTIONS_H=<edgepix-ftoption.h> -DFT_CONFIG_MODULES_H=<edgepix-ftmodule.h>"
ft_sources=(base/ftbase base/ftbitmap base/ftdebug base/ftinit base/ftmm base/ftsynth base/ftsystem cff/cff psaux/psaux
  pshinter/pshinter psnames/psnames sfnt/sfnt smooth/smooth truetype/truetype)
objects=()
for name in "${ft_sources[@]}"; do
  emcc $ftflags -c "$ft/src/$name.c" -o "$work/ft-${name//\//-}.o"
  objects+=("$work/ft-${name//\//-}.o")
done
# No threads in a Worker (HB_NO_MT), no exceptions or RTTI (HarfBuzz uses neither), and none of what text.c
# does not call: glyph drawing and colour (FreeType draws), buffer debugging, math, names, vertical text, the
# platform's files, locale and environment. Shaping (GSUB/GPOS, every complex shaper, kern) is all there.
hbflags="-DHB_NO_MT -DHB_NO_ATEXIT -DHB_NO_BITMAP -DHB_NO_BUFFER_MESSAGE -DHB_NO_BUFFER_SERIALIZE -DHB_NO_BUFFER_VERIFY
  -DHB_NO_COLOR -DHB_NO_DRAW -DHB_NO_ERRNO -DHB_NO_FACE_COLLECT_UNICODES -DHB_NO_GETENV -DHB_NO_MATH -DHB_NO_META
  -DHB_NO_MMAP -DHB_NO_NAME -DHB_NO_OPEN -DHB_NO_OT_FONT_GLYPH_NAMES -DHB_NO_PAINT -DHB_NO_SETLOCALE
  -DHB_NO_SUBSET_LAYOUT -DHB_NO_VERTICAL"
em++ -Os -DNDEBUG -mbulk-memory $maps $hbflags -fno-exceptions -fno-rtti -c "$hb/src/harfbuzz.cc" -o "$work/harfbuzz.o"
emcc $ftflags -I"$hb/src" -c "$here/text.c" -o "$work/text.o"
em++ -O2 -mbulk-memory "$work/text.o" "$work/harfbuzz.o" "${objects[@]}" -o "$work/text.wasm" \
  -sSTANDALONE_WASM --no-entry -fno-exceptions -sSUPPORT_LONGJMP=wasm \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1MB -sMAXIMUM_MEMORY=256MB -sTOTAL_STACK=128KB \
  -sEXPORTED_FUNCTIONS=_malloc,_free
# What the module imports from env (WASI stdio, linked by FreeType's unused file streams, is answered "not
# supported" by standalone.ts): anything else would be a symbol left undefined.
imports=$(wasm-objdump -x -j Import "$work/text.wasm" | sed -n 's/.*<- env\.//p' | sort | tr '\n' ' ')
if [[ $imports != 'emscripten_notify_memory_growth getTempRet0 setTempRet0 ' && $imports != 'emscripten_notify_memory_growth ' ]]; then
  echo "text.wasm imports env.{$imports}; expected emscripten_notify_memory_growth (and getTempRet0/setTempRet0)" >&2
  exit 1
fi
cp "$work/text.wasm" "$OUT/text.wasm"
echo "built $OUT/text.wasm ($(stat -c %s "$OUT/text.wasm") bytes)"
