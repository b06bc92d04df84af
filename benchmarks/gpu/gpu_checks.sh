#!/usr/bin/env bash
# The GPU checks in one command, on a machine with a CUDA GPU and a pip
# PyTorch built with CUDA:
#   1. the quickstart with runtime.device=cuda on 1 and 2 ranks against the
#      CPU run's final accuracy (must be within 1 point),
#   2. NIID-Bench's homogeneous FedAvg (50 rounds) on the GPU against the CPU,
#      seconds per round from the results files,
#   3. many small clients at once: build-cuda/benchmarks/group_bench -d cuda,
#      and the quickstart with its 10 clients per round trained as one group.
#
#   benchmarks/gpu/gpu_checks.sh [OUT]     # OUT defaults to results/gpu/<UTC date>
#
# Needs Fashion-MNIST under FEDHPC_DATA (default /usr/share/datasets/fashion-mnist)
# and builds into build-cuda/ with CMAKE_PREFIX_PATH from the Python torch.
# Skip the (long) CPU NIID-Bench baseline with CPU_NIID=0; its time is then
# only on record if an earlier run left OUT/niid_homo_cpu.h5.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=${1:-results/gpu/$(date -u +%Y%m%d-%H%M)}
data=${FEDHPC_DATA:-/usr/share/datasets/fashion-mnist}
mkdir -p "$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_WAIT_POLICY=PASSIVE
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
cmake -S . -B build-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >"$out/cmake.log"
cmake --build build-cuda >>"$out/cmake.log"
nvidia-smi -L >"$out/gpus.txt" 2>&1 || true
run() {  # run RANKS SCENARIO FILE [overrides...]
  local ranks=$1 scenario=$2 file=$3
  shift 3
  mpirun -n "$ranks" --oversubscribe build-cuda/fedhpc run "$scenario" data.path="$data" output.file="$file" \
    output.overwrite=true output.progress=false "$@" | grep FEDHPC_RESULT
}
{
  echo "# GPU checks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git describe --always --dirty), $(head -1 "$out/gpus.txt")"
  echo "## 1. quickstart: CPU 2 ranks, CUDA 1 and 2 ranks"
  run 2 scenarios/quickstart.yaml "$out/quickstart_cpu_np2.h5" runtime.device=cpu
  run 1 scenarios/quickstart.yaml "$out/quickstart_cuda_np1.h5" runtime.device=cuda
  run 2 scenarios/quickstart.yaml "$out/quickstart_cuda_np2.h5" runtime.device=cuda
  echo "## 2. NIID-Bench homogeneous FedAvg: CUDA (and CPU unless CPU_NIID=0)"
  run 2 scenarios/niid_bench/homo_fedavg.yaml "$out/niid_homo_cuda.h5" runtime.device=cuda
  if [ "${CPU_NIID:-1}" != 0 ]; then
    run 2 scenarios/niid_bench/homo_fedavg.yaml "$out/niid_homo_cpu.h5" runtime.device=cpu runtime.threads=4
  fi
  echo "## 3. many small clients on one GPU (group_bench -d cuda)"
  build-cuda/benchmarks/group_bench -d cuda -m logreg,mlp_2nn,cnn_simple,cnn_mcmahan -K 8,32,128 -C 256
  build-cuda/benchmarks/group_bench -d cuda -m logreg -F 60 -K 8,32,128 -C 256 | tail -n +3
  echo "## 3. the quickstart's 10 clients per round as one group on the GPU"
  run 1 scenarios/quickstart.yaml "$out/quickstart_cuda_np1_k10.h5" runtime.device=cuda runtime.client_batch=10
} 2>&1 | tee "$out/checks.log"
# The verdicts, from the FEDHPC_RESULT lines alone (no Python packages needed).
awk '
  # One field of the closing JSON object: "key": value (a number, or a string without quotes inside).
  function field(line, key,    m) {
    if (!match(line, "\"" key "\": (\"[^\"]*\"|[^,}]*)")) return ""
    m = substr(line, RSTART + length(key) + 4, RLENGTH - length(key) - 4)
    gsub(/"/, "", m)
    return m
  }
  /^FEDHPC_RESULT \{"name"/ {
    n = split(field($0, "file"), parts, "/"); key = parts[n]; sub(/\.h5$/, "", key)
    acc[key] = field($0, "final_accuracy"); secs[key] = field($0, "wall_seconds"); rounds[key] = field($0, "rounds")
  }
  END {
    print "## verdicts"
    for (k in acc) printf "%-22s accuracy %.4f  %8.1f s  %6.3f s/round\n", k, acc[k], secs[k], secs[k] / rounds[k]
    for (r = 1; r <= 2; ++r) {
      k = "quickstart_cuda_np" r
      if (!(k in acc) || !("quickstart_cpu_np2" in acc)) { print k ": MISSING"; continue }
      d = acc[k] - acc["quickstart_cpu_np2"]; if (d < 0) d = -d
      printf "%s within 1 point of the CPU: %s (|difference| %.4f)\n", k, d <= 0.01 ? "yes" : "NO", d
    }
    if (("niid_homo_cuda" in secs) && ("niid_homo_cpu" in secs))
      printf "NIID-Bench homogeneous FedAvg, CPU / CUDA wall time: %.2fx\n", secs["niid_homo_cpu"] / secs["niid_homo_cuda"]
  }' "$out/checks.log" | tee -a "$out/checks.log"
