"""Scaling tables (scripts/fedhpc_analysis/scaling.py) on hand-computed
series, and benchmarks/scaling/scaling.py driving real 1- and 2-rank runs."""
import os
import subprocess
import sys

import h5py
import numpy as np
import pandas as pd
import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from fedhpc_analysis.scaling import karp_flatt, scaling_markdown, scaling_table  # noqa: E402

DRIVER = os.path.join(ROOT, "benchmarks", "scaling", "scaling.py")


def rounds(wall, eval_=None, cohort=10, train=None):
    """A /rounds table: round 1 is the warm-up the table leaves out."""
    n = len(wall)
    return pd.DataFrame({"round": np.arange(1, n + 1), "wall_seconds": wall,
                         "eval_seconds": eval_ if eval_ is not None else [0.0] * n,
                         "clients_selected": [cohort] * n,
                         "train_seconds": train if train is not None else [0.0] * n,
                         "wait_seconds": [0.0] * n, "reduce_seconds": [0.1] * n, "server_seconds": [0.0] * n,
                         "broadcast_seconds": [0.0] * n})


def test_strong_scaling_speedup_efficiency_karp_flatt():
    # Medians after round 1: p=1 -> 4.0; p=2 -> wall-eval = [2.0, 2.5, 2.5] -> 2.5; p=4 -> 1.25.
    t = scaling_table([(2, rounds([5.0, 2.0, 2.6, 2.5], [0.0, 0.0, 0.1, 0.0])),
                       (1, rounds([9.0, 4.0, 4.2, 3.8])),
                       (4, rounds([3.0, 1.25, 1.25, 1.25]))], "strong")
    assert t["ranks"].tolist() == [1, 2, 4]
    assert t["seconds_per_round"].tolist() == pytest.approx([4.0, 2.5, 1.25])
    assert t["speedup"].tolist() == pytest.approx([1.0, 1.6, 3.2])
    assert t["efficiency"].tolist() == pytest.approx([1.0, 0.8, 0.8])
    # (1/1.6 - 1/2) / (1 - 1/2) = 0.25; (1/3.2 - 1/4) / (3/4) = 1/12
    assert np.isnan(t["karp_flatt"][0])
    assert t["karp_flatt"][1:].tolist() == pytest.approx([0.25, 1 / 12])
    assert t["rounds_measured"].tolist() == [3, 3, 3]
    assert t["seconds_min"][1] == pytest.approx(2.0) and t["seconds_max"][0] == pytest.approx(4.2)


def test_weak_scaling_efficiency_is_time_ratio_and_speedup_is_scaled():
    t = scaling_table([(1, rounds([1.0, 4.0, 4.0], cohort=10)), (2, rounds([1.0, 5.0, 5.0], cohort=20))], "weak")
    assert t["efficiency"].tolist() == pytest.approx([1.0, 0.8])
    assert t["speedup"].tolist() == pytest.approx([1.0, 1.6])
    assert t["karp_flatt"][1] == pytest.approx(0.25)
    assert t["clients_per_round"].tolist() == [10, 20]


def test_series_without_one_rank_assumes_perfect_scaling_up_to_its_smallest_count():
    t = scaling_table([(2, rounds([0.0, 2.5, 2.5])), (4, rounds([0.0, 1.25, 1.25]))], "strong")
    assert t["speedup"].tolist() == pytest.approx([2.0, 4.0])
    assert t["efficiency"].tolist() == pytest.approx([1.0, 1.0])
    assert t["karp_flatt"].tolist() == pytest.approx([0.0, 0.0])


def test_phases_and_other():
    t = scaling_table([(1, rounds([0.0, 1.0, 1.0, 1.0], train=[0.0, 0.7, 0.8, 0.6]))], "strong")
    assert t["train_seconds"][0] == pytest.approx(0.7)
    assert t["reduce_seconds"][0] == pytest.approx(0.1)
    assert t["other_seconds"][0] == pytest.approx(0.2)
    md = scaling_markdown(t)
    assert md.splitlines()[2].startswith("| 1 | 10 | 1.0000 (1.0000-1.0000) | 1.00 | 100.0% | - | 0.7000 |")


