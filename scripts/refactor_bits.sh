#!/usr/bin/env bash
# Shows that a change to src/ preserves results bit for bit: five
# configurations that cross every part of a round (the quickstart; SCAFFOLD's
# per-client state with dropouts; FedAdam's server state on Dirichlet(0.5);
# Multi-Krum's selection; grouped FedProx under the whole scenario), each run
# by both binaries on 2 ranks and compared with check_results --same
# (/model/final, every /rounds metric, every client's outcome).
#
#   scripts/refactor_bits.sh [-o OLD_TREE] OLD_BIN NEW_BIN
#
# Build OLD_BIN from the commit before the change (a git worktree is enough);
# -o as in same_bits.sh when the old commit's scenario files differ.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=()
if [ "${1:-}" = "-o" ]; then tree=(-o "$2"); shift 2; fi
(($# == 2)) || { sed -n '2,13p' "$0"; exit 2; }
old=$1 new=$2
bits() { scripts/same_bits.sh -n 2 "${tree[@]}" "$@"; }
status=0
bits -r 3 "$old" "$new" scenarios/quickstart.yaml || status=1
bits -r 3 "$old" "$new" scenarios/dropouts_30pct.yaml -- strategy.name=scaffold runtime.placement=static || status=1
bits -r 3 "$old" "$new" scenarios/quickstart.yaml -- strategy.name=fedadam data.partition.kind=dirichlet \
  data.partition.alpha=0.5 || status=1
bits -r 3 "$old" "$new" scenarios/quickstart.yaml -- strategy.name=multikrum strategy.byzantine_f=2 || status=1
bits -r 8 "$old" "$new" tests/fixtures/good/synthetic_scenario.yaml -- runtime.client_batch=3 || status=1
exit "$status"
