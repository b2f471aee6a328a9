# Sourced by wasm/build.sh: FreeType, which wasm/text links to rasterise glyph outlines (it has no module of its
# own: no build.sh here).
# To bump: change VERSION, DIR and DSC_SHA256 (sha256sum of the new .dsc), then run `bash wasm/build.sh` and commit
# wasm/dist/*.wasm and wasm/checksums.txt (wasm/README.md).
# Debian 13 (trixie) security update: CVE-2026-23865 is fixed by debian/patches.
SOURCE_PACKAGE=freetype
SOURCE_VERSION=2.13.3+dfsg-1+deb13u1
SOURCE_DIR=freetype-2.13.3+dfsg
SOURCE_DSC_SHA256=8aa6e936f4b8ce5b1ac530d3c1bc7c5c36e6432ef81385c29ce649a3ed79e8cd

# Called with the unpacked source directory; fails when something we rely on is missing.
source_verify() {
  local dir=$1
  grep -q '#define FREETYPE_MINOR  13' "$dir/include/freetype/freetype.h" || { echo "$dir: not FreeType 2.13" >&2; return 1; }
  grep -qx 'CVE-2026-23865.patch' "$dir/debian/patches/series" || { echo "$dir: CVE-2026-23865 fix missing" >&2; return 1; }
}
