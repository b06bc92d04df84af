#!/usr/bin/env bash
# Runs the FedProx Synthetic(1,1) straggler study (scenarios/fedprox_synthetic/):
# FedAvg, FedProx mu=0 and mu=1 under 0%, 50% and 90% stragglers, each over
# several seeds, exports every finished run's per-round table to
# results/fedprox_synthetic/runs/ and re-renders the tables (scripts/reproduce.py).
#
#   scripts/fedprox_synthetic.sh [-s "0 1 2 3 4"] [-n RANKS] [-d DIR] [-R] [-- key=value ...]
#
# -s seeds, -n MPI ranks per run (default 1), -d where the results files go
# (default results/fedprox_synthetic/h5), -R skip the report at the end.
# Complete results files are skipped, partial ones continued (scripts/study.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="0 1 2 3 4" ranks=1 dir=results/fedprox_synthetic/h5 report=1
source scripts/study.sh
while getopts "s:n:d:R" opt; do
  study_option "$opt" "${OPTARG:-}" || { sed -n '2,11p' "$0"; exit 2; }
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
mkdir -p "$dir"
for s in $seeds; do
  for scenario in scenarios/fedprox_synthetic/*.yaml; do
    study_run "$dir/$(basename "$scenario" .yaml)_s${s}.h5" results/fedprox_synthetic/runs "$ranks" \
      "$scenario" seed="$s" "$@"
  done
done
if ((report)); then /usr/bin/python3 scripts/reproduce.py fedprox_synthetic; fi
