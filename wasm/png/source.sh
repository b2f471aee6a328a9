# Sourced by wasm/build.sh: the Debian source package this module is built from (zlib comes from
# wasm/zlib/source.sh). To bump: change VERSION and DSC_SHA256 (sha256sum of the new .dsc) and the checks below
# if the code they look for moved, then run `bash wasm/build.sh` and commit wasm/dist/*.wasm and
# wasm/checksums.txt (wasm/README.md).
#
# Debian 12 (bookworm), libspng 0.7.3. Trixie's 0.7.4 differs only by refusing an empty eXIf chunk, a chunk our
# wrapper never lets libspng see (wasm/png/png.c passes it the chunks that make the pixels).
SOURCE_PACKAGE=libspng
SOURCE_VERSION=0.7.3-3
SOURCE_DIR=libspng-0.7.3
SOURCE_DSC_SHA256=05f324accbf40d02f4d284047b9fb792e03481ede86c1425af01e4656c475028

# Called with the unpacked source directory; fails when something we rely on is missing.
source_verify() {
  local dir=$1
  grep -q '^#define SPNG_VERSION_PATCH 3$' "$dir/spng/spng.h" || { echo "$dir: not libspng 0.7.3" >&2; return 1; }
  # The row-at-a-time decode the wrapper is built on, and the checks it keeps on: chunk CRCs (critical chunks
  # are an error) and zlib's Adler-32 of the image data.
  grep -q 'SPNG_DECODE_PROGRESSIVE' "$dir/spng/spng.h" &&
    grep -q 'int spng_decode_scanline(spng_ctx \*ctx, void \*out, size_t len)' "$dir/spng/spng.c" &&
    grep -q 'inflateValidate(&ctx->zstream, validate)' "$dir/spng/spng.c" ||
    { echo "$dir: unexpected source" >&2; return 1; }
}
