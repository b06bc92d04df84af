#!/usr/bin/env bash
# A cluster of N "hosts" on this machine, for multi-node tests: each host is
# a network namespace (node1 ... nodeN) with its own address on a private
# bridge, and commands run in it with their own hostname (a UTS namespace),
# so Open MPI and Slurm see separate nodes talking over TCP.
#
#   scripts/local_cluster.sh up N          # create node1..nodeN (root)
#   scripts/local_cluster.sh exec HOST CMD # run CMD inside HOST, hostname HOST
#   scripts/local_cluster.sh agent         # print the rsh agent's path (mpirun --mca plm_rsh_agent)
#   scripts/local_cluster.sh mpirun ARGS   # mpirun across the hosts: the agent, TCP on the bridge,
#                                          # shared memory inside a host, a lost host noticed in seconds
#   scripts/local_cluster.sh hosts         # print "nodeI ADDRESS" lines
#   scripts/local_cluster.sh bridge-address # this machine's address on the bridge (daemons reached from the hosts)
#   scripts/local_cluster.sh shape PROFILE # emulate an interconnect on every host's link (tc):
#                                          # none, ib_hdr, eth_10g, eth_1g, wan (below)
#   scripts/local_cluster.sh probe         # exit 0 if hosts can be made here, else say why and exit 1
#   scripts/local_cluster.sh down          # remove exactly what `up` created
#
# Addresses come from 10.213.0.0/24, used only inside what this script creates
# (the bridge fhpc-br0 holds 10.213.0.254 for launchers in the root namespace).
# /etc/hosts gets one line per host, each marked "# fedhpc-local-cluster", and
# `down` removes those lines only. Nothing outside this machine is addressed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
net=10.213.0 bridge=fhpc-br0 mark="# fedhpc-local-cluster"
run_dir=/run/fedhpc-local-cluster state=/run/fedhpc-local-cluster/hosts agents=/run/fedhpc-local-cluster/agents

die() { echo "local_cluster: $*" >&2; exit 2; }
hosts() { [ -f "$state" ] && cat "$state" || true; }

up() {
  local n=$1
  [[ $n =~ ^[1-9][0-9]?$ ]] && ((n <= 50)) || die "expected a host count in 1..50, found '$n'"
  [ "$(id -u)" -eq 0 ] || die "needs root (network namespaces)"
  [ -f "$state" ] && die "a cluster is up already ($(wc -l < "$state") hosts); run down first"
  ip link add "$bridge" type bridge
  ip addr add "$net.254/24" dev "$bridge"
  ip link set "$bridge" up
  mkdir -p "$agents"
  : > "$state"
  for i in $(seq 1 "$n"); do
    local host=node$i
    ip netns add "$host"
    ip link add "fhpc-v$i" type veth peer name eth0 netns "$host"
    ip link set "fhpc-v$i" master "$bridge" up
    ip -n "$host" addr add "$net.$i/24" dev eth0
    ip -n "$host" link set eth0 up
    ip -n "$host" link set lo up
    echo "$host $net.$i" >> "$state"
    echo "$net.$i $host $mark" >> /etc/hosts
  done
  echo "local_cluster: up: $(awk '{printf "%s%s (%s)", (NR > 1 ? ", " : ""), $1, $2}' "$state")"
}

