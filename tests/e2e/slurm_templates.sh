#!/usr/bin/env bash
# The slurm/ templates under a real Slurm: a single-node cluster on
# this machine (scripts/slurm_local.sh), run.sbatch with 2 tasks through
# `srun --mpi=pmix`, a 4-combination sweep as a job array (the resolved
# configs must differ exactly in the swept keys), a weak-scaling series on 1
# and 2 ranks (scaling.sbatch), and gpu.sbatch with its GPU request dropped
# (runtime.device=auto falls back to the CPU); every results file is checked. The daemons it started are stopped on exit. Skipped (77) where
# Slurm is not installed or this is not root.
#   slurm_templates.sh REPO FEDHPC CHECK_RESULTS WORKDIR
set -u
repo=$1 fedhpc=$2 check=$3 work=$4
fail() { echo "FAIL: $*"; for f in "$work"/*.out "$work"/sweep/*.out "$work"/*/*.md; do [ -f "$f" ] && { echo "== $f"; tail -n 20 "$f"; }; done; exit 1; }
if [ "$(id -u)" -ne 0 ] || ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "skipped: needs root and Debian's slurm-wlm and munge (scripts/setup.sh installs them)"; exit 77
fi
rm -rf "$work" && mkdir -p "$work/sweep"
trap '"$repo/scripts/slurm_local.sh" stop "$work/cluster"' EXIT
"$repo/scripts/slurm_local.sh" start "$work/cluster" || fail "the local Slurm did not start"
export SLURM_CONF=$work/cluster/slurm.conf FEDHPC_BIN=$fedhpc
scenario=$repo/tests/fixtures/good/synthetic_logreg.yaml

# One run: 2 tasks, srun --mpi=pmix, the world size checked against SLURM_NTASKS.
SCENARIO=$scenario RUN_DIR=$work/job timeout 300 sbatch --wait --ntasks-per-node=2 --chdir="$repo" \
  --output="$work/run-%j.out" "$repo/slurm/run.sbatch" train.rounds=3 output.progress=false ||
  fail "sbatch run.sbatch failed"
# The job's folder: the script, the environment, scontrol's view, the results file.
cmp -s "$repo/slurm/run.sbatch" "$work/job/job.sbatch" || fail "job.sbatch is not the submitted script"
grep -q "^SLURM_NTASKS=2$" "$work/job/environment.txt" || fail "environment.txt lacks SLURM_NTASKS=2"
grep -q "JobId=" "$work/job/scontrol.txt" || fail "scontrol.txt does not describe the job"
cp "$work/job/synthetic_logreg.h5" "$work/run.h5" || fail "no results file in the job folder"
"$check" "$work/run.h5" --rounds 3 || fail "run.sbatch's results file"
/usr/bin/python3 - "$work/run.h5" <<'PY' || fail "run.sbatch's file does not say it ran on 2 ranks under Slurm"
import sys, h5py
a = h5py.File(sys.argv[1], "r").attrs
assert int(a["n_ranks"]) == 2 and str(a["slurm_job_id"]) != "", dict(a)
PY

# A sweep: 2 seeds x 2 learning rates as one job array.
(cd "$work/sweep" && RUN_ROOT=$work/sweep timeout 300 "$repo/scripts/sweep" "$scenario" seed=1,2 train.lr=0.1,0.05 train.rounds=2 \
  "output.file=$work/sweep/{jobid}.h5" output.progress=false --lines-file lines.txt \
  -- --wait --ntasks-per-node=2 --chdir="$repo" --output="$work/sweep/%A_%a.out") || fail "the sweep failed"
