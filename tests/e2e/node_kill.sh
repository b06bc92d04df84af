#!/usr/bin/env bash
# A host that crashes mid-run (scripts/local_cluster.sh): 2 ranks on each of
# node1 and node2; after a few rounds node2's link goes down and every
# process on it gets SIGKILL, so no TCP reset or exit status ever reaches the
# others, as with a node that loses power. Then:
#   - the launcher and the ranks on node1 all end within 15 s, non-zero;
#   - the file holds every finished round and the latest checkpoint;
#   - `--resume` with 2 ranks on node1 alone finishes it with the same bits
#     as an uninterrupted run on 1 rank.
# Skips (77) where namespaces cannot be made (not root, no `ip netns`).
#   node_kill.sh REPO FEDHPC CHECK_RESULTS WORKDIR MPIEXEC
set -u
# shellcheck source=tests/e2e/multinode_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/multinode_common.sh"
every=3
args=("$repo/tests/fixtures/good/synthetic_mlp.yaml" train.rounds=300 "output.checkpoint_every=$every"
  output.eval_every=1 output.progress=false output.overwrite=true)

"$mpiexec" -n 1 "$fedhpc" run "${args[@]}" output.file=uninterrupted.h5 >uninterrupted.log 2>&1 ||
  { cat uninterrupted.log; fail "the uninterrupted run failed"; }

"$cluster" up 2 || fail "local_cluster.sh up 2"
setsid "$cluster" mpirun --host node1:2,node2:2 -n 4 -x OMP_NUM_THREADS -x OMP_WAIT_POLICY \
  "$fedhpc" run "${args[@]}" output.file=crashed.h5 >crashed.log 2>&1 &
launcher=$!
for _ in $(seq 1 600); do
  n=$("$check" --count crashed.h5 2>/dev/null || echo -1)
  [ "${n:--1}" -ge 10 ] && break
  kill -0 "$launcher" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$launcher" 2>/dev/null || { cat crashed.log; fail "the run ended before node2 could crash"; }
survivors=$(ip netns pids node1 | xargs)
start=$(date +%s.%N)
ip link set fhpc-v2 down
ip netns pids node2 | xargs -r kill -KILL 2>/dev/null
echo "node2 crashed after round $n (node1 runs: $survivors)"

# Everything on node1 and the launcher must be gone within 15 s.
for _ in $(seq 1 150); do
  alive=$(for p in $launcher $survivors; do [ -d /proc/$p ] && [ "$(cut -d' ' -f3 /proc/$p/stat)" != Z ] && echo $p; done)
  [ -z "$alive" ] && break
  sleep 0.1
done
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
[ -z "$alive" ] || { cat crashed.log; fail "still running $took s after node2 crashed: $(ps -o pid,comm -p $alive)"; }
wait "$launcher"
rc=$?
echo "all survivors gone $took s after the crash; the launcher exited $rc"
[ "$rc" -ne 0 ] || fail "the launcher exited 0 after losing a host"

state=$("$check" --interrupted crashed.h5) || fail "the crashed run's file is not as a killed run should leave it"
echo "$state"
# "interrupted after N rounds, every one recorded; latest checkpoint after round M":
# M is the last multiple of the interval up to N, or the one before when the
# crash came while round N's checkpoint was being gathered from the ranks.
read -r finished latest < <(echo "$state" | sed -n 's/.*after \([0-9]*\) rounds.*after round \([0-9]*\).*/\1 \2/p')
[ -n "${latest:-}" ] && [ $((latest % every)) -eq 0 ] && [ "$latest" -le "$finished" ] &&
  [ $((finished - latest)) -le "$every" ] ||
  fail "expected a checkpoint within the last $every rounds of round ${finished:-?}, found '${latest:-none}'"

"$cluster" exec node1 "$mpiexec -n 2 -x OMP_NUM_THREADS $fedhpc run ${args[*]} output.file=crashed.h5 --resume crashed.h5" \
  >resumed.log 2>&1 || { cat resumed.log; fail "the resume on node1 failed"; }
"$cluster" down || fail "local_cluster.sh down"
"$check" --same uninterrupted.h5 crashed.h5 || fail "the resumed run differs from the uninterrupted one"
echo "node kill: survivors gone in $took s (exit $rc); resumed on 2 ranks of node1, bit for bit"
