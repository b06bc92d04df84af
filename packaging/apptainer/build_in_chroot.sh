#!/usr/bin/env bash
# Runs fedhpc.def's %files, %post and %test in a Debian 12 chroot, for machines
# without Apptainer: how the definition is checked where no apptainer binary
# exists. It follows Apptainer's order (copy the files, run %post, then %test
# with %environment sourced) and its {{ argument }} substitution; the root
# file system comes from debootstrap instead of the debian:12 image. Needs root.
#
#   debootstrap --variant=minbase bookworm ROOTFS http://deb.debian.org/debian
#   packaging/apptainer/build_in_chroot.sh ROOTFS [commit=SHA]
#
# Run it from the repository root (where %files' sources are, as for apptainer build).
set -euo pipefail
def=${DEF:-packaging/apptainer/fedhpc.def}
rootfs=${1:?usage: build_in_chroot.sh ROOTFS [name=value ...]}
shift
[ "$(id -u)" -eq 0 ] || { echo "build_in_chroot: needs root (chroot, mount)" >&2; exit 2; }
[ -x "$rootfs/bin/sh" ] || { echo "build_in_chroot: $rootfs is not a root file system (no /bin/sh)" >&2; exit 2; }

section() {  # the body of %NAME in the definition, up to the next section or EOF
  awk -v want="%$1" '/^%[a-z]+/ { on = ($1 == want); next } on && !/^[[:space:]]*#/' "$def"
}

# {{ name }} placeholders: %arguments gives the defaults, name=value arguments override.
declare -A value
while IFS='=' read -r k v; do
  k=$(echo "$k" | tr -d '[:space:]'); [ -n "$k" ] && value[$k]=$v
done < <(section arguments)
for kv in "$@"; do value[${kv%%=*}]=${kv#*=}; done
substitute() {
  local text=$1 k
  for k in "${!value[@]}"; do text=${text//"{{ $k }}"/${value[$k]}}; done
  if [[ $text =~ \{\{\ *([A-Za-z_]+)\ *\}\} ]]; then
    echo "build_in_chroot: $def uses {{ ${BASH_REMATCH[1]} }}, which has no value" >&2; exit 2
  fi
  printf '%s\n' "$text"
}

mounted=()
cleanup() { local m; for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null || true; done; }
trap cleanup EXIT
for m in proc dev sys; do
  mkdir -p "$rootfs/$m"; mount --bind "/$m" "$rootfs/$m"; mounted=("$rootfs/$m" "${mounted[@]}")
done
cp -L /etc/resolv.conf "$rootfs/etc/resolv.conf"

while read -r src dst; do
  [ -z "$src" ] && continue
  [ -e "$src" ] || { echo "build_in_chroot: %files source $src does not exist" >&2; exit 2; }
  mkdir -p "$rootfs$(dirname "$dst")"
  rm -rf "${rootfs:?}$dst"
  cp -a "$src" "$rootfs$dst"
done < <(section files)

# A clean environment, as Apptainer gives its sections. A build host behind a
# TLS-intercepting proxy names its extra CA in NODE_EXTRA_CA_CERTS: npm in the
# chroot gets a copy (the image itself is not changed by it).
env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8)
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  cp "$NODE_EXTRA_CA_CERTS" "$rootfs/tmp/build-host-ca.crt"
  env+=(NODE_EXTRA_CA_CERTS=/tmp/build-host-ca.crt)
fi
run_section() {  # NAME SCRIPT
  echo "build_in_chroot: %$1"
  chroot "$rootfs" /usr/bin/env -i "${env[@]}" /bin/sh -e -c "$2" ||
    { echo "build_in_chroot: %$1 failed (exit $?)" >&2; exit 1; }
}
run_section post "$(substitute "$(section post)")"
run_section test "$(substitute "$(section environment)")
$(substitute "$(section test)")"
echo "build_in_chroot: %post and %test passed in $rootfs"
