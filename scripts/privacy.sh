#!/usr/bin/env bash
# What privacy costs (scenarios/privacy/): DP-FedAvg's accuracy against its
# epsilon, and secure aggregation's overhead against the cohort size. Each
# finished run's per-round table is exported to results/privacy/runs/, and
# the tables and plots are re-rendered (scripts/reproduce.py privacy).
#
#   scripts/privacy.sh [-z "none 0.5 0.7 1.0 1.5 2.0"] [-k "10 30 100 300 1000"] [-s "0"]
#                      [-n RANKS] [-d DIR] [-R] [-- key=value ...]
#
# -z the noise multipliers of the DP sweep (none: the non-private baseline,
# same model, data and sampling), -k the cohort sizes of the secure-
# aggregation sweep (each with and without it), -s seeds, -n MPI ranks per
# run, -d where the results files go (default results/privacy/h5), -R skip
# the report; overrides after `--` go to every run. Complete results files
# are skipped, partial ones continued with --resume (scripts/study.sh).
#
# DP: central noise, adaptive clipping from 0.1 towards the median update
# norm (Andrew et al. 2021: clip_lr 0.2, count noise K / 20), epsilon at
# delta 1e-5 from the RDP accountant of the Poisson-subsampled Gaussian.
set -euo pipefail
cd "$(dirname "$0")/.."
noises="none 0.5 0.7 1.0 1.5 2.0" cohorts="10 30 100 300 1000" seeds="0" ranks=1 dir=results/privacy/h5 report=1
source scripts/study.sh
while getopts "z:k:s:n:d:R" opt; do
  case $opt in
    z) noises=$OPTARG ;;
    k) cohorts=$OPTARG ;;
    *) study_option "$opt" "${OPTARG:-}" || { sed -n '2,18p' "$0"; exit 2; } ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
mkdir -p "$dir"

dp_options() {
  [ "$1" = none ] && return 0
  echo "privacy.dp.mode=central privacy.dp.clip=adaptive privacy.dp.clip_norm=0.1 privacy.dp.target_quantile=0.5" \
       "privacy.dp.clip_lr=0.2 privacy.dp.noise_multiplier=$1 privacy.dp.delta=1e-5"
}

for s in $seeds; do
  for z in $noises; do
    name=privacy_dp_z${z}_s${s}
    read -ra extra <<< "$(dp_options "$z")"
    study_run "$dir/$name.h5" results/privacy/runs "$ranks" scenarios/privacy/dp_fmnist.yaml \
      name="privacy_dp_z${z}" seed="$s" "${extra[@]}" "$@" || echo "privacy: $name failed (exit $?)"
  done
  for k in $cohorts; do
    for secure in false true; do
      label=$([ "$secure" = true ] && echo secure || echo plain)
      name=privacy_secagg_k${k}_${label}_s${s}
      study_run "$dir/$name.h5" results/privacy/runs "$ranks" scenarios/privacy/secagg_cost.yaml \
        name="privacy_secagg_k${k}_${label}" seed="$s" strategy.clients_per_round="$k" \
        privacy.secure_aggregation="$secure" "$@" || echo "privacy: $name failed (exit $?)"
    done
  done
done
if ((report)); then /usr/bin/python3 scripts/reproduce.py privacy; fi
