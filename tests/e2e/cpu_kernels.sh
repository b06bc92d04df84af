#!/usr/bin/env bash
# Pinning the CPU kernel families: with OPENBLAS_CORETYPE=Prescott (SSE3
# kernels, which every x86-64 CPU runs) and runtime.blas_kernel=Prescott,
# runtime.aten_kernels=default, the run uses exactly those (the results
# file's `device` says so) and repeats its bits; a run left to the CPU's own
# choice says which families it got and, where they differ from the pinned
# ones, gives other bits (the kernels are what decides them).
#   cpu_kernels.sh FEDHPC CHECK_RESULTS WORKDIR MPIEXEC [MPIEXEC FLAGS...] -- RUN ARGS...
set -u
fedhpc=$1 check=$2 workdir=$3 mpiexec=$4
shift 4
mpiflags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do mpiflags+=("$1"); shift; done
shift
args=("$@")
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir" || exit 1
run() { "$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "${args[@]}" "$@" >>runs.log 2>&1; }
kernels() { /usr/bin/python3 -c "import h5py, sys; d = h5py.File(sys.argv[1], 'r').attrs['device']
print(d[d.index('CPU kernels: '):].split(';')[0].strip())" "$1"; }

pinned=(runtime.blas_kernel=Prescott runtime.aten_kernels=default)
OPENBLAS_CORETYPE=Prescott run "${pinned[@]}" output.file=pinned1.h5 || { cat runs.log; fail "the pinned run failed"; }
OPENBLAS_CORETYPE=Prescott run "${pinned[@]}" output.file=pinned2.h5 || { cat runs.log; fail "the second pinned run failed"; }
echo "pinned: $(kernels pinned1.h5)"
[ "$(kernels pinned1.h5)" = "CPU kernels: OpenBLAS Prescott, LibTorch default" ] || fail "the pinned families are not in use"
"$check" --same pinned1.h5 pinned2.h5 || fail "two pinned runs differ"

# Pinned in the scenario but not in the environment: refused, naming what to export.
env -u OPENBLAS_CORETYPE "$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "${args[@]}" "${pinned[@]}" \
  output.file=unexported.h5 >unexported.log 2>&1
rc=$?
[ "$rc" -eq 2 ] || { cat unexported.log; fail "blas_kernel without OPENBLAS_CORETYPE: expected exit 2, got $rc"; }
if [ "$(env -u OPENBLAS_CORETYPE /usr/bin/python3 -c 'import ctypes
l = ctypes.CDLL("libblas.so.3"); l.openblas_get_corename.restype = ctypes.c_char_p
print(l.openblas_get_corename().decode())')" != Prescott ]; then
  grep -q "export OPENBLAS_CORETYPE=Prescott for every rank" unexported.log || { cat unexported.log; fail "no advice"; }
fi
[ ! -e unexported.h5 ] || fail "a refused run left a results file"

env -u OPENBLAS_CORETYPE "$mpiexec" -n 2 "${mpiflags[@]}" "$fedhpc" run "${args[@]}" output.file=own.h5 >>runs.log 2>&1 ||
  { cat runs.log; fail "the unpinned run failed"; }
echo "the CPU's own choice: $(kernels own.h5)"
if [ "$(kernels own.h5)" != "$(kernels pinned1.h5)" ]; then
  if "$check" --same pinned1.h5 own.h5 >/dev/null; then
    fail "other kernel families gave the same bits: pinning them would not matter"
  fi
  echo "other kernel families, other bits, as expected"
fi