down() {
  while read -r host _; do
    # Every process still inside the host, then the namespace and its link.
    for pid in $(ip netns pids "$host" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$host" 2>/dev/null || true
  done < <(hosts)
  for link in $(ip -o link show | awk -F': ' '{print $2}' | grep -E '^fhpc-v[0-9]+' | cut -d@ -f1); do
    ip link del "$link" 2>/dev/null || true
  done
  ip link del "$bridge" 2>/dev/null || true
  # Agents still waiting on a host that crashed (they never hear back).
  pkill -f "^bash $here/local_cluster_agent.sh " 2>/dev/null || true
  if grep -q "$mark" /etc/hosts; then
    # /etc/hosts may be a bind mount: rewrite it in place rather than replace it.
    local kept
    kept=$(grep -v "$mark" /etc/hosts)
    printf '%s\n' "$kept" > /etc/hosts
  fi
  rm -rf "$run_dir"
  echo "local_cluster: down"
}

# Runs a command line inside HOST with its own hostname. Open MPI's rsh
# launcher calls it as an ssh would be: HOST then one command string.
# nsenter rather than `ip netns exec`: the latter remounts /sys, which hides
# the cgroup hierarchy slurmd needs. The file system is this machine's, /tmp
# included, as on a cluster with one shared file system.
run_in() {
  local host=$1
  shift
  grep -q "^$host " "$state" 2>/dev/null || die "no host '$host' (hosts: $(hosts | awk '{print $1}' | xargs))"
  exec nsenter --net="/run/netns/$host" unshare --uts sh -c 'hostname "$0"; exec sh -c "$1"' "$host" "$*"
}

# An interconnect, emulated on each host's eth0 (its egress, so every
# direction between two hosts gets it once): netem's one-way delay, and a
# token bucket (tbf) at the link rate under it. ib_hdr adds no rate limit:
# HDR InfiniBand's 200 Gb/s is beyond what a veth pair carries, so its rate
# is the veth's. tbf's bucket holds 1 ms at the rate, at least 128 KB (whole
# TSO segments pass).
#   profile   one-way delay   rate
#   ib_hdr    1 us            the veth's
#   eth_10g   20 us           10 Gb/s
#   eth_1g    100 us          1 Gb/s
#   wan       20 ms           100 Mb/s
shape() {
  local profile=$1 delay rate
  case $profile in
    none) delay="" rate="" ;;
    ib_hdr) delay=1us rate="" ;;
    eth_10g) delay=20us rate=10000 ;;
    eth_1g) delay=100us rate=1000 ;;
    wan) delay=20ms rate=100 ;;
    *) die "expected a profile (none, ib_hdr, eth_10g, eth_1g, wan), found '$profile'" ;;
  esac
  [ -f "$state" ] || die "no cluster is up (run: up N)"
  # Kernels without sch_netem (some VM kernels) get the rate alone.
  local netem=yes parent=root
  if ! tc qdisc add dev lo root netem delay 1us 2>/dev/null; then netem=no; else tc qdisc del dev lo root; fi
  while read -r host _; do
    tc -n "$host" qdisc del dev eth0 root 2>/dev/null || true
    parent=root
    if [ -n "$delay" ] && [ $netem = yes ]; then
      tc -n "$host" qdisc add dev eth0 root handle 1: netem delay "$delay" limit 100000
      parent="parent 1:1"
    fi
    if [ -n "$rate" ]; then
      local burst=$((rate * 1000000 / 8 / 1000))
      ((burst >= 131072)) || burst=131072
      # shellcheck disable=SC2086  # parent is "root" or "parent 1:1"
      tc -n "$host" qdisc add dev eth0 $parent handle 10: tbf rate "${rate}mbit" burst "$burst" latency 200ms
    fi
  done < <(hosts)
  if [ -n "$delay" ] && [ $netem = no ]; then
    echo "local_cluster: links shaped as $profile, rate only: this kernel has no netem, so no added delay"
  else
    echo "local_cluster: links shaped as $profile"
  fi
}

# mpirun with what a run across the hosts needs. The oob keepalives are what
# make a crashed host (silent: no TCP reset ever comes) end the job in
# seconds: without them mpirun notices only after 300 + 9 x 20 s.
run_mpirun() {
  [ -f "$state" ] || die "no cluster is up (run: up N)"
  exec mpirun --mca plm_rsh_agent "$here/local_cluster_agent.sh" \
    --mca oob_tcp_if_include "$net.0/24" --mca btl_tcp_if_include "$net.0/24" --mca btl self,vader,tcp \
    --mca oob_tcp_keepalive_time 2 --mca oob_tcp_keepalive_intvl 1 --mca oob_tcp_keepalive_probes 3 "$@"
}

# Whether this machine lets us make hosts: root, and a namespace made and removed.
probe() {
  [ "$(id -u)" -eq 0 ] || { echo "network namespaces need root"; exit 1; }
  ip netns add fhpc-probe 2>/dev/null || { echo "ip netns cannot make a namespace here"; exit 1; }
  ip netns del fhpc-probe
}

case ${1:-} in
  up) up "${2:-}" ;;
  down) down ;;
  exec) shift; [ $# -ge 2 ] || die "usage: exec HOST CMD..."; run_in "$@" ;;
  agent) echo "$here/local_cluster_agent.sh" ;;
  agents-dir) echo "$agents" ;;
  mpirun) shift; run_mpirun "$@" ;;
  shape) shape "${2:-}" ;;
  probe) probe ;;
  hosts) hosts ;;
  bridge-address) echo "$net.254" ;;
  *) sed -n '2,23p' "$0"; exit 2 ;;
esac
