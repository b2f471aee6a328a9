# Sourced by wasm/build.sh: the Debian source package the AVIF module is built from. To bump: change VERSION
# and DSC_SHA256 (sha256sum of the new .dsc) and the checks below if what they look for moved, then run
# `bash wasm/build.sh` and commit wasm/dist/*.wasm and wasm/checksums.txt (wasm/README.md).
#
# Debian 13 (trixie), dav1d 1.5.1, which Debian carries without patches.
SOURCE_PACKAGE=dav1d
SOURCE_VERSION=1.5.1-1
SOURCE_DIR=dav1d-1.5.1
SOURCE_DSC_SHA256=a418ee8fdc8003feee1ba19391eac250e3ef03106c995c8e25b8a42b56de18cf

# Called with the unpacked source directory; fails when something we rely on is missing.
source_verify() {
  local dir=$1
  grep -q "version: '1.5.1'" "$dir/meson.build" || { echo "$dir: not dav1d 1.5.1" >&2; return 1; }
  # build.sh lists the library's sources itself (no meson here): the list must still be meson's.
  local listed
  listed=$(sed -n "/^libdav1d_sources = files(/,/^)/p; /^libdav1d_tmpl_sources = files(/,/^)/p" "$dir/src/meson.build" |
    grep -o "'[a-z_0-9]*\.c'" | tr -d "'" | sort | tr '\n' ' ')
  [[ $listed == "$(dav1d_sources_expected)" ]] || { echo "$dir: src/meson.build lists other sources: $listed" >&2; return 1; }
}

# The C sources of libdav1d (src/meson.build, without the assembly), as build.sh compiles them.
dav1d_sources_expected() {
  echo 'cdef_apply_tmpl.c cdef_tmpl.c cdf.c cpu.c ctx.c data.c decode.c dequant_tables.c fg_apply_tmpl.c filmgrain_tmpl.c getbits.c intra_edge.c ipred_prepare_tmpl.c ipred_tmpl.c itx_1d.c itx_tmpl.c lf_apply_tmpl.c lf_mask.c lib.c log.c loopfilter_tmpl.c looprestoration_tmpl.c lr_apply_tmpl.c mc_tmpl.c mem.c msac.c obu.c pal.c picture.c qm.c recon_tmpl.c ref.c refmvs.c scan.c tables.c thread_task.c warpmv.c wedge.c '
}
