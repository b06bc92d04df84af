#!/usr/bin/env bash
# `cmake --install` into a fresh prefix, by a user without root when there is
# one to be (nobody), then the installed fedhpc runs the installed quickstart
# scenario (1 round) from another folder, the installed analysis package
# reads the file, and the installed npz converter makes a data file.
#   install.sh BUILD_DIR WORKDIR MPIEXEC
set -u
build=$1 work=$2 mpiexec=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work/prefix" "$work/elsewhere" || exit 1
as_user=()
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
  chmod 777 "$work/prefix"
  # cmake --install records what it installed in the build folder (root's here).
  touch "$build/install_manifest.txt" && chmod 666 "$build/install_manifest.txt"
  as_user=(su -s /bin/sh nobody -c)
  "${as_user[@]}" "cmake --install '$build' --prefix '$work/prefix'" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "cmake --install as nobody failed"; }
else
  cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "cmake --install failed"; }
fi
prefix=$work/prefix
[ -x "$prefix/bin/fedhpc" ] || fail "no bin/fedhpc in the prefix"
[ -f "$prefix/share/fedhpc/scenarios/quickstart.yaml" ] || fail "no quickstart scenario in the prefix"
cd "$work/elsewhere" || exit 1
"$mpiexec" -n 2 "$prefix/bin/fedhpc" run "$prefix/share/fedhpc/scenarios/quickstart.yaml" train.rounds=1 \
  train.local_epochs=1 output.progress=false output.file=installed.h5 >run.log 2>&1 ||
  { cat run.log; fail "the installed fedhpc did not run the installed quickstart"; }
/usr/bin/python3 - "$prefix/share/fedhpc/scripts" installed.h5 <<'PY' || fail "the installed analysis package"
import sys
sys.path.insert(0, sys.argv[1])
from fedhpc_analysis import load_run
run = load_run(sys.argv[2])
print(f"installed run: {run.name}, {len(run.rounds)} round(s), complete {run.complete}")
sys.exit(0 if run.complete and len(run.rounds) == 1 else 1)
PY
# The installed converter turns a user's .npz into the data format fedhpc reads.
/usr/bin/python3 - <<'PY' || fail "could not write the test .npz"
import numpy as np
rng = np.random.default_rng(0)
np.savez("mine.npz", x_train=rng.integers(0, 256, (30, 4, 4), dtype=np.uint8), y_train=np.arange(30) % 3,
         x_test=rng.integers(0, 256, (9, 4, 4), dtype=np.uint8), y_test=np.arange(9) % 3)
PY
"$prefix/share/fedhpc/scripts/convert/npz_to_hdf5.py" mine.npz mine.h5 >convert.log 2>&1 ||
  { cat convert.log; fail "the installed npz_to_hdf5.py failed"; }
/usr/bin/python3 -c 'import h5py, sys; f = h5py.File("mine.h5", "r"); sys.exit(0 if f["train/x"].shape == (30, 4, 4) and f.attrs["num_classes"] == 3 else 1)' ||
  fail "the converted file does not hold the .npz's 30 training samples of 3 classes"
echo "install: ${as_user[*]:+as nobody, }fedhpc, the quickstart and the converter ran from $prefix"
