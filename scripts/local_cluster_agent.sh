#!/usr/bin/env bash
# Open MPI's rsh agent for scripts/local_cluster.sh (--mca plm_rsh_agent): called
# like ssh, HOST then the command line, it runs that line inside the host.
#
# It behaves as ssh does towards a host that crashes: the command runs
# detached from this process (its own session, inside the host), and this
# agent learns that it ended only from the exit status the host writes when
# it does. A host whose processes are all killed writes nothing, so the agent
# goes on waiting, as an ssh client waits on a silent peer, and the launcher
# has to notice the loss by itself (its TCP keepalives: docs/multinode.md),
# never because a process on this machine died.
set -u
[ $# -ge 2 ] || { echo "local_cluster_agent: usage: HOST CMD..." >&2; exit 255; }
cluster="$(dirname "${BASH_SOURCE[0]}")/local_cluster.sh"
host=$1
shift
status=$(mktemp "$("$cluster" agents-dir)/status.XXXXXX") || exit 255
rm -f "$status"
trap 'rm -f "$status" "$status.tmp"' EXIT
# The host writes its status to a temporary name and renames it, so a
# half-written number is never read.
setsid "$cluster" exec "$host" "$*; echo \$? > $status.tmp && mv $status.tmp $status" </dev/null &
while [ ! -s "$status" ]; do sleep 0.2; done
exit "$(cat "$status")"