files=("$work"/sweep/*.h5)
[ "${#files[@]}" -eq 4 ] || fail "expected 4 results files from the sweep, found ${#files[@]}"
for f in "${files[@]}"; do "$check" "$f" --rounds 2 || fail "sweep file $f"; done
tasks=("$work"/sweep/*_[0-3])
[ "${#tasks[@]}" -eq 4 ] || fail "expected 4 sweep task folders, found ${tasks[*]}"
for t in "${tasks[@]}"; do
  [ -s "$t/overrides.txt" ] && [ -s "$t/scontrol.txt" ] && [ -s "$t/job.sbatch" ] || fail "sweep task folder $t is incomplete"
done
/usr/bin/python3 - "${files[@]}" <<'PY' || fail "the sweep's configs do not differ exactly in the swept keys"
import sys, h5py
configs = [h5py.File(p, "r").attrs["config_yaml"].splitlines() for p in sys.argv[1:]]
# Each run is named by its swept values: the name line differs too.
swept = {i for i, line in enumerate(configs[0]) if line.startswith(("seed:", "name:")) or line.strip().startswith("lr:")}
assert len(swept) == 3, configs[0]
names = sorted(c[0] for c in configs)
assert names == sorted(f'name: "synthetic_logreg_seed={s}_train.lr={lr}"' for s in (1, 2) for lr in ("0.1", "0.05")), names
for c in configs[1:]:
    assert len(c) == len(configs[0])
    differ = {i for i, (a, b) in enumerate(zip(configs[0], c)) if a != b}
    assert differ <= swept, [configs[0][i] for i in differ - swept]
combos = {tuple(c[i].strip() for i in sorted(swept) if not c[i].startswith("name:")) for c in configs}
assert combos == {("seed: 1", "lr: 0.1"), ("seed: 1", "lr: 0.05"), ("seed: 2", "lr: 0.1"), ("seed: 2", "lr: 0.05")}, combos
print("sweep: 4 files, configs differ exactly in seed and train.lr (and the names that say so):", sorted(combos))
PY

# A weak-scaling series inside one 2-task allocation: srun -n 1, then -n 2.
MODE=weak RUN_DIR=$work/scaling timeout 300 sbatch --wait --ntasks-per-node=2 --chdir="$repo" \
  --output="$work/scaling-%j.out" "$repo/slurm/scaling.sbatch" train.rounds=3 train.local_epochs=1 ||
  fail "sbatch scaling.sbatch failed"
for p in 1 2; do "$check" "$work/scaling/weak-p$p-r1.h5" --rounds 3 || fail "scaling file weak-p$p-r1.h5"; done
for f in weak.md weak.csv weak.png job.sbatch scontrol.txt; do [ -s "$work/scaling/$f" ] || fail "scaling: no $f"; done
/usr/bin/python3 - "$work/scaling" <<'PY' || fail "the scaling series is not 1 and 2 ranks of 10 clients each"
import sys, h5py, pandas as pd
d = sys.argv[1]
t = pd.read_csv(f"{d}/weak.csv")
assert t["ranks"].tolist() == [1, 2] and t["clients_per_round"].tolist() == [10, 20], t
for p in (1, 2):
    a = h5py.File(f"{d}/weak-p{p}-r1.h5", "r").attrs
    assert int(a["n_ranks"]) == p and str(a["slurm_job_id"]) != "", dict(a)
print(f"scaling: weak efficiency at 2 ranks {t['efficiency'][1]:.3f}")
PY

# gpu.sbatch's mechanics without a GPU: the GPU request dropped, device auto.
SCENARIO=$scenario DEVICE=auto RUN_DIR=$work/gpu timeout 300 sbatch --wait --gpus-per-task=0 --cpus-per-task=1 \
  --ntasks-per-node=2 --chdir="$repo" --output="$work/gpu-%j.out" "$repo/slurm/gpu.sbatch" train.rounds=2 ||
  fail "sbatch gpu.sbatch failed"
"$check" "$work/gpu/synthetic_logreg.h5" --rounds 2 || fail "gpu.sbatch's results file"
[ -f "$work/gpu/gpus.txt" ] || fail "gpu.sbatch kept no gpus.txt"
grep -q '^FEDHPC_RESULT {"name": "synthetic_logreg", "rounds": 2,' "$work"/gpu-*.out || fail "gpu.sbatch's log has no FEDHPC_RESULT line"
echo "slurm templates: run.sbatch, a 4-run sweep, a scaling series and gpu.sbatch passed under a real Slurm"
