# shellcheck shell=bash
# Sourced by the study scripts (niid_bench.sh, fedprox_synthetic.sh,
# robustness.sh, privacy.sh): the run environment and the shared helpers.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# The options every study takes besides its own: -s seeds, -n MPI ranks per
# run, -d the results files' folder, -R no report at the end. Sets seeds,
# ranks, dir or report; fails for any other option (the caller's usage).
study_option() {
  # shellcheck disable=SC2034  # the variables belong to the calling script
  case $1 in
    s) seeds=$2 ;;
    n) ranks=$2 ;;
    d) dir=$2 ;;
    R) report=0 ;;
    *) return 1 ;;
  esac
}

# Prints 1 if the results file's run finished (root attribute complete = 1),
# 0 if it exists but stopped part-way, nothing if it does not exist.
results_state() {
  [ -f "$1" ] || return 0
  HDF5_USE_FILE_LOCKING=FALSE /usr/bin/python3 -c "
import h5py, sys
try:
    f = h5py.File(sys.argv[1], 'r')
except OSError:
    f = h5py.File(sys.argv[1], 'r', swmr=True)
print(int(f.attrs.get('complete', 0)))" "$1"
}

# Succeeds if the results file exists and its run finished.
results_complete() { [ "$(results_state "$1")" = 1 ]; }

# study_run OUT RUNS_DIR RANKS SCENARIO [key=value ...]
# Runs SCENARIO into the results file OUT unless OUT is complete; continues
# OUT with --resume when an earlier run stopped part-way (a checkpoint every
# round, so a session that ends loses at most one). A lock folder OUT.lock
# holding the owner's pid keeps two copies of a study off the same file; a
# lock whose process is gone is taken over. Once complete, the per-round
# table and the run's provenance are exported to RUNS_DIR (export_run.py).
study_run() {
  local out=$1 runs_dir=$2 ranks=$3 scenario=$4
  shift 4
  local lock=$out.lock
  if ! mkdir "$lock" 2>/dev/null; then
    local owner
    owner=$(cat "$lock/pid" 2>/dev/null || true)
    if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then echo "busy $out (pid $owner)"; return 0; fi
    echo "take $out (stale lock of pid ${owner:-?})"
  fi
  echo $$ > "$lock/pid"
  local state rc=0 flags
  state=$(results_state "$out")
  read -ra flags <<< "${FEDHPC_MPIRUN_FLAGS:-}"
  local cmd=(mpirun -n "$ranks" "${flags[@]}" "${FEDHPC_BIN:-build/fedhpc}" run "$scenario" "$@"
             output.file="$out" output.checkpoint_every=1 output.progress=false)
  if [ "$state" = 1 ]; then
    echo "skip $out (complete)"
  elif [ "$state" = 0 ]; then
    echo "resume $out"
    "${cmd[@]}" --resume "$out" || rc=$?
  else
    echo "run  $out"
    "${cmd[@]}" || rc=$?
  fi
  if ((rc == 0)) && results_complete "$out"; then
    /usr/bin/python3 scripts/export_run.py "$out" --to "$runs_dir" --command "$(printf '%q ' "${cmd[@]}")"
  fi
  rm -rf "$lock"
  return "$rc"
}
