#!/usr/bin/env bash
# Peak resident memory per rank with 1,000,000 virtual clients
# (benchmarks/memory/million_clients.yaml), against the same run with 1,000
# clients measured in the same go (the baseline): the difference over 999,000
# clients is what one virtual client costs. Needs /usr/bin/time (package time).
#   benchmarks/memory/peak_rss.sh [RANKS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
ranks=${1:-2}
out=$(mktemp -d)
peak() {  # clients -> the largest peak RSS over the ranks, in KB
  mpirun -n "$ranks" /usr/bin/time -f "PEAK_RSS_KB %M" build/fedhpc run benchmarks/memory/million_clients.yaml \
    "data.num_clients=$1" "output.file=$out/m$1.h5" output.progress=false 2>&1 |
    tee "$out/log$1.txt" | awk '/^PEAK_RSS_KB/ { if ($2 > m) m = $2 } END { print m }'
}
small=$(peak 1000)
large=$(peak 1000000)
grep -h "^FEDHPC_RESULT" "$out"/log*.txt
awk -v s="$small" -v l="$large" -v r="$ranks" 'BEGIN {
  printf "| clients | peak RSS per rank (max over %d ranks) |\n|---|---|\n", r
  printf "| 1,000 | %.1f MiB |\n| 1,000,000 | %.1f MiB |\n", s / 1024, l / 1024
  printf "per virtual client: %.1f bytes; ratio 1M / 1k: %.3f\n", (l - s) * 1024 / 999000, l / s
  printf "FEDHPC_RESULT benchmark=memory clients=1000000 peak_rss_mib=%.1f (target < 2048) baseline_1000_mib=%.1f\n", l / 1024, s / 1024
}'
rm -rf "$out"
