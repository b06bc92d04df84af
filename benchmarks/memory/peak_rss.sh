#!/usr/bin/env bash
# Peak resident memory per rank with 10^6 and 10^8 virtual clients
# (benchmarks/memory/million_clients.yaml, 2 rounds), against the same run with
# 1,000 clients measured in the same go (the baseline): the difference over
# the extra clients is what one virtual client costs. Needs /usr/bin/time
# (package time).
#   benchmarks/memory/peak_rss.sh [RANKS] [CLIENTS ...]     # default: 2 ranks; 1000 1000000 100000000
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
ranks=${1:-2}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 1000000 100000000)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
peak() {  # clients -> the largest peak RSS over the ranks, in KB
  # One file per rank: the ranks' lines on a shared stderr can interleave mid-line.
  mkdir -p "$out/rss$1"
  # shellcheck disable=SC2016  # $0 and $@ belong to the inner sh
  mpirun -n "$ranks" sh -c 'exec /usr/bin/time -f "%M" -o "$(mktemp -p "$0" rank.XXXXXX)" "$@"' "$out/rss$1" \
    build/fedhpc run benchmarks/memory/million_clients.yaml "data.num_clients=$1" train.rounds=2 \
    output.eval_every=2 "output.file=$out/m$1.h5" output.progress=false >"$out/log$1.txt" 2>&1
  cat "$out/rss$1"/rank.* | awk '{ if ($1 > m) m = $1 } END { print m }'
}
base=${sizes[0]}
base_kb=$(peak "$base")
printf "| clients | peak RSS per rank (max over %d ranks) | bytes per client over %s |\n|---|---|---|\n" "$ranks" "$base"
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
printf "| %s | %s MiB | - |\n" "$base" "$(mib "$base_kb")"
for n in "${sizes[@]:1}"; do
  kb=$(peak "$n")
  per=$(awk -v k="$kb" -v b="$base_kb" -v n="$n" -v m="$base" 'BEGIN { printf "%.1f", (k - b) * 1024 / (n - m) }')
  printf "| %s | %s MiB | %s |\n" "$n" "$(mib "$kb")" "$per"
  last=$n last_kb=$kb
done
grep -h "^FEDHPC_RESULT" "$out"/log*.txt
printf "FEDHPC_RESULT benchmark=memory clients=%s ranks=%s peak_rss_mib=%s (target < 2048) baseline_%s_mib=%s\n" \
  "${last:-$base}" "$ranks" "$(mib "${last_kb:-$base_kb}")" "$base" "$(mib "$base_kb")"
