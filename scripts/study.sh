# shellcheck shell=bash
# Sourced by the study scripts (niid_bench.sh, fedprox_synthetic.sh): the
# run environment and the shared helpers.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# Succeeds if the results file exists and its run finished (root attribute
# complete = 1), so a study can be re-run to fill in only what is missing.
results_complete() {
  [ -f "$1" ] && HDF5_USE_FILE_LOCKING=FALSE /usr/bin/python3 -c \
    "import h5py,sys; sys.exit(0 if h5py.File(sys.argv[1],'r').attrs.get('complete',0)==1 else 1)" "$1"
}
