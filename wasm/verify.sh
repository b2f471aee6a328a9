#!/usr/bin/env bash
# Rebuilds every module from source into a temporary folder and compares the checksums with the committed
# wasm/checksums.txt (and the committed wasm/dist/*.wasm with that list). Exits non-zero on any difference.
#   npm run wasm:verify
set -euo pipefail
wasm=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/edgepix-wasm-verify.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

status=0
# The committed modules are the ones the list describes.
(cd "$wasm/dist" && sha256sum -- *.wasm | sort -k2) >"$tmp/committed.txt"
if ! diff -u "$wasm/checksums.txt" "$tmp/committed.txt"; then
  echo "wasm/dist/*.wasm do not match wasm/checksums.txt" >&2
  status=1
fi

start=$SECONDS
OUT="$tmp/out" CHECKSUMS="$tmp/rebuilt.txt" bash "$wasm/build.sh"
if diff -u "$wasm/checksums.txt" "$tmp/rebuilt.txt"; then
  echo "wasm:verify: the rebuilt modules match wasm/checksums.txt ($((SECONDS - start)) s)"
else
  echo "wasm:verify: the rebuilt modules differ from wasm/checksums.txt (see the diff above)" >&2
  status=1
fi
exit $status
