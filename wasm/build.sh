#!/usr/bin/env bash
# Builds every project WASM module under wasm/ and writes wasm/checksums.txt.
#
#   bash wasm/build.sh            build into wasm/dist (the committed modules) and rewrite wasm/checksums.txt
#   OUT=/tmp/x CHECKSUMS=/tmp/x/sums bash wasm/build.sh    build elsewhere (what wasm/verify.sh does)
#
# Steps: check the toolchain (wasm/toolchain.sh installs it), fetch the pinned Debian sources of every
# wasm/*/source.sh into wasm/.src/ (once; git-ignored) and check them (the security fixes are in), then run every
# wasm/*/build.sh in sorted order with OUT, SRC and NODE_PATH set. Builds are reproducible: the same sources
# and toolchain give byte-identical .wasm files whatever the folders.
set -euo pipefail
wasm=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export OUT=${OUT:-$wasm/dist}
export SRC=${SRC:-$wasm/.src}
export NODE_PATH=/usr/share/nodejs # emcc's JS optimizer needs Debian's acorn under a non-Debian Node
export LC_ALL=C SOURCE_DATE_EPOCH=0
mkdir -p "$OUT" "$SRC"
OUT=$(cd "$OUT" && pwd)
SRC=$(cd "$SRC" && pwd)

# shellcheck source=wasm/toolchain.sh
source "$wasm/toolchain.sh"
toolchain_check

# Debian's source packages come through apt with a configuration of our own (wasm/.src/apt/): deb-src indexes
# of the suites below, checked against Debian's archive keyring like any apt source. The system's apt setup is
# neither needed nor touched, and a recipe may pin a package from any of these suites (libwebp comes from
# trixie, libjpeg-turbo from bookworm).
DEBIAN_SUITES=(bookworm bookworm-updates trixie trixie-updates)
DEBIAN_SECURITY_SUITES=(bookworm-security trixie-security)
APT_DIR=$SRC/apt
APT_OPTIONS=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$APT_DIR/sources.list.d"
  -o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache" -o "Dir::Etc::Preferences=/dev/null"
  -o "Dir::Etc::PreferencesParts=/dev/null")

# Writes the configuration and downloads the indexes (only when a source has to be fetched).
apt_update() {
  mkdir -p "$APT_DIR/sources.list.d" "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
  cat >"$APT_DIR/sources.list.d/debian.sources" <<SOURCES
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: ${DEBIAN_SUITES[*]}
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: ${DEBIAN_SECURITY_SUITES[*]}
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  apt-get "${APT_OPTIONS[@]}" update >"$APT_DIR/update.log" 2>&1 || {
    cat "$APT_DIR/update.log" >&2
    echo "apt-get update of the Debian source indexes failed (network, or a keyring without the suites' keys)" >&2
    return 1
  }
}

fetch_source() {
  local recipe=$1
  (
    # shellcheck disable=SC1090
    source "$recipe"
    if [[ ! -d $SRC/$SOURCE_DIR ]]; then
      echo "fetching Debian source $SOURCE_PACKAGE $SOURCE_VERSION"
      local tmp
      tmp=$(mktemp -d "$SRC/.fetch.XXXXXX")
      trap 'rm -rf "$tmp"' EXIT
      # apt verifies the .dsc against the signed archive index; dpkg-source checks the tarballs against the
      # .dsc and applies debian/patches. The pinned hash makes a silently changed upload fail here.
      (cd "$tmp" && apt-get "${APT_OPTIONS[@]}" source --download-only "$SOURCE_PACKAGE=$SOURCE_VERSION" >/dev/null 2>"$tmp/apt.log") || {
        cat "$tmp/apt.log" >&2
        echo "apt-get source $SOURCE_PACKAGE=$SOURCE_VERSION failed. The version may have left the archive (see wasm/README.md, bumping)." >&2
        exit 1
      }
      local dsc
      dsc=$(ls "$tmp"/*.dsc)
      echo "$SOURCE_DSC_SHA256  $dsc" | sha256sum -c --quiet - || {
        echo "$dsc does not match the pinned SOURCE_DSC_SHA256 in $recipe" >&2
        exit 1
      }
      # No Debian keyring here, so dpkg-source cannot check the uploader's signature (apt's index check and the
      # pinned hash stand in for it); it still checks the tarballs' hashes against the .dsc.
      (cd "$tmp" && dpkg-source -x "$(basename "$dsc")" "$SOURCE_DIR" >"$tmp/unpack.log" 2>&1) || {
        cat "$tmp/unpack.log" >&2
        exit 1
      }
      mv "$tmp/$SOURCE_DIR" "$SRC/$SOURCE_DIR"
    fi
    # Every patch of Debian's series is applied (dpkg-source -x applies them; quilt reads .pc/). A package
    # without patches has no series: quilt fails, as it does when none is left to apply.
    if (cd "$SRC/$SOURCE_DIR" && QUILT_PATCHES=debian/patches quilt unapplied >/dev/null 2>&1); then
      echo "$SRC/$SOURCE_DIR: debian/patches not fully applied" >&2
      exit 1
    fi
    source_verify "$SRC/$SOURCE_DIR"
  )
}

# The indexes are refreshed only when some recipe's source is not unpacked yet.
for recipe in "$wasm"/*/source.sh; do
  # shellcheck disable=SC1090
  if [[ -e $recipe ]] && ! (source "$recipe" && [[ -d $SRC/$SOURCE_DIR ]]); then
    apt_update
    break
  fi
done
for recipe in "$wasm"/*/source.sh; do
  [[ -e $recipe ]] && fetch_source "$recipe"
done

for script in "$wasm"/*/build.sh; do
  echo "== ${script#"$wasm"/}"
  bash "$script"
done

# Names without directory, sorted: the committed list (verify.sh points CHECKSUMS elsewhere and compares).
checksums=${CHECKSUMS:-$wasm/checksums.txt}
(cd "$OUT" && sha256sum -- *.wasm | sort -k2) >"$checksums.tmp"
mv "$checksums.tmp" "$checksums"
echo "== $checksums"
cat "$checksums"
