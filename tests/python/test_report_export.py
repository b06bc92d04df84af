"""`fedhpc report --format json|csv` and `fedhpc export` on real results
files: the comparison names the keys that differ, its phase shares sum to
1, and every exported CSV holds the file's rows, with units in the header."""
import csv
import json
import os
import subprocess

import h5py
import numpy as np


def fedhpc(*args):
    out = subprocess.run([os.environ["FEDHPC_BIN"], *args], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_json_names_the_differing_keys(runs_dir):
    files = [os.path.join(runs_dir, f) for f in ("fedavg_s1.h5", "fedadam_s1.h5")]
    doc = json.loads(fedhpc("report", "--format", "json", *files))
    assert doc["differs"][0] == "strategy.name"
    assert [r["label"] for r in doc["runs"]] == ["fedavg", "fedadam"]
    assert [r["settings"]["strategy.name"] for r in doc["runs"]] == ["fedavg", "fedadam"]
    for r in doc["runs"]:
        assert abs(sum(r["phase_share"].values()) - 1.0) < 1e-12
        assert r["rounds"] == 8 and r["complete"] is True
        with h5py.File(r["file"], "r") as f:
            assert r["final_accuracy"] == f["rounds"]["test_accuracy"][-1]


def test_csv_parses_and_seeds_alone_differ_in_nothing(runs_dir):
    files = [os.path.join(runs_dir, f) for f in ("fedavg_s1.h5", "fedavg_s2.h5")]
    rows = list(csv.DictReader(fedhpc("report", "--format", "csv", *files).splitlines()))
    assert len(rows) == 2 and [r["label"] for r in rows] == ["fedavg_s1.h5", "fedavg_s2.h5"]
    assert "strategy.name" not in rows[0]  # the same in both
    shares = [float(rows[0][k]) for k in rows[0] if k.startswith("share_")]
    assert len(shares) == 8 and abs(sum(shares) - 1.0) < 1e-12


def test_text_columns_are_named_by_the_differing_values(runs_dir):
    text = fedhpc("report", *[os.path.join(runs_dir, f) for f in ("fedavg_s1.h5", "fedadam_s1.h5")])
    assert "differs:" in text and "share of the critical path" in text
    assert "run 1" not in text
    header = [line for line in text.splitlines() if line.strip().startswith("fedavg")][0]
    assert header.split() == ["fedavg", "fedadam"]


def test_export_writes_every_table_with_units(runs_dir, tmp_path):
    path = os.path.join(runs_dir, "fedavg_s1.h5")
    written = fedhpc("export", path, "--csv", str(tmp_path)).split()
    assert sorted(os.path.basename(w) for w in written) == [
        "checkpoints.csv", "clients.csv", "partition.csv", "rounds.csv", "timings.csv"]
    with h5py.File(path, "r") as f:
        for table in ("rounds", "clients", "timings", "checkpoints"):
            rows = list(csv.reader(open(tmp_path / f"{table}.csv")))
            names = f[table].dtype.names
            units = [u.decode() if isinstance(u, bytes) else u for u in f[table].attrs["units"]]
            assert rows[0] == [f"{n} [{u}]" for n, u in zip(names, units)]
            assert len(rows) - 1 == len(f[table])
            for i, name in enumerate(names):
                got = np.array([float(r[i]) for r in rows[1:]])
                assert np.array_equal(got, f[table][name].astype(float), equal_nan=True), (table, name)
        partition = list(csv.reader(open(tmp_path / "partition.csv")))
        assert [int(r[1]) for r in partition[1:]] == list(f["partition/num_samples"][...])


def test_export_reads_a_partition_without_adversary_column(runs_dir, tmp_path):
    path = str(tmp_path / "no_adversary.h5")
    with h5py.File(os.path.join(runs_dir, "fedavg_s1.h5"), "r") as src, h5py.File(path, "w") as dst:
        for key, value in src.attrs.items():
            dst.attrs[key] = value
        src.copy("rounds", dst)
        dst.create_dataset("partition/num_samples", data=np.array([5, 7, 9], dtype=np.int64))
    fedhpc("export", path, "--csv", str(tmp_path / "out"))
    rows = list(csv.reader(open(tmp_path / "out" / "partition.csv")))
    assert rows[1:] == [["0", "5", "0"], ["1", "7", "0"], ["2", "9", "0"]]


def test_export_of_an_unreadable_partition_exits_2_naming_it(runs_dir, tmp_path):
    path = str(tmp_path / "bad_partition.h5")
    with h5py.File(os.path.join(runs_dir, "fedavg_s1.h5"), "r") as src, h5py.File(path, "w") as dst:
        for key, value in src.attrs.items():
            dst.attrs[key] = value
        dst.create_dataset("partition/num_samples", data=np.array([b"five", b"seven"]))
    out = subprocess.run([os.environ["FEDHPC_BIN"], "export", path, "--csv", str(tmp_path / "out")],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert f"{path}: cannot read /partition/num_samples" in out.stderr
