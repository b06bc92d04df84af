# shellcheck shell=bash
# Sourced first by the tests that run MPI across hosts in network namespaces
# (multinode.sh, node_kill.sh): their arguments, `fail` (which also takes the
# hosts down), the skip (77) where namespaces cannot be made, a fresh WORKDIR.
#   source multinode_common.sh REPO FEDHPC CHECK_RESULTS WORKDIR MPIEXEC
# shellcheck disable=SC2034  # repo, fedhpc, check and mpiexec are for the sourcing test
repo=$1 fedhpc=$2 check=$3 workdir=$4 mpiexec=$5
cluster=$repo/scripts/local_cluster.sh
fail() { echo "FAIL: $*"; "$cluster" down >/dev/null 2>&1; exit 1; }
reason=$("$cluster" probe) || { echo "skipped: $reason"; exit 77; }
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir" || exit 1
