#!/usr/bin/env bash
# Interrupts a 2-rank run part-way and continues it (results you can
# trust). KILL: SIGKILL to every rank, as a node failure or the scheduler's
# hard limit does; the file must still open and hold every finished round.
# TERM: SIGTERM to every rank, as Slurm's --signal warning does; the run must
# write a checkpoint and exit 143. Either way `--resume` on 2 ranks must end
# with a file identical to an uninterrupted run's: bitwise /model/final, the
# same per-round metrics and /clients outcomes.
#
#   interrupt_resume.sh KILL|TERM FEDHPC CHECK_RESULTS WORKDIR MPIEXEC [MPIEXEC FLAGS...] -- RUN ARGS...
set -u
sig=$1 fedhpc=$2 check=$3 workdir=$4 mpiexec=$5
shift 5
mpiflags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do mpiflags+=("$1"); shift; done
shift
args=("$@")
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p "$workdir"
ref=$workdir/uninterrupted.h5 run=$workdir/interrupted.h5 log=$workdir/interrupted.log
rm -f "$ref" "$run"
"$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "${args[@]}" output.file="$ref" || fail "the uninterrupted run failed"

# The run to interrupt, in its own process group so nothing else is hit.
setsid "$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "${args[@]}" output.file="$run" >"$log" 2>&1 &
launcher=$!
# Wait for a few rounds to be on disk (read live, in SWMR mode).
for _ in $(seq 1 600); do
  n=$("$check" --count "$run" 2>/dev/null || echo -1)
  [ "${n:--1}" -ge 5 ] && break
  kill -0 "$launcher" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$launcher" 2>/dev/null || { cat "$log"; fail "the run ended before it could be interrupted"; }
ranks=$(pgrep -f -- "$fedhpc run .*output.file=$run" | while read -r p; do
  [ "$(ps -o comm= -p "$p")" = "fedhpc" ] && echo "$p"; done)
[ -n "$ranks" ] || fail "no rank processes found"
echo "interrupting ranks $(echo $ranks) with SIG$sig after round ${n}"
kill -"$sig" $ranks
wait "$launcher"
rc=$?
echo "the launcher exited with $rc"
if [ "$sig" = TERM ]; then
  [ "$rc" -eq 143 ] || { cat "$log"; fail "expected exit code 143 after SIGTERM, got $rc"; }
  grep -q "stopped by SIGTERM after round" "$log" || { cat "$log"; fail "no stop message"; }
  "$check" --interrupted "$run" --stopped || fail "the stopped file is not as SIGTERM should leave it"
else
  [ "$rc" -ne 0 ] || fail "the killed run exited 0"
  "$check" --interrupted "$run" || fail "the killed file is not readable as expected"
fi

# Bad resumes are bad input (exit 2) and leave the file alone: another
# configuration, and a run that is already complete.
before=$("$check" --count "$run")
"$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "${args[@]}" train.lr=0.5 output.file="$run" --resume "$run" \
  >"$workdir/bad.log" 2>&1
rc=$?
[ "$rc" -eq 2 ] || { cat "$workdir/bad.log"; fail "resuming with another lr: expected exit 2, got $rc"; }
grep -q "was made by a different configuration: under 'train': the file has 'lr: 0.02', this run has 'lr: 0.5'" "$workdir/bad.log" ||
  { cat "$workdir/bad.log"; fail "no message naming the differing key"; }
[ "$("$check" --count "$run")" = "$before" ] || fail "a refused resume changed the file"
"$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "${args[@]}" output.file="$ref" --resume "$ref" >"$workdir/bad.log" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "is already complete" "$workdir/bad.log" ||
  { cat "$workdir/bad.log"; fail "resuming a complete run: expected exit 2 and a message, got $rc"; }

"$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "${args[@]}" output.file="$run" --resume "$run" ||
  fail "the resumed run failed"
"$check" --same "$ref" "$run" || fail "the resumed run differs from the uninterrupted one"
