#!/usr/bin/env bash
# Runs the FedProx Synthetic(1,1) straggler study (scenarios/fedprox_synthetic/,
# REPRODUCTION.md T4): FedAvg, FedProx mu=0 and mu=1 under 0%, 50% and 90%
# stragglers, then renders summary.csv, table.md and fig1.png into
# results/fedprox_synthetic/. Complete results files are skipped.
#
#   scripts/fedprox_synthetic.sh [-s "0"] [-n RANKS] [-- key=value ...]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="0" ranks=1
while getopts "s:n:" opt; do
  case $opt in
    s) seeds=$OPTARG ;;
    n) ranks=$OPTARG ;;
    *) sed -n '2,8p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
source scripts/study.sh
for scenario in scenarios/fedprox_synthetic/*.yaml; do
  for s in $seeds; do
    out=results/fedprox_synthetic/$(basename "$scenario" .yaml)_s${s}.h5
    if results_complete "$out"; then echo "skip $out (complete)"; continue; fi
    echo "run  $out"
    mpirun -n "$ranks" ${FEDHPC_MPIRUN_FLAGS:-} build/fedhpc run "$scenario" seed="$s" output.file="$out" \
      output.overwrite=true output.progress=false "$@"
  done
done
/usr/bin/python3 scripts/fedprox_synthetic_report.py results/fedprox_synthetic/*.h5 --out results/fedprox_synthetic
