#!/usr/bin/env bash
# Installs what wasm/build.sh needs on Debian 12 (bookworm): emscripten 3.1.6 with LLVM 14, binaryen, wabt,
# and the tools to fetch and patch Debian source packages. Safe to re-run: it only installs what is missing.
# (build.sh fetches sources through an apt configuration of its own, so no deb-src entry is needed here.)
#
#   sudo bash wasm/toolchain.sh       (root needed: apt-get)
#
# When sourced (as build.sh does with TOOLCHAIN_CHECK_ONLY=1) it only checks and returns non-zero with a hint.
set -euo pipefail

TOOLCHAIN_PACKAGES=(emscripten wasi-libc binaryen lld-14 clang-14 wabt dpkg-dev cmake ninja-build quilt patch
  debian-archive-keyring)

toolchain_missing() {
  local missing=()
  for p in "${TOOLCHAIN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

toolchain_check() {
  local missing
  missing=$(toolchain_missing)
  if [[ -n $missing ]]; then
    echo "missing Debian packages: $missing — run: bash wasm/toolchain.sh (as root)" >&2
    return 1
  fi
}

toolchain_install() {
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -y)
  local missing
  missing=$(toolchain_missing)
  if [[ -n $missing ]]; then
    "${apt[@]}" update
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
