#!/usr/bin/env bash
# `fedhpc report --follow` on a run while it is being written (SWMR): it must
# print the rounds as they come, and end with exit 0 once the run completes.
#   follow_live.sh FEDHPC WORKDIR MPIEXEC [MPIEXEC FLAGS...] -- RUN ARGS...
set -u
fedhpc=$1 workdir=$2 mpiexec=$3
shift 3
mpiflags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do mpiflags+=("$1"); shift; done
shift
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$workdir"
file=$workdir/live.h5
rm -f "$file"
"$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "$@" output.file="$file" >"$workdir/run.log" 2>&1 &
runner=$!
for _ in $(seq 1 300); do [ -f "$file" ] && break; sleep 0.1; done
[ -f "$file" ] || fail "the run never created $file"
timeout 300 "$fedhpc" report --follow "$file" >"$workdir/follow.log" 2>&1
rc=$?
wait "$runner" || { cat "$workdir/run.log"; fail "the run failed"; }
cat "$workdir/follow.log" | head -5
tail -n 3 "$workdir/follow.log"
[ "$rc" -eq 0 ] || fail "report --follow exited $rc"
grep -q "^complete: 150 rounds" "$workdir/follow.log" || fail "no completion line"
rows=$(grep -cE "^ +[0-9]+ +[0-9.na]+ " "$workdir/follow.log")
[ "$rows" -eq 150 ] || fail "expected 150 round lines, found $rows"
# It saw the run live: its first read came before the run had finished.
head -n 1 "$workdir/follow.log" | grep -q ", live)" || fail "the first read did not find a live run"
