#!/usr/bin/env bash
# Every shell file of the repository (the Slurm templates, the site file,
# scripts, test drivers, CI) parses with bash -n and has no shellcheck warning:
# a broken template fails here, before a user's sbatch.
#   lint_shell.sh REPO
set -u
repo=${1:?repository root}
cd "$repo" || exit 1
mapfile -t files < <(find slurm scripts tests benchmarks packaging .ci \( -name '*.sh' -o -name '*.sbatch' -o -name '*.env' \) -type f | sort)
files+=(.ci/run)
status=0
for f in "${files[@]}"; do bash -n "$f" || { echo "FAIL: $f does not parse"; status=1; }; done
if command -v shellcheck >/dev/null; then
  shellcheck -x -S warning "${files[@]}" || status=1
else
  echo "FAIL: shellcheck is not installed (scripts/setup.sh installs it)"; status=1
fi
[ "$status" -eq 0 ] && echo "lint_shell: ${#files[@]} files parse, no shellcheck warnings"
exit "$status"
