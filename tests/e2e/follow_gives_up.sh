#!/usr/bin/env bash
# `fedhpc report --follow` never waits forever: a directory and a file that is
# not HDF5 are refused at once (exit 2); a foreign HDF5 file nobody writes is
# refused within seconds; a file that never becomes a results file while
# "its writer" lives is refused after --timeout; a killed run's file (its
# writer lock left behind) ends the follow with exit 1 and the words to
# continue it.
#   follow_gives_up.sh FEDHPC WORKDIR MPIEXEC [MPIEXEC FLAGS...] -- RUN ARGS...
set -u
fedhpc=$1 workdir=$2 mpiexec=$3
shift 3
mpiflags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do mpiflags+=("$1"); shift; done
shift
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir" || exit 1

# follow EXPECTED_RC MAX_SECONDS MESSAGE FOLLOW ARGS...: the follow ends with
# EXPECTED_RC within MAX_SECONDS and prints MESSAGE.
follow() {
  local want=$1 max=$2 message=$3
  shift 3
  local start=$SECONDS
  timeout 120 "$fedhpc" report --follow "$@" >follow.log 2>&1
  local rc=$? took=$((SECONDS - start))
  echo "report --follow $*: exit $rc after ${took} s: $(tail -n 1 follow.log)"
  [ "$rc" -ne 124 ] || fail "report --follow $* still waited after 120 s"
  [ "$rc" -eq "$want" ] || { cat follow.log; fail "report --follow $*: expected exit $want, got $rc"; }
  [ "$took" -le "$max" ] || fail "report --follow $*: took ${took} s, more than $max"
  grep -qF -- "$message" follow.log || { cat follow.log; fail "no '$message'"; }
}

mkdir folder
follow 2 1 "folder: is a directory, not a results file" folder
echo "round,accuracy" >table.csv
follow 2 1 "table.csv: is not an HDF5 file, not a fedhpc results file" table.csv
/usr/bin/python3 -c "import h5py; h5py.File('foreign.h5', 'w')['x'] = [1, 2, 3]"
follow 2 4 "foreign.h5: not a fedhpc results file, and no live run is writing it (no writer lock)" foreign.h5

# An empty file whose writer lock names a live process (a sleeping shell):
# it is waited for, up to --timeout.
sleep 60 &
sleeper=$!
: >empty.h5
printf 'fedhpc results writer\nhost %s\npid %s\nprocess_start 0\nstarted now\nheartbeat %s\nbeats 0\n' \
  "$(hostname)" "$sleeper" "$(date +%s)" >empty.h5.writer
follow 2 6 "empty.h5: did not become a fedhpc results file within 3 s (--timeout)" --timeout 3 empty.h5
kill "$sleeper"

# A run killed by SIGKILL after a few rounds: its lock stays behind, naming a
# process that is gone.
"$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "$@" output.file=killed.h5 >run.log 2>&1 &
launcher=$!
for _ in $(seq 1 600); do
  "$fedhpc" report killed.h5 2>/dev/null | grep -q "INCOMPLETE: [2-9]" && break
  kill -0 "$launcher" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$launcher" 2>/dev/null || { cat run.log; fail "the run ended before it could be killed"; }
pkill -KILL -f -- "^$fedhpc run .*output.file=killed.h5"
wait "$launcher"
[ -f killed.h5.writer ] || fail "the killed run left no writer lock (the case this test is for)"
follow 1 4 "; continue it with fedhpc run ... --resume killed.h5" killed.h5
grep -q "the run writing this file is gone after [2-9] rounds (it was killed or failed): pid [0-9]* on $(hostname)" \
  follow.log || fail "no words on the writer"
