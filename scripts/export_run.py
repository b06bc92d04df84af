#!/usr/bin/python3
"""Export a finished run's per-round table and provenance next to the study's results.

For each results file writes, into the --to folder:
  <name>_s<seed>.csv   round, test accuracy and loss, the clients' training loss and the global model's
                       (NaN unless output.eval_train), clients kept, simulated and wall time: everything
                       the study's tables and plots are computed from (scripts/reproduce.py)
  <name>_s<seed>.json  how the run was made: command, commit, binary, machine, BLAS, ranks, start and
                       end, resumes, and the SHA-256 of /model/final so bit-identity can be checked

These files are small (a few KB: counts as integers, seconds to 6 and other values to 9 significant digits)
and committed; the results files themselves are not. Exporting a run again keeps the command recorded
the first time.

  /usr/bin/python3 scripts/export_run.py results/niid_bench/h5/*.h5 --to results/niid_bench/runs
"""
import argparse
import csv
import hashlib
import json
import os
import platform
import socket
import sys

import h5py
import numpy as np

# Columns of /rounds that are exported, in this order.
COLUMNS = ["round", "test_accuracy", "test_loss", "train_loss", "global_train_loss", "clients_completed", "clients_partial",
           "clients_dropped", "sim_round_seconds", "sim_elapsed_seconds", "wall_seconds", "elapsed_seconds"]
# Exported too where the file has them (schema 5 on): what the adversaries did.
ADVERSARY_COLUMNS = ["adversaries_sampled", "adversaries_aggregated", "backdoor_accuracy"]
# And from schema 6 on: DP's guarantee and clip norm, secure aggregation's traffic and simulated time,
# with the cohort's size (Poisson sampling varies it).
PRIVACY_COLUMNS = ["epsilon", "clip_norm", "secagg_bytes", "secagg_seconds"]
# Provenance attributes of the results file's root that go into the JSON as they are.
ATTRS = ["name", "seed", "scenario_file", "cli_overrides", "git_sha", "git_dirty", "fedhpc_version",
         "torch_version", "mpi_version", "n_ranks", "n_trainers", "hosts", "device", "strategy",
         "start_utc", "end_utc", "resumes", "complete", "attack", "privacy", "secure_aggregation", "sampling"]


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").rstrip("\0")
    if isinstance(value, np.generic):
        return value.item()
    return value


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def cell(value, column):
    """Counts as integers; seconds to 6 significant digits, everything else to 9 (beyond the float32 the
    metrics are computed in for losses, exact for accuracies of up to 10^9 samples)."""
    if column in ("round", "adversaries_sampled", "secagg_bytes") or column.startswith("clients_"):
        return str(int(value))
    if np.isnan(value):
        return "nan"
    return f"{float(value):.6g}" if column.endswith("seconds") else f"{float(value):.9g}"


def export(path, to, command, stopped=""):
    with h5py.File(path, "r", swmr=bool(stopped)) as f:
        attrs = {k: text(f.attrs[k]) for k in ATTRS if k in f.attrs}
        if attrs.get("complete") != 1 and not stopped:
            raise SystemExit(f"export_run: {path}: the run is not complete (attribute complete != 1)")
        rounds = f["rounds"][...]
        # A run that stopped has no final model: the exported rows are all it has.
        model = np.ascontiguousarray(f["model/final"][...]) if not stopped else np.zeros(0, np.float32)
        config = text(f.attrs["config_yaml"])
    stem = f"{attrs['name']}_s{attrs['seed']}"
    os.makedirs(to, exist_ok=True)
    present = rounds.dtype.names or ()
    columns = COLUMNS + [c for c in ADVERSARY_COLUMNS if c in present]
    if all(c in present for c in PRIVACY_COLUMNS):
        columns += ["clients_selected"] + PRIVACY_COLUMNS
    with open(os.path.join(to, stem + ".csv"), "w", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(columns)
        for row in rounds:
            w.writerow([cell(row[c], c) for c in columns])
    meta = dict(attrs)
    json_path = os.path.join(to, stem + ".json")
    if not command and os.path.exists(json_path):  # a re-export keeps the command that made the run
        with open(json_path) as f:
            command = json.load(f).get("command", "")
    meta["command"] = command or ("mpirun -n {} build/fedhpc run {} {}".format(
        attrs.get("n_ranks"), attrs.get("scenario_file"), attrs.get("cli_overrides", "")).strip())
    if stopped:
        meta["stopped"] = stopped
    else:
        meta["model_final_sha256"] = hashlib.sha256(model.tobytes()).hexdigest()
    meta["exported_on"] = {"host": socket.gethostname(), "cpu": cpu_model(), "cores": os.cpu_count()}
    meta["config_yaml"] = config
    with open(json_path, "w") as out:
        json.dump(meta, out, indent=1, sort_keys=True)
        out.write("\n")
    print(f"export_run: {path} -> {os.path.join(to, stem)}.{{csv,json}}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--to", required=True, help="folder of the study's per-run CSV and JSON files")
    ap.add_argument("--command", default="", help="the command that made the run (default: rebuilt "
                    "from the file's scenario_file and cli_overrides)")
    ap.add_argument("--stopped", default="", metavar="WHY",
                    help="export a run that cannot finish (it diverged: say so here) with the rounds it has; "
                         "the JSON records WHY under 'stopped'")
    args = ap.parse_args()
    for path in args.files:
        export(path, args.to, args.command, args.stopped)
    return 0


if __name__ == "__main__":
    sys.exit(main())
