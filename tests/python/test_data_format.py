"""fedhpc's HDF5 data format end to end: a file written here with three natural clients of known
sizes, the same data as a LEAF folder converted by scripts/convert/leaf_to_hdf5.py, both trained by
the real binary on 2 MPI ranks and read back; the converters' refusals of inconsistent input."""
import json
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

from conftest import _env

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CONVERT = os.path.join(ROOT, "scripts", "convert")
TRAIN_SIZES, TEST_SIZES = [150, 90, 60], [30, 20, 10]


def make_samples(sizes, rng):
    """x (float32, 784 features), y (3 classes, learnable from the first feature), owners."""
    owners = np.repeat(np.arange(len(sizes)), sizes)
    y = rng.integers(0, 3, owners.size)
    x = rng.random((owners.size, 784)).astype(np.float32) * 0.1
    x[:, 0] += y.astype(np.float32)
    return x, y.astype(np.int64), owners


def write_leaf(folder, x, y, owners, files):
    """LEAF's layout: each file lists some users with their samples."""
    os.makedirs(folder, exist_ok=True)
    for k, users in enumerate(files):
        blob = {"users": [f"u{u}" for u in users], "num_samples": [], "user_data": {}}
        for u in users:
            rows = owners == u
            blob["num_samples"].append(int(rows.sum()))
            blob["user_data"][f"u{u}"] = {"x": x[rows].tolist(), "y": y[rows].tolist()}
        with open(os.path.join(folder, f"part{k}.json"), "w") as f:
            json.dump(blob, f)


@pytest.fixture(scope="module")
def data_files():
    out = os.path.join(_env("FEDHPC_TEST_OUT"), "data_format")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(3)
    train, test = make_samples(TRAIN_SIZES, rng), make_samples(TEST_SIZES, rng)
    direct = os.path.join(out, "natural3.h5")
    with h5py.File(direct, "w") as f:
        f.attrs.update(num_classes=3, name="three clients", x_scale=1.0)
        for split, (x, y, owners) in (("train", train), ("test", test)):
            f[f"{split}/x"], f[f"{split}/y"], f[f"{split}/client"] = x, y, owners
    leaf = os.path.join(out, "leaf")
    write_leaf(os.path.join(leaf, "train"), *train, files=[[0, 1], [2]])
    write_leaf(os.path.join(leaf, "test"), *test, files=[[0], [1, 2]])
    converted = os.path.join(out, "natural3_leaf.h5")
    done = subprocess.run([sys.executable, os.path.join(CONVERT, "leaf_to_hdf5.py"), leaf, converted],
                          capture_output=True, text=True, check=True)
    assert "3 clients, 300 train and 60 test samples, 3 classes" in done.stdout
    return out, direct, converted


def run_fedhpc(data_path, out_path):
    fedhpc, mpiexec = _env("FEDHPC_BIN"), _env("MPIEXEC")
    flags = os.environ.get("MPIEXEC_FLAGS", "").split()
    cmd = [mpiexec, "-n", "2", *flags, fedhpc, "run", os.path.join(_env("FEDHPC_FIXTURES"), "good", "hdf5_natural.yaml"),
           f"data.path={data_path}", f"output.file={out_path}", "output.overwrite=true", "output.progress=false"]
    subprocess.run(cmd, check=True)
    return h5py.File(out_path, "r")


def test_natural_partition_has_the_files_counts(data_files):
    out, direct, converted = data_files
    with run_fedhpc(direct, os.path.join(out, "direct_run.h5")) as a, \
            run_fedhpc(converted, os.path.join(out, "leaf_run.h5")) as b:
        for f in (a, b):
            assert f["partition/num_samples"][:].tolist() == TRAIN_SIZES
            assert "3 classes" in f.attrs["data"] and "per-client evaluation" in f.attrs["data"]
        # The LEAF conversion is the same data: the runs are the same bits.
        assert np.array_equal(a["model/final"][:], b["model/final"][:])
        assert np.array_equal(a["rounds"]["test_accuracy"], b["rounds"]["test_accuracy"])


