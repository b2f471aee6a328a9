# Sourced by wasm/build.sh: the Debian source package this module is built from.
# To bump: change VERSION and DSC_SHA256 (sha256sum of the new .dsc) and the checks below if the code they look
# for moved, then run `bash wasm/build.sh` and commit wasm/dist/*.wasm and wasm/checksums.txt (wasm/README.md).
#
# Debian 13 (trixie), libde265 1.0.15 with Debian's security patches (debian/patches, all applied and checked
# by wasm/build.sh): the HEVC decoder only; the HEIF container is read by the host (src/codecs/heic/).
SOURCE_PACKAGE=libde265
SOURCE_VERSION=1.0.15-1+deb13u2
SOURCE_DIR=libde265-1.0.15
SOURCE_DSC_SHA256=d85412b00d6e52e12ca5ecb5003dfd3cd48da5f26a0f7a8ee63336289ecf6393

# Called with the unpacked source directory; fails when something we rely on is missing.
source_verify() {
  local dir=$1
  grep -q '#define LIBDE265_VERSION "1.0.15"' "$dir/libde265/de265-version.h" || { echo "$dir: not libde265 1.0.15" >&2; return 1; }
  # Debian's fixes for the CVEs of 2024–2026 (out-of-bounds reads and writes on crafted streams) are the
  # reason for this release; refuse a source without them.
  local patch
  for patch in CVE-2024-38949_CVE-2024-38950 CVE-2025-61147 CVE-2026-45382 CVE-2026-45383 CVE-2026-49337 \
    CVE-2026-49295 CVE-2026-49346 CVE-2026-54240_CVE-2026-54241 CVE-2026-33164_CVE-2026-33165; do
    grep -qx "$patch.patch" "$dir/debian/patches/series" || { echo "$dir: Debian patch $patch is missing" >&2; return 1; }
  done
}
