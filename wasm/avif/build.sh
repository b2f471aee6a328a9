#!/usr/bin/env bash
# Builds $OUT/avif.wasm: dav1d (Debian's source, wasm/avif/source.sh), single-threaded and without assembly,
# with our wrapper avif.c (one AV1 item in, RGBA strips out). There is no meson here: the library's C
# sources (source.sh checks the list against src/meson.build) are compiled directly with the config.h below,
# which is what meson writes for a wasm32 target with asm off and both bit depths. Run through
# wasm/build.sh, which sets OUT and SRC.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${OUT:?set by wasm/build.sh}" "${SRC:?set by wasm/build.sh}"
source "$here/source.sh"
dav1d="$SRC/$SOURCE_DIR"
work=$(mktemp -d "${TMPDIR:-/tmp}/edgepix-avif.XXXXXX")
trap 'rm -rf "$work"' EXIT

# meson's config.h for this target: no asm, no threads beyond the caller's (thread_task.c is still built;
# with one thread it creates none and Emscripten's single-threaded pthread stubs suffice), 8- and 16-bit
# pixel code (10- and 12-bit files), no logging, unused DSP variants trimmed.
cat >"$work/config.h" <<'CONFIG'
#define ARCH_AARCH64 0
#define ARCH_ARM 0
#define ARCH_LOONGARCH 0
#define ARCH_LOONGARCH32 0
#define ARCH_LOONGARCH64 0
#define ARCH_PPC64LE 0
#define ARCH_RISCV 0
#define ARCH_RV32 0
#define ARCH_RV64 0
#define ARCH_X86 0
#define ARCH_X86_32 0
#define ARCH_X86_64 0
#define CONFIG_16BPC 1
#define CONFIG_8BPC 1
#define CONFIG_LOG 0
#define CONFIG_MACOS_KPERF 0
#define ENDIANNESS_BIG 0
#define HAVE_ASM 0
#define HAVE_C11_GENERIC 1
#define HAVE_CLOCK_GETTIME 1
#define HAVE_DLSYM 0
#define HAVE_POSIX_MEMALIGN 1
#define HAVE_MEMALIGN 0
#define HAVE_ALIGNED_ALLOC 0
#define HAVE_UNISTD_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_IO_H 0
#define HAVE_PTHREAD_NP_H 0
#define HAVE_GETAUXVAL 0
#define HAVE_ELF_AUX_INFO 0
#define HAVE_PTHREAD_GETAFFINITY_NP 0
#define HAVE_PTHREAD_SETAFFINITY_NP 0
#define HAVE_PTHREAD_SETNAME_NP 0
#define HAVE_PTHREAD_SET_NAME_NP 0
#define TRIM_DSP_FUNCTIONS 1
CONFIG
echo "#define DAV1D_VERSION \"$SOURCE_VERSION\"" >"$work/vcs_version.h"

# Paths must not leak into the output (reproducible across checkouts and temp dirs). dav1d's SIMD is x86 and
# Arm assembly (off here); -msimd128 lets LLVM vectorize its C loops: 18 % less decode CPU on a 24 MP 4:2:0
# photo (module 488 → 600 KB). -flto measured no better.
cflags="-O3 -mbulk-memory -msimd128 -DNDEBUG -std=c99 -D_GNU_SOURCE -D_POSIX_C_SOURCE=200112L -ffile-prefix-map=$SRC=/src -ffile-prefix-map=$work=/build -ffile-prefix-map=$here=/wrapper"
includes="-I$work -I$dav1d -I$dav1d/include -I$dav1d/src"
export cflags includes dav1d work
# Plain sources once, *_tmpl.c once per pixel size (BITDEPTH 8 and 16), as meson does; two at a time.
for name in $(dav1d_sources_expected); do
  base=${name%.c}
  if [[ $base == *_tmpl ]]; then
    echo "$base 8"
    echo "$base 16"
  else
    echo "$base -"
  fi
done | xargs -P 2 -L 1 bash -c '
  if [[ $1 == - ]]; then emcc $cflags $includes -c "$dav1d/src/$0.c" -o "$work/dav1d-$0.o"
  else emcc $cflags $includes -DBITDEPTH=$1 -c "$dav1d/src/$0.c" -o "$work/dav1d-$0-$1.o"; fi'
emcc $cflags -I"$dav1d/include" -c "$here/avif.c" -o "$work/wrapper.o"

# Objects in sorted order (LC_ALL=C from wasm/build.sh); any undefined symbol would become an import, so the
# import list is checked below.
emcc -O3 -mbulk-memory -msimd128 "$work/wrapper.o" $(ls "$work"/dav1d-*.o | sort) -o "$work/avif.wasm" \
  -sSTANDALONE_WASM --no-entry -sERROR_ON_UNDEFINED_SYMBOLS=0 \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=1MB -sMAXIMUM_MEMORY=1GB -sTOTAL_STACK=256KB \
  -sEXPORTED_FUNCTIONS=_malloc,_free
imports=$(wasm-objdump -x -j Import "$work/avif.wasm" | sed -n 's/.*<- //p' | sort | tr '\n' ' ')
# proc_exit comes with abort() (dav1d's internal assertions); standalone.ts answers it "not supported", after
# which the abort traps.
if [[ $imports != 'env.emscripten_notify_memory_growth wasi_snapshot_preview1.proc_exit ' ]]; then
  echo "avif.wasm imports $imports; expected env.emscripten_notify_memory_growth and proc_exit only" >&2
  exit 1
fi
cp "$work/avif.wasm" "$OUT/avif.wasm"
echo "built $OUT/avif.wasm ($(stat -c %s "$OUT/avif.wasm") bytes)"
