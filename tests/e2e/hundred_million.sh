#!/usr/bin/env bash
# 10^8 virtual clients (synthetic devices generated on demand) in one 2-rank
# job, 2 rounds: it finishes, every rank peaks under 2 GiB, and /partition
# records how to re-derive the population instead of 10^8 rows.
#   hundred_million.sh FEDHPC CHECK_RESULTS WORKDIR MPIEXEC SCENARIO
set -u
fedhpc=$1 check=$2 work=$3 mpiexec=$4 scenario=$5
fail() { echo "FAIL: $*"; exit 1; }
[ -x /usr/bin/time ] || { echo "skipped: needs /usr/bin/time (package time; scripts/setup.sh installs it)"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
# Each rank's peak goes to a file of its own: written to the shared stderr,
# the two ranks' lines can interleave mid-line.
# shellcheck disable=SC2016  # $0 and $@ belong to the inner sh
"$mpiexec" -n 2 sh -c 'exec /usr/bin/time -f "%M" -o "$(mktemp -p "$0" rss.XXXXXX)" "$@"' "$work" \
  "$fedhpc" run "$scenario" data.num_clients=100000000 train.rounds=2 output.eval_every=2 \
  output.progress=false "output.file=$work/m.h5" >"$work/log.txt" 2>&1 ||
  { cat "$work/log.txt"; fail "the run failed"; }
"$check" "$work/m.h5" --rounds 2 || fail "the results file"
[ "$(find "$work" -name 'rss.*' | wc -l)" -eq 2 ] || fail "expected one peak-memory file per rank"
peak=$(cat "$work"/rss.* | awk '{ if ($1 > m) m = $1 } END { print m + 0 }')
echo "peak RSS per rank: $((peak / 1024)) MiB"
[ "$peak" -gt 0 ] && [ "$peak" -lt $((2 * 1024 * 1024)) ] || fail "a rank peaked at $peak KB (limit 2 GiB)"
/usr/bin/python3 - "$work/m.h5" <<'PY' || fail "/partition does not describe the population by how to re-derive it"
import sys, h5py
p = h5py.File(sys.argv[1], "r")["partition"]
rows = str(p.attrs["rows"])
print(f"/partition rows: {rows[:80]}...; datasets: {list(p)}")
sys.exit(0 if rows.startswith("data.synthetic.on_demand with 100000000 clients") and list(p) == [] else 1)
PY
