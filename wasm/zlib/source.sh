# Sourced by wasm/build.sh: zlib, which wasm/png links (it has no module of its own: no build.sh here).
# To bump: change VERSION and DSC_SHA256 (sha256sum of the new .dsc), then run `bash wasm/build.sh` and commit
# wasm/dist/*.wasm and wasm/checksums.txt (wasm/README.md).
#
# Debian 13 (trixie), zlib 1.3.1, which Debian carries unpatched. The PNG module uses inflate and the
# Adler-32/CRC-32 checks only (the linker drops the rest); minizip and the gz* file functions are not built.
SOURCE_PACKAGE=zlib
SOURCE_VERSION=1:1.3.dfsg+really1.3.1-1
SOURCE_DIR=zlib-1.3.dfsg+really1.3.1
SOURCE_DSC_SHA256=ede2791e29c1d3b422f9208bdd7edf040c20445ea1e7453a72037576e64fa197

# Called with the unpacked source directory; fails when something we rely on is missing.
source_verify() {
  local dir=$1
  grep -q '#define ZLIB_VERSION "1.3.1"' "$dir/zlib.h" || { echo "$dir: not zlib 1.3.1" >&2; return 1; }
}
