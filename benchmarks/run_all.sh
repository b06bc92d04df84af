#!/usr/bin/env bash
# Every benchmark of the results table in one go (not part of CI): each prints its
# figures as ratios to a baseline measured in the same run. The log goes to
# results/benchmarks/<UTC date>.log; results/BENCHMARKS.md records the table.
#   benchmarks/run_all.sh [REPEATS]     # from the repository root, after scripts/setup.sh
# Needs Debian's python3-torch and python3-mpi4py for the Python baseline
# (benchmarks/overhead/python_baseline.py) and /usr/bin/time (package time)
# for the memory figure; setup.sh does not install them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
repeats=${1:-7}
out=results/benchmarks
mkdir -p "$out"
log=$out/$(date -u +%Y%m%d-%H%M).log
{
  echo "# fedhpc benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git describe --always --dirty)"
  echo "# $(hostname), $(getconf _NPROCESSORS_ONLN) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "## a. local training (build/benchmarks/train_bench -n $repeats)"
  build/benchmarks/train_bench -n "$repeats"
  echo "## b. per-client overhead (benchmarks/overhead/overhead.py --repeats 5)"
  /usr/bin/python3 benchmarks/overhead/overhead.py --repeats 5 --out "$out"
  echo "## many small clients at once (build/benchmarks/group_bench -n $repeats; -F 60: FedProx's synthetic width)"
  build/benchmarks/group_bench -n "$repeats"
  build/benchmarks/group_bench -n "$repeats" -m logreg -F 60 | tail -n +3
  echo "## c. aggregation collective (mpirun -n 2 build/benchmarks/reduce_bench -n $repeats)"
  mpirun -n 2 build/benchmarks/reduce_bench -n "$repeats"
  echo "## c. cnn_mcmahan aggregation per round (mpirun -n 2 build/benchmarks/aggregation_bench -s fedavg -n 5)"
  mpirun -n 2 build/benchmarks/aggregation_bench -s fedavg -n 5
  echo "## d. memory at 1,000,000 clients (benchmarks/memory/peak_rss.sh 2)"
  benchmarks/memory/peak_rss.sh 2
  echo "## e. quickstart phases (mpirun -n 2 build/fedhpc run scenarios/quickstart.yaml; benchmarks/phase_share.py)"
  mpirun -n 2 build/fedhpc run scenarios/quickstart.yaml "output.file=$out/quickstart.h5" output.overwrite=true \
    output.progress=false
  /usr/bin/python3 benchmarks/phase_share.py "$out/quickstart.h5"
} 2>&1 | tee "$log"
echo "run_all: log in $log"
