#!/usr/bin/env bash
# The README's second command (and CI's): install, build, run every test
# (unit, MPI under mpiexec -n 1..4, end-to-end on real Fashion-MNIST), then
# the sanitizer build's tests (every unit and MPI test that does not need
# LibTorch, under AddressSanitizer and UBSan, and a replay of each fuzz
# target's corpus). Idempotent. Extra arguments go to ctest and run the main
# build's tests only, e.g. scripts/test.sh -L unit
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" --sanitize
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
ctest=(ctest --output-on-failure --no-tests=error -j "$(nproc)")
"${ctest[@]}" --test-dir "${BUILD_DIR:-$root/build}" "$@"
if [ $# -eq 0 ]; then
  echo "test: the sanitizer build (build/sanitize)"
  "${ctest[@]}" --test-dir "$root/build/sanitize"
fi
