#!/usr/bin/env bash
# One writer per results file: while a 2-rank run writes run.h5, a second run
# with --resume run.h5 and a third with output.overwrite=true onto it must
# exit 2 naming the live writer, and the live run must finish with a file
# whose every attribute and dataset equals an undisturbed run's.
#   one_writer.sh FEDHPC WORKDIR MPIEXEC [MPIEXEC FLAGS...] -- RUN ARGS...
set -u
fedhpc=$1 workdir=$2 mpiexec=$3
shift 3
mpiflags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do mpiflags+=("$1"); shift; done
shift
args=("$@")
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*"; exit 1; }
run() { "$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "${args[@]}" output.file=run.h5 "$@"; }

# Both runs write run.h5 in their own folder, so even the recorded command
# lines are the same.
rm -rf "$workdir" && mkdir -p "$workdir/undisturbed" "$workdir/live"
(cd "$workdir/undisturbed" && run >run.log 2>&1) || { cat "$workdir/undisturbed/run.log"; fail "the undisturbed run failed"; }

cd "$workdir/live" || exit 1
run >run.log 2>&1 &
live=$!
for _ in $(seq 1 600); do
  [ -f run.h5.writer ] && "$fedhpc" report run.h5 2>/dev/null | grep -q "INCOMPLETE: [1-9]" && break
  kill -0 "$live" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$live" 2>/dev/null || { cat run.log; fail "the live run ended before the second writers came"; }
echo "the live run's lock: $(tr '\n' ' ' <run.h5.writer)"
pid=$(sed -n 's/^pid //p' run.h5.writer)

run --resume run.h5 >resume.log 2>&1
rc=$?
cat resume.log
[ "$rc" -eq 2 ] || fail "--resume on a live file: expected exit 2, got $rc"
grep -q "error: --resume: run.h5 is being written by a live run, pid $pid on $(hostname)" resume.log ||
  fail "the --resume message does not name the live writer"

run output.overwrite=true >overwrite.log 2>&1
rc=$?
cat overwrite.log
[ "$rc" -eq 2 ] || fail "output.overwrite=true on a live file: expected exit 2, got $rc"
grep -q "error: output.file: run.h5 is being written by a live run, pid $pid on $(hostname)" overwrite.log ||
  fail "the overwrite message does not name the live writer"

kill -0 "$live" 2>/dev/null || fail "the live run had ended before both second writers were refused; use longer rounds"
wait "$live" || { cat run.log; fail "the live run failed"; }
[ ! -e run.h5.writer ] || fail "the finished run left its lock behind"
/usr/bin/python3 "$here/same_file.py" run.h5 ../undisturbed/run.h5 || fail "the live run's file is not intact"
