#!/usr/bin/env bash
# A Slurm on this machine, for testing the slurm/ templates with real sbatch
# and srun. Needs root and Debian's slurm-wlm and munge.
#
#   scripts/slurm_local.sh start DIR   # writes DIR/slurm.conf, starts munged, slurmctld, slurmd
#   scripts/slurm_local.sh start-cluster DIR
#                                      # one node per host of scripts/local_cluster.sh (up first):
#                                      # slurmctld here, a slurmd inside each host, munge shared
#   scripts/slurm_local.sh stop DIR    # stops exactly the daemons it started (their pid files)
#
# Use the cluster with SLURM_CONF=DIR/slurm.conf in the environment.
set -euo pipefail
action=${1:?start|stop} dir=${2:?a working folder}
dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
conf=$dir/slurm.conf

stop() {
  for pidfile in "$dir"/slurmd*.pid "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    if [ -f "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$pidfile"
    fi
  done
}

if [ "$action" = stop ]; then stop; exit 0; fi
case $action in
  start | start-cluster) ;;
  *) echo "slurm_local.sh: start, start-cluster or stop, not '$action'" >&2; exit 2 ;;
esac
stop  # idempotent: a previous start in the same folder is replaced

host=$(hostname -s)
cpus=$(getconf _NPROCESSORS_ONLN)  # not nproc: it honours OMP_NUM_THREADS
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
cluster=$(dirname "${BASH_SOURCE[0]}")/local_cluster.sh
# Where slurmctld listens, and the node lines: this machine, or every host of
# the local cluster (each node the whole machine's cores, oversubscribed).
ctld_addr=127.0.0.1 timeouts=""
nodes="NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus Sockets=1 CoresPerSocket=$cpus ThreadsPerCore=1 RealMemory=$mem"
if [ "$action" = start-cluster ]; then
  hosts=$("$cluster" hosts)
  [ -n "$hosts" ] || { echo "slurm_local.sh: no local cluster is up (scripts/local_cluster.sh up N)" >&2; exit 2; }
  ctld_addr=$("$cluster" bridge-address)
  timeouts=$'SlurmdTimeout=2\nMessageTimeout=1'
  # Each node claims 4 CPUs, whatever the machine has (they share its cores):
  # a job of 2 tasks on each of 2 nodes still fits on one node after the
  # other died.
  mem=$((mem / $(echo "$hosts" | wc -l)))
  nodes=$(echo "$hosts" | while read -r name addr; do
    echo "NodeName=$name NodeAddr=$addr CPUs=4 Sockets=1 CoresPerSocket=4 ThreadsPerCore=1 RealMemory=$mem"
  done)
fi
mkdir -p "$dir/ctld" "$dir/d" "$dir/munge"
chown munge:munge "$dir/munge"
[ -s /etc/munge/munge.key ] || mungekey --create --keyfile /etc/munge/munge.key
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
cat >"$conf" <<CONF
ClusterName=fedhpc-ci
SlurmctldHost=$host($ctld_addr)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket,cred_expire=10
MpiDefault=pmix
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# Tasks get SIGKILL 2 s after SIGTERM when a job ends early (default 30 s:
# blocked on a dead peer, a rank cannot act on SIGTERM), and a job submitted
# with --requeue is eligible again 10 s after it was requeued (cred_expire,
# default 120 s). On the local cluster a node that stops answering is also
# declared down within seconds (defaults: 300 s, pings that wait 10 s).
$timeouts
KillWait=2
# The node lines, not what slurmd finds, say how many CPUs a node has.
SlurmdParameters=config_overrides
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd-%n.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd-%n.log
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/d/%n
SlurmctldPort=${FEDHPC_SLURMCTLD_PORT:-16817}
SlurmdPort=${FEDHPC_SLURMD_PORT:-16818}
$nodes
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
su -s /bin/sh munge -c "munged --socket=$dir/munge/munge.socket --pid-file=$dir/munge/munged.pid --log-file=$dir/munge/munged.log --seed-file=$dir/munge/munged.seed"
export SLURM_CONF=$conf
slurmctld -f "$conf"
if [ "$action" = start ]; then
  mkdir -p "$dir/d/$host"
  slurmd -f "$conf"
else
  # Each node reads its own copy of slurm.conf (the same bytes) beside its
  # own mpi.conf: the hosts share one /tmp, and Slurm's PMIx plugin would
  # make the same directory names there for every node of a step.
  while read -r name _; do
    mkdir -p "$dir/d/$name" "$dir/conf/$name" "$dir/pmix/$name"
    cp "$conf" "$dir/conf/$name/slurm.conf"
    echo "PMIxCliTmpDirBase=$dir/pmix/$name" >"$dir/conf/$name/mpi.conf"
    "$cluster" exec "$name" "SLURM_CONF=$dir/conf/$name/slurm.conf slurmd -f $dir/conf/$name/slurm.conf -N $name"
  done <<<"$hosts"
fi
want=$(echo "$nodes" | wc -l)
for _ in $(seq 1 150); do
  [ "$(sinfo -h -N -o %T 2>/dev/null | grep -c idle)" -eq "$want" ] && { echo "slurm_local.sh: up, $want node(s) ($conf)"; exit 0; }
  sleep 0.2
done
echo "slurm_local.sh: the node never became idle; logs in $dir" >&2
sinfo >&2 || true
exit 1
