# Sourced by wasm/build.sh: the Debian source package this module is built from.
# To bump: change VERSION and DSC_SHA256 (sha256sum of the new .dsc) and the checks below if the code they look
# for moved, then run `bash wasm/build.sh` and commit wasm/dist/*.wasm and wasm/checksums.txt (wasm/README.md).
#
# Debian 13 (trixie), libwebp 1.5.0. Both security fixes this module depends on are upstream since 1.3.1/1.3.2,
# so Debian carries no patch for them any more; the checks below look for the fixed code itself.
SOURCE_PACKAGE=libwebp
SOURCE_VERSION=1.5.0-0.1
SOURCE_DIR=libwebp-1.5.0
SOURCE_DSC_SHA256=2e7be6f202ebfaac738278bebc10b151768aef60857e63734018ced4d59b9c9a

# Called with the unpacked source directory: refuses to build unless the fixed code is really there.
source_verify() {
  local dir=$1
  grep -q '^- 12/19/2024 version 1.5.0$' "$dir/NEWS" || { echo "$dir: not libwebp 1.5.0" >&2; return 1; }
  # CVE-2023-4863 (heap overflow in the lossless decoder's Huffman tables, fixed in 1.3.2): the tables are
  # growable segments, allocated through VP8LHuffmanTablesAllocate and filled by VP8LBuildHuffmanTable.
  grep -q 'VP8LHuffmanTablesAllocate' "$dir/src/dec/vp8l_dec.c" &&
    grep -q 'HuffmanTablesSegment' "$dir/src/utils/huffman_utils.h" &&
    grep -q 'VP8LBuildHuffmanTable(HuffmanTables\* const root_table' "$dir/src/utils/huffman_utils.h" ||
    { echo "$dir: the CVE-2023-4863 fix is missing" >&2; return 1; }
  # CVE-2023-1999 (double free in the lossless alpha encoder, fixed in 1.3.1): result->bw is cleared when
  # encoding fails, so it is not freed twice.
  grep -q 'memset(&result->bw, 0, sizeof(result->bw));' "$dir/src/enc/alpha_enc.c" ||
    { echo "$dir: the CVE-2023-1999 fix is missing" >&2; return 1; }
}
