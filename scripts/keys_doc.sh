#!/usr/bin/env bash
# docs/keys.md's table is `fedhpc keys --markdown`, the key table of
# src/config/keys.cpp. This rewrites the table in place (the text above it
# stays), or with --check says whether the file and the binary agree (a test
# runs that, so the reference cannot drift from the code).
#
#   scripts/keys_doc.sh [--check] [FEDHPC_BINARY]     (default build/fedhpc)
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
fedhpc=${1:-build/fedhpc} doc=docs/keys.md
table=$("$fedhpc" keys --markdown)
if ((check)); then
  if diff <(grep '^|' "$doc") <(printf '%s\n' "$table"); then echo "keys_doc: $doc matches fedhpc keys"; exit 0; fi
  echo "keys_doc: $doc differs from fedhpc keys (< file, > binary); run scripts/keys_doc.sh" >&2
  exit 1
fi
intro=$(sed '/^|/,$d' "$doc")
printf '%s\n%s\n' "$intro" "$table" > "$doc"
echo "keys_doc: wrote $doc"
