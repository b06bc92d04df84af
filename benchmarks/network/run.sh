#!/usr/bin/env bash
# The cross-node reduce and a quickstart round under each emulated
# interconnect (scripts/local_cluster.sh shape), one rank on each of two
# hosts, and the scenario cost model's network terms fitted to it. Root only.
#   benchmarks/network/run.sh [-o results/network] [-n 5] [-p "ib_hdr eth_10g eth_1g wan"]
# Writes into the output folder: measurements.csv (cross_reduce_bench's rows),
# quickstart.csv (each profile's communication share of a round), the table
# and plot (benchmarks/network/report.py) and commands.txt (what ran).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$repo/results/network repeats=5 profiles="ib_hdr eth_10g eth_1g wan"
while getopts "o:n:p:" opt; do
  case $opt in
    o) out=$OPTARG ;;
    n) repeats=$OPTARG ;;
    p) profiles=$OPTARG ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done
build=${FEDHPC_BUILD:-$repo/build}
cluster=$repo/scripts/local_cluster.sh
export OMP_NUM_THREADS=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$out"
work=$(mktemp -d "$out/.work.XXXXXX")
trap '"$cluster" down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
rm -f "$out/measurements.csv"
echo "profile,round,round_seconds,reduce_seconds,reduce_cross_seconds,broadcast_seconds,comm_share" >"$out/quickstart.csv"
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), fedhpc $(git -C "$repo" describe --always --dirty), $(uname -r)"
  echo "benchmarks/network/run.sh -o $out -n $repeats -p \"$profiles\""
} >"$out/commands.txt"

"$cluster" up 2
across=("$cluster" mpirun --host "node1:1,node2:1" -n 2 -x OMP_NUM_THREADS)
for profile in $profiles; do
  "$cluster" shape "$profile" | tee -a "$out/commands.txt"
  "${across[@]}" "$build/benchmarks/cross_reduce_bench" -p "$profile" -n "$repeats" -c "$out/measurements.csv"
  # A quickstart round: its communication's share (rank 0's reduce and broadcast).
  "${across[@]}" "$build/fedhpc" run "$repo/scenarios/quickstart.yaml" train.rounds=3 output.progress=false \
    output.overwrite=true "output.file=$work/quickstart_$profile.h5" >"$work/quickstart_$profile.log"
  /usr/bin/python3 - "$work/quickstart_$profile.h5" "$profile" >>"$out/quickstart.csv" <<'PY'
import sys, h5py
t = h5py.File(sys.argv[1], "r")["timings"][...]
for row in t[t["rank"] == 0]:
    comm = row["reduce_seconds"] + row["broadcast_seconds"]
    print(f"{sys.argv[2]},{row['round']},{row['round_seconds']:.6f},{row['reduce_seconds']:.6f},"
          f"{row['reduce_cross_seconds']:.6f},{row['broadcast_seconds']:.6f},{comm / row['round_seconds']:.6f}")
PY
done
"$cluster" down
/usr/bin/python3 "$repo/benchmarks/network/report.py" "$out"
