# shellcheck shell=bash
# What every slurm/*.sbatch does first; sourced from the job's working
# directory, the repository root (sbatch's default: where it was submitted).
#   - the site's modules: FEDHPC_SITE=slurm/sites/<site>.env, exported when
#     the site file was sourced before sbatch
#   - threads from --cpus-per-task; srun no longer inherits it (Slurm 22.05 and later)
#   - LAUNCH (srun --mpi=pmix, or LAUNCHER=...) and FEDHPC (FEDHPC_BIN=...)
#   - fedhpc_job_folder DIR SCRIPT: the folder that makes a job repeatable
if [ -n "${FEDHPC_SITE:-}" ]; then
  # shellcheck source=/dev/null
  source "$FEDHPC_SITE"
fi
export SRUN_CPUS_PER_TASK=${SLURM_CPUS_PER_TASK:-1}
# With LAUNCHER=mpirun, Slurm's --signal reaches Open MPI's daemons, which pass
# SIGTERM to the ranks only after odls_base_sigkill_timeout seconds and
# SIGKILL as long after that: 30 s lets a round of up to 30 s finish and
# checkpoint within --signal=TERM@120 (srun, the default launcher, signals the
# ranks directly). A batch job can afford it: Open MPI also waits 2 x 30 s
# before mpirun returns from a rank's non-zero exit.
export OMPI_MCA_odls_base_sigkill_timeout=${OMPI_MCA_odls_base_sigkill_timeout:-30}
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1} OMP_WAIT_POLICY=PASSIVE
LAUNCH=${LAUNCHER:-"srun --mpi=pmix"}
FEDHPC=${FEDHPC_BIN:-./build/fedhpc}
export LAUNCH FEDHPC

# The job's script, its environment, Slurm's view of the job, the commit and
# the MPI build, next to the results.
# A requeued job (SLURM_RESTART_COUNT=N) keeps the first start's files and
# adds its own with the suffix .restartN: which nodes each start had.
fedhpc_job_folder() {
  local dir=$1 script=$2 tag=""
  [ "${SLURM_RESTART_COUNT:-0}" -gt 0 ] && tag=.restart$SLURM_RESTART_COUNT
  mkdir -p "$dir"
  cp "$script" "$dir/job$tag.sbatch"
  env | sort >"$dir/environment$tag.txt"
  scontrol show job "${SLURM_JOB_ID:-}" >"$dir/scontrol$tag.txt" 2>&1 || true
  git describe --always --dirty >"$dir/git$tag.txt" 2>&1 || true
  { command -v ompi_info >/dev/null && ompi_info --parsable | head -n 20; } >"$dir/mpi$tag.txt" 2>&1 || true
}

# The results file to continue in a requeued job: RESUME if set, else the
# one .h5 file in the job's folder (none: start afresh).
fedhpc_requeue_resume() {
  local dir=$1 files
  [ -n "${RESUME:-}" ] && { echo "$RESUME"; return; }
  [ "${SLURM_RESTART_COUNT:-0}" -gt 0 ] || return 0
  files=$(find "$dir" -maxdepth 1 -name '*.h5' | head -n 2)
  [ "$(echo "$files" | grep -c .)" -eq 1 ] && echo "$files"
  return 0
}
