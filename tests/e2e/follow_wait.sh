#!/usr/bin/env bash
# report --follow --wait: started before the run has created its file (as
# right after sbatch), it waits, then follows the run to its end (exit 0);
# with nothing ever appearing it gives up after --wait seconds (exit 2).
#   follow_wait.sh FEDHPC WORKDIR MPIEXEC SCENARIO
set -u
fedhpc=$1 work=$2 mpiexec=$3 scenario=$4
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" || exit 1
"$fedhpc" report --follow --wait 120 "$work/late.h5" >"$work/follow.log" 2>&1 &
follower=$!
sleep 2
kill -0 "$follower" 2>/dev/null || { cat "$work/follow.log"; fail "the follower did not wait for the file"; }
"$mpiexec" -n 1 "$fedhpc" run "$scenario" train.rounds=20 output.progress=false "output.file=$work/late.h5" \
  >"$work/run.log" 2>&1 || { cat "$work/run.log"; fail "the run failed"; }
wait "$follower"
rc=$?
[ "$rc" -eq 0 ] || { cat "$work/follow.log"; fail "the follower exited $rc"; }
grep -q "complete" "$work/follow.log" || { cat "$work/follow.log"; fail "the follower did not see the run complete"; }
"$fedhpc" report --follow --wait 2 "$work/never.h5" >"$work/never.log" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "no such results file after waiting 2 s (--wait)" "$work/never.log" ||
  { cat "$work/never.log"; fail "expected exit 2 after waiting 2 s, got $rc"; }
echo "follow --wait: waited for the file, followed the run to its end; gave up on a file that never came"
