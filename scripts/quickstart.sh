#!/usr/bin/env bash
# The README's first command: install, build, then run the default scenario
# (FedAvg on Fashion-MNIST, 100 virtual clients, 2 MPI ranks). Idempotent:
# each run writes a new results file, results/quickstart/local-<time>.h5.
# Extra arguments are overrides, e.g. scripts/quickstart.sh train.rounds=10
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh"
cd "$root"
exec mpirun -n 2 "${BUILD_DIR:-$root/build}/fedhpc" run scenarios/quickstart.yaml "$@"
