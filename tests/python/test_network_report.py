"""benchmarks/network/report.py on made-up measurements: the calibration
table carries each profile's fitted terms and worst error, and a profile
whose cost model is off by more than 25% fails the report."""
import importlib.util
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "network_report", os.path.join(HERE, "..", "..", "benchmarks", "network", "report.py"))
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)


def write(folder, rows, shares):
    with open(folder / "measurements.csv", "w") as f:
        for r in rows:
            f.write(",".join(str(v) for v in r) + "\n")
    with open(folder / "quickstart.csv", "w") as f:
        f.write("profile,round,round_seconds,reduce_seconds,reduce_cross_seconds,broadcast_seconds,comm_share\n")
        for profile, rnd, share in shares:
            f.write(f"{profile},{rnd},1.0,0.1,0.1,0.0,{share}\n")


def rows_for(profile, latency, mbps, errors):
    out = []
    for b, e in zip([1e6, 1e7, 1e8], errors):
        predicted = latency + b * 8 / (mbps * 1e6)
        out.append([profile, int(b), predicted / (1 + e), 1e-4, latency, mbps, predicted, e])
    return out


def test_calibration_and_verdict(tmp_path):
    write(tmp_path, rows_for("eth_1g", 0.01, 950.0, [0.05, -0.02, 0.01]),
          [("eth_1g", 1, 0.5), ("eth_1g", 2, 0.2), ("eth_1g", 3, 0.4)])
    assert report.main([str(tmp_path)]) == 0
    cal = report.pd.read_csv(tmp_path / "calibration.csv")
    assert cal["profile"].tolist() == ["eth_1g"]
    assert cal["bandwidth_mbps"][0] == 950.0 and cal["latency_s"][0] == 0.01
    assert cal["worst_error"][0] == pytest.approx(0.05)
    assert cal["quickstart_comm_share"][0] == pytest.approx(0.3)  # rounds 2 and 3; round 1 warms up
    table = (tmp_path / "table.md").read_text()
    assert "| eth_1g | 100 us | 1 Gb/s | 10.00 ms | 950 Mb/s | 5.0% |" in table
    assert (tmp_path / "network.png").stat().st_size > 0


def test_a_profile_off_by_more_than_a_quarter_fails(tmp_path):
    write(tmp_path, rows_for("wan", 0.02, 95.0, [0.01, 0.30, 0.0]) + rows_for("eth_1g", 0.01, 950.0, [0, 0, 0]),
          [("wan", 2, 0.9), ("eth_1g", 2, 0.1)])
    assert report.main([str(tmp_path)]) == 1


def test_committed_table_follows_from_committed_measurements(tmp_path):
    """results/network/table.md and calibration.csv are what report.py makes of the committed
    measurements.csv and quickstart.csv."""
    import shutil
    committed = os.path.join(HERE, "..", "..", "results", "network")
    for name in ("measurements.csv", "quickstart.csv"):
        shutil.copy(os.path.join(committed, name), tmp_path / name)
    assert report.main([str(tmp_path)]) == 0
    for name in ("table.md", "calibration.csv"):
        assert (tmp_path / name).read_text() == open(os.path.join(committed, name)).read(), name
