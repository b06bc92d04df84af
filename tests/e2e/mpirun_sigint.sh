#!/usr/bin/env bash
# Ctrl-C to mpirun (SIGINT to mpirun alone, as a terminal sends it) with the
# environment scripts/env.sh sets: Open MPI passes SIGTERM to the ranks after
# odls_base_sigkill_timeout seconds and SIGKILLs them as long after that, so
# fedhpc must finish a round of several seconds and checkpoint in between.
# The file must end with a checkpoint of its last round and the "stopped by"
# words, and --resume must end bitwise equal to an uninterrupted run.
#   mpirun_sigint.sh REPO FEDHPC CHECK_RESULTS WORKDIR MPIEXEC [MPIEXEC FLAGS...] -- RUN ARGS...
set -u
repo=$1 fedhpc=$2 check=$3 workdir=$4 mpiexec=$5
shift 5
mpiflags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do mpiflags+=("$1"); shift; done
shift
args=("$@")
fail() { echo "FAIL: $*"; exit 1; }
unset OMPI_MCA_odls_base_sigkill_timeout  # the tests' 1 s; env.sh's value is the one under test
# shellcheck source=../../scripts/env.sh
source "$repo/scripts/env.sh"
echo "odls_base_sigkill_timeout: ${OMPI_MCA_odls_base_sigkill_timeout:-unset}"
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir" || exit 1
run() { "$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "${args[@]}" "$@"; }

run output.file=uninterrupted.h5 >uninterrupted.log 2>&1 || { cat uninterrupted.log; fail "the uninterrupted run failed"; }
# mpirun itself in the background (not a function's subshell), so $! is its pid.
"$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "${args[@]}" output.file=run.h5 >run.log 2>&1 &
launcher=$!
for _ in $(seq 1 600); do
  "$fedhpc" report run.h5 2>/dev/null | grep -q "INCOMPLETE: [1-9]" && break
  kill -0 "$launcher" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$launcher" 2>/dev/null || { cat run.log; fail "the run ended before it could be interrupted"; }
echo "SIGINT to mpirun (pid $launcher) after round $("$check" --count run.h5)"
kill -INT "$launcher"
wait "$launcher"
echo "mpirun exited with $?"
cat run.log
grep -q "stopped by SIGTERM after round" run.log || fail "no 'stopped by' message"
"$check" --interrupted run.h5 --stopped || fail "the file does not end with a checkpoint of its last round"
/usr/bin/python3 - run.h5 <<'PY' || fail "the rounds were shorter than 3 s; this test needs longer ones"
import sys, h5py
wall = h5py.File(sys.argv[1], "r")["rounds"]["wall_seconds"]
print(f"round wall seconds: min {wall.min():.1f}, max {wall.max():.1f}")
sys.exit(0 if wall.min() >= 3.0 else 1)
PY
run output.file=run.h5 --resume run.h5 >resume.log 2>&1 || { cat resume.log; fail "the resumed run failed"; }
"$check" --same uninterrupted.h5 run.h5 || fail "the resumed run differs from the uninterrupted one"
