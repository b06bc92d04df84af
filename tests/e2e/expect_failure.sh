#!/usr/bin/env bash
# Runs `fedhpc run` on a failing fixture under mpiexec and asserts the
# contract: exit code 2 for bad input (1 for a failure during the run), the
# expected message printed once (not once per rank), no hang (ctest's
# timeout), and for bad input no results file left behind.
#
# A fixture's header says what to expect:
#   # expect: <text that must appear; @FILE@ stands for the fixture's path>
#   # ranks: N            (default 2)
#   # exit: N             (default 2)
#   # args: k=v ...       (extra overrides, after output.file)
#   # scenario: PATH      (run this scenario instead of the fixture itself)
#   # requires: no-gpu    (skipped, exit 77, where a GPU is visible)
#   # env: K=V ...        (environment of the launch, e.g. SLURM_NTASKS=4)
# @FIXTURES@ in scenario, args and expect stands for tests/fixtures.
set -u
fedhpc=$1 fixture=$2 workdir=$3 mpiexec=$4
shift 4
mpiflags=("$@")

header() { sed -n "s/^# $1: //p" "$fixture" | head -n 1; }
expect=$(header expect)
ranks=$(header ranks); ranks=${ranks:-2}
want_rc=$(header exit); want_rc=${want_rc:-2}
args=$(header args)
envs=$(header env)
scenario=$(header scenario); scenario=${scenario:-$fixture}
fixtures=$(cd "$(dirname "$fixture")/.." && pwd)
scenario=${scenario//@FIXTURES@/$fixtures}
args=${args//@FIXTURES@/$fixtures}
if [ "$(header requires)" = "no-gpu" ] && command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
  echo "skipped: this fixture needs a machine without a GPU"; exit 77
fi
expect=${expect//@FILE@/$scenario}
expect=${expect//@FIXTURES@/$fixtures}
[ -n "$expect" ] || { echo "fixture $fixture has no '# expect:' line"; exit 1; }

name=$(basename "$fixture" .yaml)
out="$workdir/$name.h5"
mkdir -p "$workdir"
rm -f "$out"

# shellcheck disable=SC2086  # args is a list of overrides
# shellcheck disable=SC2086  # envs is a list of K=V
output=$(env $envs "$mpiexec" -n "$ranks" "${mpiflags[@]}" "$fedhpc" run "$scenario" "output.file=$out" $args 2>&1)
rc=$?
echo "$output"
echo "--- exit code $rc"

status=0
if [ "$rc" -ne "$want_rc" ]; then echo "FAIL: expected exit code $want_rc, got $rc"; status=1; fi
if ! grep -qF -- "$expect" <<<"$output"; then echo "FAIL: expected message not found: $expect"; status=1; fi
count=$(grep -cE "^fedhpc: (rank [0-9]+ \([^)]*\): )?error:" <<<"$output")
if [ "$count" -ne 1 ]; then echo "FAIL: the error was printed $count times, expected once"; status=1; fi
if grep -qiE "segmentation|core dumped|terminate called|signal" <<<"$output"; then echo "FAIL: crashed"; status=1; fi
if [ "$want_rc" -eq 2 ] && [ -e "$out" ]; then echo "FAIL: a results file was left behind: $out"; status=1; fi
exit $status
