"""replay_check.py on a real exported run: the binary that made it replays its first rounds to the same
text, and a changed committed value or a changed configuration is reported and fails the check."""
import json
import os
import subprocess
import sys

import pandas as pd

SCRIPTS = os.path.join(os.path.dirname(__file__), "..", "..", "scripts")


def exported(runs_dir, to):
    """fedavg_s1 (8 rounds, evaluated every 2nd) exported as a study commits it."""
    subprocess.run([sys.executable, os.path.join(SCRIPTS, "export_run.py"), os.path.join(runs_dir, "fedavg_s1.h5"),
                    "--to", str(to)], check=True)
    return to / "fedavg_s1.json", to / "fedavg_s1.csv"


def replay_check(json_path, rounds=4):
    env = dict(os.environ, FEDHPC_MPIRUN_FLAGS=os.environ.get("MPIEXEC_FLAGS", ""))
    return subprocess.run([sys.executable, os.path.join(SCRIPTS, "replay_check.py"), "--rounds", str(rounds),
                           "--bin", os.environ["FEDHPC_BIN"], str(json_path)],
                          capture_output=True, text=True, env=env)


def test_the_same_binary_replays_the_same_rows(runs_dir, tmp_path):
    json_path, _ = exported(runs_dir, tmp_path)
    # Three rounds: the replay's last one is evaluated (a run's last always is), the committed one not.
    done = replay_check(json_path, rounds=3)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("same ") and "(3 rounds, 2 rank(s)" in done.stdout


def test_a_changed_committed_value_is_reported(runs_dir, tmp_path):
    json_path, csv_path = exported(runs_dir, tmp_path)
    table = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    committed = table.loc[1, "test_loss"]  # round 2, an evaluated round
    table.loc[1, "test_loss"] = "0.123456789"
    table.to_csv(csv_path, index=False)
    done = replay_check(json_path)
    assert done.returncode == 1
    assert done.stdout.startswith("DIFFERENT ")
    assert f"round 2 test_loss: committed 0.123456789, replayed {committed}" in done.stdout


def test_a_changed_configuration_is_reported(runs_dir, tmp_path):
    json_path, _ = exported(runs_dir, tmp_path)
    meta = json.load(open(json_path))
    meta["config_yaml"] = meta["config_yaml"].replace("  lr: ", "  lr: 1", 1)
    json.dump(meta, open(json_path, "w"))
    done = replay_check(json_path, rounds=1)
    assert done.returncode == 1
    assert done.stdout.startswith("CONFIG ") and "train.lr differ" in done.stdout
