#!/usr/bin/python3
"""Replay the first rounds of committed runs with a binary and compare them with the committed rows.

A study's run counts for today's code only where today's binary gives the same results for its
configuration. `scripts/same_bits.sh` shows that when both binaries are at hand; on a fresh machine the
old one is gone, and this checks the committed record instead. For each run's JSON (written by
export_run.py) it runs the first R rounds again, from the recorded scenario file, seed and overrides,
with BIN on the recorded number of ranks, and compares:

  - the configuration: every key that both the recorded and the replayed configuration hold must have
    the same value (aside from train.rounds and where and how often the results file is written).
    Keys only one side holds are listed: a key today's loader leaves out because it cannot apply, or
    a key added since at its default;
  - rounds 1..R of every exported column but the wall-clock ones (wall_seconds, elapsed_seconds),
    as exported text: 9 significant digits (exact for the float32 accuracies and losses), seconds to 6.

Prints one line per run (same / DIFFERENT / CONFIG / FAILED) and exits 1 if any is not `same`. Float
results depend on the BLAS kernels a CPU gets, so a run made on another kind of CPU can differ with no
change in the code: the JSON's `device` and `exported_on` say where a run was made.

  /usr/bin/python3 scripts/replay_check.py [--rounds 2] [--ranks N] [--bin build/fedhpc] RUN.json ...

MPIEXEC names the launcher (default mpirun), FEDHPC_MPIRUN_FLAGS adds flags; the run environment is
scripts/env.sh's.
"""
import argparse
import csv
import json
import os
import shlex
import subprocess
import sys
import tempfile

import h5py
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export_run import cell  # noqa: E402  the exported text of one value, as the committed CSVs hold it
from fedhpc_analysis.load import flatten  # noqa: E402

WALL_COLUMNS = {"wall_seconds", "elapsed_seconds"}
# Evaluated only every output.eval_every rounds, and always in a run's last round: the replay's last
# round has them where the committed run, not over yet, may not.
EVAL_COLUMNS = {"test_accuracy", "test_loss", "global_train_loss", "backdoor_accuracy"}


# Keys a replay sets itself (where it writes, how long it runs), so they are neither kept nor compared;
# the other output keys (eval_every, eval_train) decide which metrics a round has and are kept.
REPLAY_KEYS = {"train.rounds", "output.file", "output.overwrite", "output.progress", "output.checkpoint_every"}


def replay_independent(key):
    return key in REPLAY_KEYS


def config_differences(recorded_yaml, replayed_yaml):
    """(keys whose values differ, keys only the recorded config has, keys only the replay has)."""
    old = {k: v for k, v in flatten(yaml.safe_load(recorded_yaml) or {}).items() if not replay_independent(k)}
    new = {k: v for k, v in flatten(yaml.safe_load(replayed_yaml) or {}).items() if not replay_independent(k)}
    differ = sorted(k for k in old.keys() & new.keys() if old[k] != new[k])
    return differ, sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())


def replay_overrides(cli_overrides, rounds, out):
    """The recorded overrides but the replay's own keys, then those."""
    kept = [o for o in shlex.split(cli_overrides or "") if not replay_independent(o.split("=", 1)[0])]
    return kept + [f"train.rounds={rounds}", f"output.file={out}", "output.progress=false",
                   "output.overwrite=true"]


def comparable(column, committed_text, last_replayed):
    """Wall time never is; an evaluation column is not in the replay's last round if the committed run
    did not evaluate that round."""
    if column in WALL_COLUMNS:
        return False
    return not (last_replayed and committed_text == "nan" and column in EVAL_COLUMNS)


def row_differences(committed_csv, rounds_table, rounds):
    """[(round, column, committed text, replayed text)] over the first `rounds` committed rows."""
    with open(committed_csv, newline="") as f:
        committed = list(csv.DictReader(f))[:rounds]
    present = set(rounds_table.dtype.names)
    differ = []
    for i, row in enumerate(committed):
        if i >= len(rounds_table):
            differ.append((row["round"], "round", row["round"], "missing"))
            continue
        for column, text in row.items():
            if not comparable(column, text, last_replayed=i == len(rounds_table) - 1):
                continue
            replayed = cell(rounds_table[i][column], column) if column in present else "missing"
            if replayed != text:
                differ.append((row["round"], column, text, replayed))
    return differ


def replay(meta, binary, ranks, rounds, out):
    """Runs the recorded configuration's first rounds into `out`; returns (config_yaml, /rounds)."""
    launcher = [os.environ.get("MPIEXEC", "mpirun"), "-n", str(ranks),
                *shlex.split(os.environ.get("FEDHPC_MPIRUN_FLAGS", ""))]
    cmd = [*launcher, binary, "run", meta["scenario_file"],
           *replay_overrides(meta.get("cli_overrides", ""), rounds, out)]
    env_sh = os.path.join(HERE, "env.sh")
    subprocess.run(["bash", "-c", 'source "$0"; exec "$@"', env_sh, *cmd], check=True,
                   stdout=subprocess.DEVNULL)
    with h5py.File(out, "r") as f:
        config = f.attrs["config_yaml"]
        return (config.decode() if isinstance(config, bytes) else config), f["rounds"][...]


def check(json_path, binary, ranks, rounds, work):
    """One line of verdict for one committed run; True if same."""
    with open(json_path) as f:
        meta = json.load(f)
    n = ranks or int(meta.get("n_ranks", 1))
    label = f"{json_path} ({rounds} rounds, {n} rank(s), recorded commit {meta.get('git_sha', '?')})"
    try:
        config, table = replay(meta, binary, n, rounds, os.path.join(work, "replay.h5"))
    except subprocess.CalledProcessError as e:
        print(f"FAILED     {label}: the replay exited {e.returncode} (its message is above)")
        return False
    differ, only_old, only_new = config_differences(meta["config_yaml"], config)
    if differ:
        print(f"CONFIG     {label}: {', '.join(differ)} differ")
        return False
    rows = row_differences(json_path[:-len(".json")] + ".csv", table, rounds)
    verdict = "same" if not rows else "DIFFERENT"
    print(f"{verdict:<10} {label}")
    for r, column, old, new in rows[:5]:
        print(f"    round {r} {column}: committed {old}, replayed {new}")
    if only_old or only_new:
        print(f"    keys only recorded: {' '.join(only_old) or '-'}; only replayed: {' '.join(only_new) or '-'}")
    return not rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", metavar="RUN.json")
    ap.add_argument("--rounds", type=int, default=2, help="rounds to replay (default 2)")
    ap.add_argument("--ranks", type=int, default=0, help="MPI ranks (default: the run's own)")
    ap.add_argument("--bin", default="build/fedhpc", help="the binary to check (default build/fedhpc)")
    args = ap.parse_args()
    if args.rounds < 1:
        ap.error("--rounds: expected at least 1")
    runs = [os.path.abspath(r) for r in args.runs]
    binary = os.path.abspath(args.bin) if os.sep in args.bin else args.bin
    os.chdir(os.path.dirname(HERE))  # the recorded scenario files are relative to the repository root
    all_same = True
    with tempfile.TemporaryDirectory() as work:
        for path in runs:
            all_same &= check(path, binary, args.ranks, args.rounds, work)
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
