#!/usr/bin/env bash
# Builds $OUT/lcms.wasm: Little CMS 2 (Debian's verified source, every C file of src/) with our wrapper lcms.c.
# Run through wasm/build.sh, which sets OUT and SRC. No SIMD flag: lcms's 8-bit paths are table lookups and
# fixed-point arithmetic that LLVM does not vectorize usefully.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${OUT:?set by wasm/build.sh}" "${SRC:?set by wasm/build.sh}"
source "$here/source.sh"
lib="$SRC/$SOURCE_DIR"
work=$(mktemp -d "${TMPDIR:-/tmp}/edgepix-lcms.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Paths must not leak into the output (reproducible across checkouts and temp dirs).
maps="-ffile-prefix-map=$lib=/lcms2 -ffile-prefix-map=$here=/wrapper"
cflags="-O3 -DNDEBUG -mbulk-memory $maps -I$lib/include -I$lib/src"
objects=()
for c in $(cd "$lib/src" && ls *.c | sort); do
  emcc $cflags -c "$lib/src/$c" -o "$work/${c%.c}.o"
  objects+=("$work/${c%.c}.o")
done
emcc $cflags -c "$here/lcms.c" -o "$work/lcms.o"
emcc -O3 -mbulk-memory "$work/lcms.o" "${objects[@]}" -o "$work/lcms.wasm" \
  -sSTANDALONE_WASM --no-entry \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1MB -sMAXIMUM_MEMORY=256MB -sTOTAL_STACK=128KB \
  -sEXPORTED_FUNCTIONS=_malloc,_free
# What the module imports: WASI stdio (answered "not supported" by standalone.ts) and the two file calls lcms's
# profile-to-file code links in (never called here; src/codecs/colour/lcms.ts answers them "not supported").
imports=$(node -e 'const m=new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));console.log(WebAssembly.Module.imports(m).filter(i=>i.module==="env").map(i=>i.name).sort().join(" "))' "$work/lcms.wasm")
[[ $imports == "__syscall_rmdir __syscall_unlink emscripten_notify_memory_growth" ]] ||
  { echo "lcms.wasm imports unexpected host functions: $imports" >&2; exit 1; }
cp "$work/lcms.wasm" "$OUT/lcms.wasm"
echo "built $OUT/lcms.wasm ($(stat -c %s "$OUT/lcms.wasm") bytes)"
