#!/usr/bin/env bash
# The slurm/ templates on a multi-node Slurm: three hosts in network
# namespaces (scripts/local_cluster.sh), slurmctld on this machine and a
# slurmd inside each host (scripts/slurm_local.sh start-cluster).
#   - `sbatch -N 2 --ntasks-per-node=2` of run.sbatch: srun --mpi=pmix starts 4
#     ranks over 2 nodes; the file and the job folder name both;
#   - scaling.sbatch across the same 2 nodes: its 4-rank run spans both;
#   - a node that crashes (link down, every process SIGKILLed) under a job
#     submitted with --requeue: the ranks on the other node end within 15 s,
#     Slurm requeues the job, which continues from its checkpoint by itself on
#     the two healthy nodes and ends with the bits of an uninterrupted run.
# Skips (77) without root, namespaces, or Debian's slurm-wlm and munge.
#   slurm_multinode.sh REPO FEDHPC CHECK_RESULTS WORKDIR MPIEXEC
set -u
repo=$1 fedhpc=$2 check=$3 work=$4 mpiexec=$5
cluster=$repo/scripts/local_cluster.sh slurm=$repo/scripts/slurm_local.sh
if [ "$(id -u)" -ne 0 ] || ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "skipped: needs root and Debian's slurm-wlm and munge (scripts/setup.sh installs them)"; exit 77
fi
reason=$("$cluster" probe) || { echo "skipped: $reason"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
cleanup() { "$slurm" stop "$work/cluster" >/dev/null 2>&1; "$cluster" down >/dev/null 2>&1; }
fail() {
  echo "FAIL: $*"
  for f in "$work"/*.out "$work"/cluster/*.log; do [ -f "$f" ] && { echo "== $f"; tail -n 15 "$f"; }; done
  cleanup; exit 1
}
trap cleanup EXIT
"$cluster" up 3 || fail "local_cluster.sh up 3"
"$slurm" start-cluster "$work/cluster" || fail "the multi-node Slurm did not start"
export SLURM_CONF=$work/cluster/slurm.conf FEDHPC_BIN=$fedhpc
nodes_of() { scontrol show hostnames "$(sed -n 's/^ *NodeList=\(.*\)$/\1/p' "$1")" | xargs; }
spans_two() {  # FILE: the results file's hosts and n_nodes say 2 nodes
  /usr/bin/python3 - "$1" <<'PY'
import sys, h5py
a = h5py.File(sys.argv[1], "r").attrs
hosts = str(a["hosts"]).split(",")
print(f"{sys.argv[1]}: hosts {hosts}, n_nodes {a['n_nodes']}, n_ranks {a['n_ranks']}")
sys.exit(0 if len(hosts) == 2 and all(h.startswith("node") for h in hosts) and a["n_nodes"] == 2 else 1)
PY
}

# run.sbatch over 2 nodes.
SCENARIO=$repo/tests/fixtures/good/synthetic_logreg.yaml RUN_DIR=$work/job timeout 120 sbatch --wait -N 2 \
  --ntasks-per-node=2 --chdir="$repo" --output="$work/run-%j.out" "$repo/slurm/run.sbatch" train.rounds=3 \
  output.progress=false || fail "sbatch -N 2 run.sbatch failed"
"$check" "$work/job/synthetic_logreg.h5" --rounds 3 || fail "run.sbatch's results file"
spans_two "$work/job/synthetic_logreg.h5" || fail "run.sbatch's file does not name 2 nodes"
[ "$(nodes_of "$work/job/scontrol.txt" | wc -w)" -eq 2 ] || fail "the job folder does not record 2 nodes"

# scaling.sbatch over the same 2 nodes: 1, 2 and 4 ranks, the last across both.
MODE=weak RUN_DIR=$work/scaling timeout 300 sbatch --wait -N 2 --ntasks-per-node=2 --chdir="$repo" \
  --output="$work/scaling-%j.out" "$repo/slurm/scaling.sbatch" train.rounds=3 train.local_epochs=1 ||
  fail "sbatch -N 2 scaling.sbatch failed"
for p in 1 2 4; do "$check" "$work/scaling/weak-p$p-r1.h5" --rounds 3 || fail "scaling file weak-p$p-r1.h5"; done
spans_two "$work/scaling/weak-p4-r1.h5" || fail "the scaling series' 4-rank run does not span 2 nodes"

# A node crash under --requeue.
args=(train.rounds=60 output.checkpoint_every=3 output.eval_every=1 output.progress=false)
scenario=$repo/tests/fixtures/good/synthetic_mlp.yaml
(cd "$work" && "$mpiexec" -n 1 "$fedhpc" run "$scenario" "${args[@]}" output.file=uninterrupted.h5 >uninterrupted.log 2>&1) ||
  fail "the uninterrupted run failed"
job=$(SCENARIO=$scenario RUN_DIR=$work/requeue sbatch --parsable --requeue -N 2 --ntasks-per-node=2 --chdir="$repo" \
  --output="$work/requeue-%j.out" "$repo/slurm/run.sbatch" "${args[@]}") || fail "sbatch --requeue failed"
file=$work/requeue/synthetic_mlp.h5
for _ in $(seq 1 600); do
  n=$("$check" --count "$file" 2>/dev/null || echo -1)
  [ "${n:--1}" -ge 10 ] && break
  sleep 0.1
done
[ "${n:--1}" -ge 10 ] || fail "the job never reached round 10"
read -r batch victim < <(nodes_of "$work/requeue/scontrol.txt")
ranks=$(ip netns pids "$batch" | xargs ps -o pid=,comm= -p | awk '$2 == "fedhpc" {print $1}' | xargs)
[ -n "$ranks" ] || fail "no ranks found on $batch"
start=$(date +%s.%N)
ip link set "fhpc-v${victim#node}" down
ip netns pids "$victim" | xargs -r kill -KILL 2>/dev/null
echo "$victim crashed after round $n; ranks on $batch: $ranks"
for _ in $(seq 1 150); do
  alive=$(for p in $ranks; do [ -d /proc/$p ] && [ "$(cut -d' ' -f3 /proc/$p/stat)" != Z ] && echo $p; done)
  [ -z "$alive" ] && break
  sleep 0.1
done
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
[ -z "$alive" ] || fail "ranks on $batch still running $took s after $victim crashed"
echo "the ranks on $batch ended $took s after the crash"
for _ in $(seq 1 180); do [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break; sleep 1; done
[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] || fail "the requeued job did not finish within 3 minutes"
[ -f "$work/requeue/scontrol.restart1.txt" ] || fail "the job was not requeued (no scontrol.restart1.txt)"
again=$(nodes_of "$work/requeue/scontrol.restart1.txt")
case " $again " in *" $victim "*) fail "the requeued job ran on the crashed $victim again ($again)" ;; esac
grep -q '^FEDHPC_RESULT {"name": "synthetic_mlp", "rounds": 60,' "$work/requeue-$job.out" || fail "the requeued run did not finish"
"$check" --same "$work/uninterrupted.h5" "$file" || fail "the requeued run differs from the uninterrupted one"
echo "slurm multinode: run.sbatch and scaling.sbatch on 2 nodes; a crash on $victim: ranks gone in $took s," \
  "requeued on $again, resumed bit for bit"
