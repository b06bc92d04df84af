#!/usr/bin/env bash
# `fedhpc run --resume` on a damaged results file that crashes libhdf5 1.10
# when read (a corrupt global heap: a segmentation fault inside H5HG_read)
# exits 2 naming the file, prints the error once, leaves the file as it was
# and leaves no writer lock behind.
# usage: resume_damaged.sh FEDHPC DAMAGED.h5 WORKDIR MPIEXEC [MPIEXEC_FLAGS...] -- SCENARIO [KEY=VALUE...]
set -u
fedhpc=$1 damaged=$2 workdir=$3 mpiexec=$4
shift 4
mpiflags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do mpiflags+=("$1"); shift; done
shift
mkdir -p "$workdir"
file="$workdir/damaged.h5"
cp "$damaged" "$file"

output=$("$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "$@" --resume "$file" 2>&1)
rc=$?
echo "$output"
echo "--- exit code $rc"

status=0
[ "$rc" -eq 2 ] || { echo "FAIL: expected exit code 2, got $rc"; status=1; }
want="fedhpc: error: --resume: $file: reading it crashed the library that reads it (signal 11"
grep -qF -- "$want" <<<"$output" || { echo "FAIL: expected message not found: $want"; status=1; }
count=$(grep -cE "^fedhpc: (rank [0-9]+ \([^)]*\): )?error:" <<<"$output")
[ "$count" -eq 1 ] || { echo "FAIL: the error was printed $count times, expected once"; status=1; }
if grep -qE "Process received signal|core dumped|terminate called" <<<"$output"; then echo "FAIL: a rank crashed"; status=1; fi
cmp -s "$damaged" "$file" || { echo "FAIL: the damaged file was changed"; status=1; }
[ ! -e "$file.writer" ] || { echo "FAIL: a writer lock was left behind"; status=1; }
exit $status
