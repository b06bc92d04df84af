#!/usr/bin/env bash
# Runs NIID-Bench Fashion-MNIST setups (scenarios/niid_bench/) one after the
# other, skipping any whose results file is already complete, then renders
# the summary, table and plot (scripts/niid_bench_report.py).
#
#   scripts/niid_bench.sh [-p "homo dir05"] [-a "fedavg fedprox scaffold fednova"] [-s "0"] [-n RANKS] [-- key=value ...]
#
# -p partitions (homo dir05 c1 c2 c3), -a algorithms, -s seeds (the paper
# uses 0 1 2), -n MPI ranks per run (default 2); overrides after `--` go to
# every run (for example runtime.device=cuda). Results: results/niid_bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
partitions="homo dir05" algorithms="fedavg fedprox scaffold fednova" seeds="0" ranks=2
while getopts "p:a:s:n:" opt; do
  case $opt in
    p) partitions=$OPTARG ;;
    a) algorithms=$OPTARG ;;
    s) seeds=$OPTARG ;;
    n) ranks=$OPTARG ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
source scripts/study.sh
for p in $partitions; do
  for a in $algorithms; do
    for s in $seeds; do
      out=results/niid_bench/niid_${p}_${a}_s${s}.h5
      if results_complete "$out"; then echo "skip $out (complete)"; continue; fi
      echo "run  $out"
      mpirun -n "$ranks" ${FEDHPC_MPIRUN_FLAGS:-} build/fedhpc run "scenarios/niid_bench/${p}_${a}.yaml" seed="$s" \
        output.file="$out" output.overwrite=true "$@"
    done
  done
done
/usr/bin/python3 scripts/niid_bench_report.py results/niid_bench/*.h5 --out results/niid_bench
