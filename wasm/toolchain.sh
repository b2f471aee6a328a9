#!/usr/bin/env bash
# Installs what wasm/build.sh needs on Debian 12 (bookworm): emscripten 3.1.6 with LLVM 14, binaryen, wabt,
# and the tools to fetch and patch Debian source packages. Safe to re-run: it only installs what is missing
# and writes the deb-src entry once.
#
#   sudo bash wasm/toolchain.sh       (root needed: apt-get)
#
# When sourced (as build.sh does with TOOLCHAIN_CHECK_ONLY=1) it only checks and returns non-zero with a hint.
set -euo pipefail

TOOLCHAIN_PACKAGES=(emscripten wasi-libc binaryen lld-14 clang-14 wabt dpkg-dev cmake ninja-build quilt patch)
DEB_SRC_FILE=/etc/apt/sources.list.d/edgepix-deb-src.sources

toolchain_missing() {
  local missing=()
  for p in "${TOOLCHAIN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

# deb-src lines for the same archives as the binary entries (URIs/Suites/Components/Signed-By copied).
toolchain_has_deb_src() {
  grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qs '^deb-src ' /etc/apt/sources.list
}

toolchain_write_deb_src() {
  local src=/etc/apt/sources.list.d/debian.sources
  if [[ -f $src ]]; then
    # Every stanza of debian.sources, with its Types line turned into deb-src.
    sed -e 's/^Types:.*/Types: deb-src/' "$src" >"$DEB_SRC_FILE.tmp"
  else
    cat >"$DEB_SRC_FILE.tmp" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  mv "$DEB_SRC_FILE.tmp" "$DEB_SRC_FILE"
}

toolchain_check() {
  local missing
  missing=$(toolchain_missing)
  if [[ -n $missing ]]; then
    echo "missing Debian packages: $missing — run: bash wasm/toolchain.sh (as root)" >&2
    return 1
  fi
  if ! toolchain_has_deb_src; then
    echo "no deb-src entry for apt-get source — run: bash wasm/toolchain.sh (as root)" >&2
    return 1
  fi
}

toolchain_install() {
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -y)
  local changed=0
  if ! toolchain_has_deb_src; then
    toolchain_write_deb_src
    changed=1
  fi
  local missing
  missing=$(toolchain_missing)
  if [[ -n $missing || $changed == 1 || ! -d /var/lib/apt/lists || -z $(ls /var/lib/apt/lists/*Sources* 2>/dev/null) ]]; then
    "${apt[@]}" update
  fi
  if [[ -n $missing ]]; then
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends $missing
  fi
  toolchain_check
  echo "toolchain ready: $(emcc --version | head -1)"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  if [[ $(id -u) != 0 ]]; then
    echo "run as root (apt-get): sudo bash wasm/toolchain.sh" >&2
    exit 1
  fi
  toolchain_install
fi
