#!/usr/bin/env bash
# Runs NIID-Bench Fashion-MNIST setups (scenarios/niid_bench/) one after the
# other, then exports each finished run's per-round table to
# results/niid_bench/runs/ and re-renders the tables (scripts/reproduce.py).
#
#   scripts/niid_bench.sh [-p "homo dir05"] [-a "fedavg fedprox scaffold fednova"] [-s "0 1 2"]
#                         [-n RANKS] [-d DIR] [-R] [-- key=value ...]
#
# -p partitions (homo dir05 c1 c2 c3), -a algorithms, -s seeds (the paper
# uses 0 1 2), -n MPI ranks per run (default 2), -d where the results files
# go (default results/niid_bench/h5), -R skip the report at the end;
# overrides after `--` go to every run (for example runtime.device=cuda).
# A complete results file is skipped, a partial one is continued with
# --resume, and a file another copy of this script is running is left to it
# (a lock folder beside it), so several copies can share one list of runs.
# FEDHPC_BIN names another binary (default build/fedhpc), FEDHPC_MPIRUN_FLAGS
# adds mpirun flags (--bind-to none for copies side by side).
set -euo pipefail
cd "$(dirname "$0")/.."
partitions="homo dir05" algorithms="fedavg fedprox scaffold fednova" seeds="0 1 2" ranks=2
dir=results/niid_bench/h5 report=1
source scripts/study.sh
while getopts "p:a:s:n:d:R" opt; do
  case $opt in
    p) partitions=$OPTARG ;;
    a) algorithms=$OPTARG ;;
    *) study_option "$opt" "${OPTARG:-}" || { sed -n '2,17p' "$0"; exit 2; } ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
mkdir -p "$dir"
for p in $partitions; do
  for a in $algorithms; do
    for s in $seeds; do
      name=niid_${p}_${a}_s${s}
      study_run "$dir/$name.h5" results/niid_bench/runs "$ranks" \
        "scenarios/niid_bench/${p}_${a}.yaml" seed="$s" "$@"
    done
  done
done
if ((report)); then /usr/bin/python3 scripts/reproduce.py niid_bench; fi
