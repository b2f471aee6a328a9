# Sourced by wasm/build.sh: the Debian source package this module is built from.
# To bump: change VERSION, DIR and DSC_SHA256 (sha256sum of the new .dsc), then run `bash wasm/build.sh` and commit
# the new wasm/dist/*.wasm and wasm/checksums.txt. See wasm/README.md.
# Debian 12 (bookworm) security update: CVE-2026-41254 is fixed by debian/patches.
SOURCE_PACKAGE=lcms2
SOURCE_VERSION=2.14-2+deb12u1
SOURCE_DIR=lcms2-2.14
SOURCE_DSC_SHA256=8328883a2b25ac3017bdacd1b1b1b60a3ae1f1e68a7e92d94b03060274cd10c5

# Called with the unpacked source directory; fails when something we rely on is missing.
source_verify() {
  local dir=$1
  grep -q 'cmsCreateRGBProfile' "$dir/src/cmsvirt.c" || { echo "$dir: unexpected source" >&2; return 1; }
  grep -qx 'CVE-2026-41254.patch' "$dir/debian/patches/series" || { echo "$dir: CVE-2026-41254 fix missing" >&2; return 1; }
}
