#!/usr/bin/env bash
# MPI across two "hosts" (network namespaces, scripts/local_cluster.sh): the
# quickstart's first rounds with 2 ranks on each host give the same bits as
# 4 ranks on one host, the file names both hosts and n_nodes 2, and `down`
# leaves no namespace, link or /etc/hosts line behind. /timings splits the
# reduce into its level within a node and across nodes. Skips (77) where
# namespaces cannot be made (not root, no `ip netns`).
#   multinode.sh REPO FEDHPC CHECK_RESULTS WORKDIR MPIEXEC
set -u
# shellcheck source=tests/e2e/multinode_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/multinode_common.sh"
args=("$repo/scenarios/quickstart.yaml" train.rounds=3 train.local_epochs=1 output.progress=false output.overwrite=true)

"$mpiexec" -n 4 --oversubscribe "$fedhpc" run "${args[@]}" output.file=one_host.h5 >one_host.log 2>&1 ||
  { cat one_host.log; fail "the one-host run failed"; }
"$cluster" up 2 || fail "local_cluster.sh up 2"
"$cluster" mpirun --host node1:2,node2:2 -n 4 -x OMP_NUM_THREADS -x OMP_WAIT_POLICY \
  "$fedhpc" run "${args[@]}" output.file=two_hosts.h5 >two_hosts.log 2>&1 ||
  { cat two_hosts.log; fail "the two-host run failed"; }
"$cluster" down || fail "local_cluster.sh down"

"$check" --same one_host.h5 two_hosts.h5 || fail "two hosts and one host differ"
/usr/bin/python3 - two_hosts.h5 <<'PY' || fail "the file does not name both hosts and 2 nodes"
import sys, h5py
a = h5py.File(sys.argv[1], "r").attrs
print(f"hosts {a['hosts']}, n_nodes {a['n_nodes']}")
sys.exit(0 if a["hosts"] == "node1,node2" and a["n_nodes"] == 2 else 1)
PY
/usr/bin/python3 - one_host.h5 two_hosts.h5 <<'PY' || fail "/timings does not split the reduce by level as expected"
# Two hosts: rank 0 and rank 2 lead the nodes and spend time across them;
# ranks 1 and 3 never do. One host: nothing crosses nodes.
import sys, h5py
def cross(path):
    t = h5py.File(path, "r")["timings"][...]
    return {r: t["reduce_cross_seconds"][t["rank"] == r].sum() for r in range(4)}, t["reduce_node_seconds"].sum()
one, one_node = cross(sys.argv[1])
two, two_node = cross(sys.argv[2])
print(f"cross-node reduce seconds by rank: one host {one}, two hosts {two}")
ok = all(v == 0 for v in one.values()) and one_node > 0 and two_node > 0
ok = ok and two[0] > 0 and two[2] > 0 and two[1] == 0 and two[3] == 0
sys.exit(0 if ok else 1)
PY
left=$( (ip netns list; ip -o link show | grep fhpc; grep fedhpc-local-cluster /etc/hosts
  pgrep -af local_cluster_agent; ls -d /run/fedhpc-local-cluster) 2>/dev/null)
[ -z "$left" ] || fail "down left behind: $left"
echo "multinode: 2 hosts x 2 ranks = 4 ranks on one host, bit for bit; down left nothing"