def test_each_client_is_scored_on_its_own_test_samples(data_files):
    out, direct, _ = data_files
    with h5py.File(os.path.join(out, "direct_run.h5"), "r") as f:
        rows = f["clients"][:]
        rounds = f["rounds"][:]
    assert {int(c): int(n) for c, n in zip(rows["client"], rows["test_samples"])} == \
        {c: n for c, n in enumerate(TEST_SIZES) if c in set(rows["client"].tolist())}
    last = rows[rows["round"] == rounds["round"][-1]]
    assert np.all(np.isfinite(last["test_accuracy"]))
    # The clients' accuracies, weighted by their test samples, are the global test accuracy.
    # (Every client is in the last round's cohort: clients_per_round is 3.)
    weighted = float(np.sum(last["test_accuracy"] * last["test_samples"]) / np.sum(last["test_samples"]))
    assert weighted == pytest.approx(float(rounds["test_accuracy"][-1]), abs=1e-12)


def test_leaf_counts_that_disagree_are_refused(tmp_path):
    rng = np.random.default_rng(4)
    x, y, owners = make_samples([5, 4], rng)
    write_leaf(tmp_path / "train", x, y, owners, files=[[0, 1]])
    write_leaf(tmp_path / "test", x, y, owners, files=[[0, 1]])
    bad = tmp_path / "train" / "part0.json"
    blob = json.loads(bad.read_text())
    blob["num_samples"][1] = 7
    bad.write_text(json.dumps(blob))
    out = tmp_path / "out.h5"
    done = subprocess.run([sys.executable, os.path.join(CONVERT, "leaf_to_hdf5.py"), str(tmp_path), str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert f"{bad}: user u1: num_samples says 7, user_data holds 4" in done.stderr
    assert not out.exists()


def test_leaf_text_becomes_character_indices(tmp_path):
    for split, users in (("train", {"a": ("hello", "o"), "b": ("world", "!")}), ("test", {"a": ("help!", "l")})):
        os.makedirs(tmp_path / split)
        blob = {"users": list(users), "num_samples": [1] * len(users),
                "user_data": {u: {"x": [x], "y": [y]} for u, (x, y) in users.items()}}
        (tmp_path / split / "all.json").write_text(json.dumps(blob))
    out = tmp_path / "text.h5"
    subprocess.run([sys.executable, os.path.join(CONVERT, "leaf_to_hdf5.py"), str(tmp_path), str(out)], check=True,
                   capture_output=True)
    with h5py.File(out, "r") as f:
        vocab = f.attrs["vocabulary"]
        assert vocab == "!dehloprw" and f.attrs["num_classes"] == 9
        assert "".join(vocab[i] for i in f["train/x"][0]) == "hello"
        assert [vocab[i] for i in f["train/y"][:]] == ["o", "!"]
        assert f["train/client"][:].tolist() == [0, 1] and f["test/client"][:].tolist() == [0]


def test_npz_round_trip(tmp_path):
    rng = np.random.default_rng(5)
    arrays = {"x_train": rng.integers(0, 256, (6, 4, 4, 3), dtype=np.uint8), "y_train": np.arange(6) % 2,
              "x_test": rng.integers(0, 256, (2, 4, 4, 3), dtype=np.uint8), "y_test": np.array([1, 0])}
    np.savez(tmp_path / "small.npz", **arrays)
    out = tmp_path / "small.h5"
    subprocess.run([sys.executable, os.path.join(CONVERT, "npz_to_hdf5.py"), str(tmp_path / "small.npz"), str(out),
                    "--channels-last"], check=True, capture_output=True)
    with h5py.File(out, "r") as f:
        assert f["train/x"].dtype == np.uint8 and f["train/x"].shape == (6, 3, 4, 4)
        assert np.array_equal(f["train/x"][:], np.moveaxis(arrays["x_train"], -1, 1))
        assert f.attrs["x_scale"] == pytest.approx(1 / 255) and f.attrs["num_classes"] == 2
        assert "client" not in f["train"]
