#!/usr/bin/env bash
# The README's second command (and CI's): install, build, run every test
# (unit, MPI under mpiexec -n 1..4, end-to-end on real Fashion-MNIST).
# Idempotent. Extra arguments go to ctest, e.g. scripts/test.sh -L unit
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
exec ctest --test-dir "${BUILD_DIR:-$root/build}" --output-on-failure --no-tests=error -j "$(nproc)" "$@"
