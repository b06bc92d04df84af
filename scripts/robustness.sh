#!/usr/bin/env bash
# Robust aggregators under attack (scenarios/robustness/): for each partition,
# attack and aggregator, one run; then each finished run's per-round table is
# exported to results/robustness/runs/ and the table and plots re-rendered
# (scripts/reproduce.py robustness).
#
#   scripts/robustness.sh [-p "iid dir05"] [-A "none label_flip ..."] [-g "fedavg median ..."]
#                         [-s "0"] [-n RANKS] [-d DIR] [-R] [-- key=value ...]
#
# -p partitions (iid dir05), -A attacks, -g aggregators, -s seeds, -n MPI
# ranks per run (default 1: two copies of this script side by side use both
# cores best), -d where the results files go (default results/robustness/h5),
# -R skip the report at the end; overrides after `--` go to every run.
# Complete results files are skipped, partial ones continued with --resume,
# and copies of this script share the list (scripts/study.sh).
#
# Per cell: 20% of the 100 clients are adversaries. Krum and Multi-Krum are
# told f = 4 (the expected attackers in a cohort of 20), the trimmed mean cuts
# 20% from each end, sign flipping submits -4 x the honest update (so 4 of 20
# attackers cancel the honest mean under FedAvg), the backdoor relabels to
# class 0 (T-shirt/top). Everything else is each option's default.
set -euo pipefail
cd "$(dirname "$0")/.."
partitions="iid dir05" seeds="0" ranks=1 dir=results/robustness/h5 report=1
attacks="none label_flip sign_flip gaussian alie ipm backdoor"
aggregators="fedavg median trimmed_mean krum multikrum rfa centered_clip"
source scripts/study.sh
while getopts "p:A:g:s:n:d:R" opt; do
  case $opt in
    p) partitions=$OPTARG ;;
    A) attacks=$OPTARG ;;
    g) aggregators=$OPTARG ;;
    *) study_option "$opt" "${OPTARG:-}" || { sed -n '2,21p' "$0"; exit 2; } ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
mkdir -p "$dir"

# The options of an aggregator and of an attack, as overrides.
aggregator_options() {
  case $1 in
    krum | multikrum) echo "strategy.byzantine_f=4" ;;
    trimmed_mean) echo "strategy.trim_fraction=0.2" ;;
  esac
}
attack_options() {
  case $1 in
    sign_flip) echo "scenario.adversaries.scale=4" ;;
    backdoor) echo "scenario.adversaries.target_class=0" ;;
  esac
}

for s in $seeds; do
  for p in $partitions; do
    for a in $attacks; do
      for g in $aggregators; do
        name=robustness_${p}_${a}_${g}_s${s}
        read -ra extra <<< "$(aggregator_options "$g") $(attack_options "$a")"
        # A run that fails (an attack can make training diverge) is reported
        # and the study goes on: its cell shows what the file holds.
        study_run "$dir/$name.h5" results/robustness/runs "$ranks" "scenarios/robustness/$p.yaml" \
          name="robustness_${p}_${a}_${g}" seed="$s" strategy.name="$g" scenario.adversaries.attack="$a" \
          "${extra[@]}" "$@" || echo "robustness: $name failed (exit $?)"
      done
    done
  done
done
if ((report)); then /usr/bin/python3 scripts/reproduce.py robustness; fi
