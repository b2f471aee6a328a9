# Sourced by wasm/build.sh: HarfBuzz, the text shaper of wasm/text (FreeType, its rasteriser, is wasm/freetype).
# To bump: change VERSION, DIR and DSC_SHA256 (sha256sum of the new .dsc), then run `bash wasm/build.sh` and commit
# the new wasm/dist/*.wasm and wasm/checksums.txt. See wasm/README.md.
# Debian 13 (trixie) security update.
SOURCE_PACKAGE=harfbuzz
SOURCE_VERSION=10.2.0-1+deb13u1
SOURCE_DIR=harfbuzz-10.2.0
SOURCE_DSC_SHA256=bdc0f2aa593d42e09a35c1469d2cb9580f0b15bcae4e3a8c4b8ed586c4fb1032

# Called with the unpacked source directory; fails when something we rely on is missing.
source_verify() {
  local dir=$1
  grep -q 'HB_VERSION_STRING "10.2.0"' "$dir/src/hb-version.h" || { echo "$dir: not HarfBuzz 10.2.0" >&2; return 1; }
  [[ -f $dir/src/harfbuzz.cc ]] || { echo "$dir: no single-file build (src/harfbuzz.cc)" >&2; return 1; }
}