def test_phases_are_rank_means_of_timings_over_the_measured_rounds():
    # Two ranks: rank 0 trains 2.0 s and waits 0.5 s, rank 1 trains 2.5 s and
    # waits 0; round 1 (warm-up) is left out. Means: train 2.25, wait 0.25.
    timings = pd.DataFrame({"round": [1, 1, 2, 2, 3, 3], "rank": [0, 1] * 3,
                            "train_seconds": [9.0, 9.0, 2.0, 2.5, 2.0, 2.5],
                            "wait_seconds": [0.0, 0.0, 0.5, 0.0, 0.5, 0.0],
                            "reduce_seconds": [0.1] * 6, "server_seconds": [0.0] * 6,
                            "broadcast_seconds": [0.0] * 6})
    t = scaling_table([(2, rounds([9.5, 2.6, 2.6]), timings)], "strong")
    assert t["train_seconds"][0] == pytest.approx(2.25)
    assert t["wait_seconds"][0] == pytest.approx(0.25)
    assert t["other_seconds"][0] == pytest.approx(0.0)


def test_karp_flatt_of_perfect_and_serial():
    assert karp_flatt(8.0, 8) == pytest.approx(0.0)
    assert karp_flatt(1.0, 8) == pytest.approx(1.0)


def test_repeats_of_a_rank_count_are_pooled():
    # Measured rounds 4.0, 4.4 and 3.0, 5.0, 6.0: pooled median 4.4, range 3.0-6.0.
    t = scaling_table([(1, rounds([9.0, 4.0, 4.4])), (1, rounds([9.0, 3.0, 5.0, 6.0])),
                       (2, rounds([9.0, 2.2]))], "strong")
    assert t["ranks"].tolist() == [1, 2] and t["repeats"].tolist() == [2, 1]
    assert t["rounds_measured"].tolist() == [5, 1]
    assert t["seconds_per_round"].tolist() == pytest.approx([4.4, 2.2])
    assert (t["seconds_min"][0], t["seconds_max"][0]) == pytest.approx((3.0, 6.0))
    assert t["speedup"][1] == pytest.approx(2.0)


def test_bad_series_refused():
    with pytest.raises(ValueError, match="mode"):
        scaling_table([(1, rounds([1.0, 1.0]))], "sideways")
    with pytest.raises(ValueError, match="empty"):
        scaling_table([], "weak")


def test_driver_runs_a_weak_series_and_writes_table_plot_and_files(tmp_path):
    fedhpc, mpiexec = os.environ.get("FEDHPC_BIN"), os.environ.get("MPIEXEC")
    if not fedhpc or not mpiexec:
        pytest.fail("FEDHPC_BIN and MPIEXEC are not set (ctest sets them; see tests/CMakeLists.txt)")
    scenario = os.path.join(os.environ["FEDHPC_FIXTURES"], "good", "synthetic_mlp.yaml")
    launcher = f"{mpiexec} -n {{ranks}} {os.environ.get('MPIEXEC_FLAGS', '')}"
    out = subprocess.run(["/usr/bin/python3", DRIVER, "weak", "--ranks", "1,2", "--out", str(tmp_path),
                          "--scenario", scenario, "--clients-per-rank", "3", "--launcher", launcher,
                          "--fedhpc", fedhpc, "--repeats", "2", "train.rounds=4", "output.progress=false"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    for p in (1, 2):
        for k in (1, 2):
            with h5py.File(tmp_path / f"weak-p{p}-r{k}.h5", "r") as f:
                assert int(f.attrs["n_ranks"]) == p and int(f.attrs["complete"]) == 1
                assert f["rounds"]["clients_selected"].tolist() == [3 * p] * 4
    table = pd.read_csv(tmp_path / "weak.csv")
    assert table["ranks"].tolist() == [1, 2] and table["clients_per_round"].tolist() == [3, 6]
    assert table["repeats"].tolist() == [2, 2] and table["rounds_measured"].tolist() == [6, 6]
    assert table["efficiency"][0] == pytest.approx(1.0)
    assert table["efficiency"][1] == pytest.approx(table["seconds_per_round"][0] / table["seconds_per_round"][1])
    assert (tmp_path / "weak.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (tmp_path / "weak.md").read_text()
    assert "| 2 | 6 |" in md and "--expect-ranks 2" in md
    assert out.stdout.splitlines()[-1].startswith("FEDHPC_RESULT scaling=weak ranks=2 ")
    # --table-only rebuilds the same table from the files.
    again = subprocess.run(["/usr/bin/python3", DRIVER, "weak", "--ranks", "1,2", "--out", str(tmp_path),
                            "--repeats", "2", "--table-only", "--fedhpc", fedhpc], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "weak.csv"), table)


def test_driver_refuses_bad_arguments(tmp_path):
    for args in (["--ranks", "0,1"], ["--ranks", "a"], ["--launcher", "mpirun -n 2"], ["seed"], ["--repeats", "0"]):
        out = subprocess.run(["/usr/bin/python3", DRIVER, "strong", "--out", str(tmp_path), *args],
                             capture_output=True, text=True)
        assert out.returncode == 2 and "error" in out.stderr, (args, out.stderr)
