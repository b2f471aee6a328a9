# Sourced by wasm/build.sh: the Debian source package this module is built from.
# To bump: change VERSION and DSC_SHA256 (sha256sum of the new .dsc), then run `bash wasm/build.sh` and commit
# the new wasm/dist/*.wasm and wasm/checksums.txt. See wasm/README.md.
SOURCE_PACKAGE=libjpeg-turbo
SOURCE_VERSION=1:2.1.5-2
SOURCE_DIR=libjpeg-turbo-2.1.5
SOURCE_DSC_SHA256=d718ead0dfbcbc8523665c02a7f7152e31039ded641d022868722623bb3b486d

# Called with the unpacked source directory; fails when something we rely on is missing.
source_verify() {
  local dir=$1
  grep -q 'jpeg_has_multiple_scans' "$dir/jdapimin.c" || { echo "$dir: unexpected source" >&2; return 1; }
}
