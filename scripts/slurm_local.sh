#!/usr/bin/env bash
# A single-node Slurm on this machine, for testing the slurm/ templates with
# real sbatch and srun. Needs root and Debian's slurm-wlm
# and munge.
#
#   scripts/slurm_local.sh start DIR   # writes DIR/slurm.conf, starts munged, slurmctld, slurmd
#   scripts/slurm_local.sh stop DIR    # stops exactly the daemons it started (their pid files)
#
# Use the cluster with SLURM_CONF=DIR/slurm.conf in the environment.
set -euo pipefail
action=${1:?start|stop} dir=${2:?a working folder}
dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
conf=$dir/slurm.conf

stop() {
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    if [ -f "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$pidfile"
    fi
  done
}

if [ "$action" = stop ]; then stop; exit 0; fi
[ "$action" = start ] || { echo "slurm_local.sh: start or stop, not '$action'" >&2; exit 2; }
stop  # idempotent: a previous start in the same folder is replaced

host=$(hostname -s)
cpus=$(getconf _NPROCESSORS_ONLN)  # not nproc: it honours OMP_NUM_THREADS
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
mkdir -p "$dir/ctld" "$dir/d" "$dir/munge"
chown munge:munge "$dir/munge"
[ -s /etc/munge/munge.key ] || mungekey --create --keyfile /etc/munge/munge.key
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
cat >"$conf" <<CONF
ClusterName=fedhpc-ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
MpiDefault=pmix
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/d
SlurmctldPort=${FEDHPC_SLURMCTLD_PORT:-16817}
SlurmdPort=${FEDHPC_SLURMD_PORT:-16818}
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus Sockets=1 CoresPerSocket=$cpus ThreadsPerCore=1 RealMemory=$mem
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
su -s /bin/sh munge -c "munged --socket=$dir/munge/munge.socket --pid-file=$dir/munge/munged.pid --log-file=$dir/munge/munged.log --seed-file=$dir/munge/munged.seed"
export SLURM_CONF=$conf
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 1 100); do
  sinfo -h -o %T 2>/dev/null | grep -q idle && { echo "slurm_local.sh: up ($conf)"; exit 0; }
  sleep 0.2
done
echo "slurm_local.sh: the node never became idle; logs in $dir" >&2
sinfo >&2 || true
exit 1
