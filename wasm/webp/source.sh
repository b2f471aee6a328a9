# Sourced by wasm/build.sh: the Debian source package this module is built from.
# To bump: change VERSION and DSC_SHA256 (sha256sum of the new .dsc) and the checks below if the fixes moved
# upstream, then run `bash wasm/build.sh` and commit wasm/dist/*.wasm and wasm/checksums.txt (wasm/README.md).
SOURCE_PACKAGE=libwebp
SOURCE_VERSION=1.2.4-0.2+deb12u1
SOURCE_DIR=libwebp-1.2.4
SOURCE_DSC_SHA256=d9ed0b59e2010f255c28d0869fd15b31f9b08aed757bfc91862d43aa9ec1aa99

# Called with the unpacked source directory. libwebp 1.2.4 itself predates both fixes: refuse to build
# unless Debian's patches are applied and the fixed code is really there.
source_verify() {
  local dir=$1 applied
  applied=$(cd "$dir" && QUILT_PATCHES=debian/patches quilt applied 2>/dev/null | sed 's#.*/##') || {
    echo "$dir: no quilt patches applied" >&2
    return 1
  }
  for patch in CVE-2023-4863.patch EncodeAlphaInternal-clear-result-bw-on-error.patch; do
    grep -qx "$patch" <<<"$applied" || { echo "$dir: $patch is not applied" >&2; return 1; }
  done
  # CVE-2023-4863 (heap overflow in the lossless Huffman tables): tables became growable segments.
  grep -q 'VP8LHuffmanTablesAllocate' "$dir/src/dec/vp8l_dec.c" &&
    grep -q 'HuffmanTablesSegment' "$dir/src/utils/huffman_utils.h" ||
    { echo "$dir: the CVE-2023-4863 fix is missing" >&2; return 1; }
  # CVE-2023-1999 (double free in the alpha encoder): result->bw is cleared on error.
  grep -q 'memset(&result->bw, 0, sizeof(result->bw));' "$dir/src/enc/alpha_enc.c" ||
    { echo "$dir: the CVE-2023-1999 fix is missing" >&2; return 1; }
}
