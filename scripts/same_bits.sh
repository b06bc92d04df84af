#!/usr/bin/env bash
# Shows whether two fedhpc binaries give identical bits for some configurations:
# each scenario runs a few rounds with both, and check_results --same compares
# /model/final, every per-round metric and every client's outcome bit for bit.
# A study's runs made by an older binary count for today's code only where
# this says "same" for their configuration on the same machine.
#
#   scripts/same_bits.sh [-r ROUNDS] [-n RANKS] [-o OLD_TREE] OLD_BIN NEW_BIN SCENARIO ... [-- key=value ...]
#
# -r rounds per run (default 2), -n MPI ranks (default 1), -o a checkout of the
# old commit whose copy of each SCENARIO (same relative path) the old binary
# runs, for scenario files edited since (default: both run the same file). Prints one line per
# scenario (same / DIFFERENT, with both binaries' commits) and exits 1 if any
# differ. CHECK_RESULTS names the comparer (default build/tests/e2e/check_results).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=2 ranks=1 old_tree=.
while getopts "r:n:o:" opt; do
  case $opt in
    r) rounds=$OPTARG ;;
    n) ranks=$OPTARG ;;
    o) old_tree=$OPTARG ;;
    *) sed -n '2,15p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
(($# >= 3)) || { sed -n '2,15p' "$0"; exit 2; }
old=$1 new=$2
shift 2
scenarios=()
while (($#)) && [ "$1" != "--" ]; do scenarios+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
source scripts/env.sh
check=${CHECK_RESULTS:-build/tests/e2e/check_results}
read -ra flags <<< "${FEDHPC_MPIRUN_FLAGS:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The commit each binary was built from, as its results file records it.
commit() { /usr/bin/python3 -c "import h5py,sys; print(h5py.File(sys.argv[1],'r').attrs['git_sha'])" "$1"; }
status=0
for scenario in "${scenarios[@]}"; do
  for which in old new; do
    bin=$new file=$scenario
    if [ "$which" = old ]; then bin=$old file=$old_tree/$scenario; fi
    mpirun -n "$ranks" "${flags[@]}" "$bin" run "$file" train.rounds="$rounds" "$@" \
      output.file="$tmp/$which.h5" output.overwrite=true output.progress=false > "$tmp/$which.log" 2>&1 ||
      { cat "$tmp/$which.log"; exit 1; }
  done
  if "$check" --same "$tmp/old.h5" "$tmp/new.h5" > "$tmp/check.log" 2>&1; then verdict=same
  else verdict=DIFFERENT status=1; cat "$tmp/check.log"; fi
  where=""; [ "$old_tree" != . ] && where=" (old: $old_tree/$scenario)"
  echo "$verdict  $scenario$where $* ($rounds rounds, $ranks rank(s)): $(commit "$tmp/old.h5") vs $(commit "$tmp/new.h5")"
done
exit "$status"
