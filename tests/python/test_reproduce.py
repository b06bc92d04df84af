"""The reproduction tables: committed tables follow from committed per-round CSVs, statistics over
seeds are right (made-up data with hand-computed means), verdicts are judged on seed means, and
export_run.py writes what reproduce.py reads from a real results file."""
import json
import math
import os
import subprocess
import sys

import h5py
import pandas as pd
import pytest

SCRIPTS = os.path.join(os.path.dirname(__file__), "..", "..", "scripts")
sys.path.insert(0, SCRIPTS)
from fedhpc_analysis import fedprox_synthetic, niid_bench  # noqa: E402
from fedhpc_analysis.reproduction import seed_stats, verdict  # noqa: E402

COLUMNS = ["round", "test_accuracy", "test_loss", "train_loss", "global_train_loss", "clients_completed",
           "clients_partial", "clients_dropped", "sim_round_seconds", "sim_elapsed_seconds", "wall_seconds",
           "elapsed_seconds"]


def fake_run(runs_dir, name, seed, final_accuracy, rounds=50, train_loss=0.5, kept=10):
    """A made-up run: accuracy 0.5 until the last round, then final_accuracy."""
    os.makedirs(runs_dir, exist_ok=True)
    rows = [[r, final_accuracy if r == rounds else 0.5, 0.4, 0.3, train_loss if r == rounds else 1.0, kept, 0, 0,
             60.0, 60.0 * r, 20.0, 20.0 * r] for r in range(1, rounds + 1)]
    pd.DataFrame(rows, columns=COLUMNS).to_csv(os.path.join(runs_dir, f"{name}_s{seed}.csv"), index=False)
    with open(os.path.join(runs_dir, f"{name}_s{seed}.json"), "w") as f:
        json.dump({"name": name, "seed": seed, "n_ranks": 1, "git_sha": "0" * 12}, f)


def row(lines, partition, algorithm):
    label = niid_bench.PARTITIONS[partition]
    return next(l for l in lines if l.startswith(f"| {label} | {algorithm} |")).split(" | ")


def test_seed_stats_by_hand():
    s = seed_stats([89.57, 89.21, 88.85])
    assert s.n == 3 and s.mean == pytest.approx(89.21)
    assert s.std == pytest.approx(0.36)  # deviations +-0.36, 0: sqrt(2 * 0.1296 / 2)
    assert s.text() == "89.21 ± 0.36 (n=3)"
    one = seed_stats([11.0])
    assert one.n == 1 and math.isnan(one.std) and one.text() == "11.00 (n=1)"
    assert seed_stats([]).text() == "-"


def test_verdicts():
    assert verdict(True, 3, 3) == "pass"
    assert verdict(False, 3, 3) == "miss"
    assert verdict(True, 1, 3) == "provisional (n=1 of 3; in range so far)"
    assert verdict(False, 2, 5) == "provisional (n=2 of 5; out of range so far)"
    assert verdict(True, 0, 3) == "not run"


def test_niid_two_seeds_then_three(tmp_path):
    runs = str(tmp_path / "runs")
    fake_run(runs, "niid_homo_fedavg", 0, 0.8957)
    fake_run(runs, "niid_homo_fedavg", 1, 0.8921)
    lines = niid_bench.render(runs, str(tmp_path), plots=False)
    cells = row(lines, "homo", "fedavg")
    assert cells[2] == "0,1"
    assert cells[3] == "89.39 ± 0.25 (n=2)"  # mean 89.39, std 0.36 / sqrt(2) = 0.2546
    assert cells[-1] == "provisional (n=2 of 3; in range so far) |"
    fake_run(runs, "niid_homo_fedavg", 2, 0.8300)
    lines = niid_bench.render(runs, str(tmp_path), plots=False)
    cells = row(lines, "homo", "fedavg")
    # mean 261.78 / 3 = 87.26; deviations 2.31, 1.95, -4.26: sqrt(27.2862 / 2) = 3.69.
    assert cells[3] == "87.26 ± 3.69 (n=3)"  # each seed alone but the last passes; the mean does not
    assert cells[-1] == "miss |"
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary["seed"]) == [0, 1, 2]
    assert list(summary["final_accuracy"]) == [89.57, 89.21, 83.0]
    assert list(summary["best_accuracy"]) == [89.57, 89.21, 83.0]


def test_niid_relative_target_and_incomplete_runs(tmp_path):
    runs = str(tmp_path / "runs")
    for seed, acc in ((0, 0.10), (1, 0.12), (2, 0.14)):
        fake_run(runs, "niid_c1_fedavg", seed, acc)
        fake_run(runs, "niid_c1_fedprox", seed, acc + 0.05)
    fake_run(runs, "niid_c3_fedavg", 0, 0.83, rounds=30)  # stopped early: not counted
    lines = niid_bench.render(runs, str(tmp_path), plots=False)
    assert row(lines, "c1", "fedavg")[3] == "12.00 ± 2.00 (n=3)"
    assert row(lines, "c1", "fedavg")[-1] == "pass |"
    assert row(lines, "c1", "fedprox")[3] == "17.00 ± 2.00 (n=3)"
    assert row(lines, "c1", "fedprox")[-1] == "pass |"  # above FedAvg's 12.00, at most 45
    assert row(lines, "c3", "fedavg")[-1] == "not run |"
    fake_run(runs, "niid_c1_fedprox", 1, 0.90)  # mean (15 + 90 + 19) / 3 = 41.33 <= 45
    assert row(niid_bench.render(runs, str(tmp_path), plots=False), "c1", "fedprox")[-1] == "pass |"
    fake_run(runs, "niid_c1_fedprox", 2, 0.50)  # mean (15 + 90 + 50) / 3 = 51.67 > 45
    assert row(niid_bench.render(runs, str(tmp_path), plots=False), "c1", "fedprox")[-1] == "miss |"


def test_fedprox_synthetic_verdicts_use_seed_means(tmp_path):
    runs = str(tmp_path / "runs")
    name = "fedprox_synthetic_{}_stragglers90"
    # Seed 0 alone passes (+19 points); seed 1 alone fails (-15); the mean gap is +2: a miss once enough
    # seeds exist. A report keyed on (algorithm, share) would show only one of them.
    for seed, fedavg_acc, fedprox_acc in ((0, 0.41, 0.60), (1, 0.85, 0.70)):
        fake_run(runs, name.format("fedavg"), seed, fedavg_acc, rounds=200, train_loss=2.0, kept=1)
        fake_run(runs, name.format("fedprox_mu1"), seed, fedprox_acc, rounds=200, train_loss=0.5, kept=10)
    lines = fedprox_synthetic.render(runs, str(tmp_path), plots=False)
    text = "\n".join(lines)
    # Last ten rounds: 0.5 nine times, then the final value: (4.5 + 0.41) / 10 and (4.5 + 0.85) / 10.
    assert "| 90% | FedAvg (drops stragglers) | 0,1 | 1.0 ± 0.0 (n=2) | 2.0000 ± 0.0000 (n=2) | " \
           "63.00 ± 31.11 (n=2) | 51.30 ± 3.11 (n=2) |" in text
    assert "difference of means +2.00 points: provisional (n=2 of 5; out of range so far)" in text
    assert "lower training loss in 2 of 2 seeds and the higher test accuracy in 1 of 2 (median difference +2.00 " \
           "points, from -15.00 to +19.00)" in text
    assert "FedAvg 2.0000 ± 0.0000 (n=2): provisional (n=2 of 5; in range so far)" in text
    for seed in (2, 3, 4):
        fake_run(runs, name.format("fedavg"), seed, 0.40, rounds=200, train_loss=2.0, kept=1)
        fake_run(runs, name.format("fedprox_mu1"), seed, 0.80, rounds=200, train_loss=0.5, kept=10)
    text = "\n".join(fedprox_synthetic.render(runs, str(tmp_path), plots=False))
    # FedAvg (41 + 85 + 3 * 40) / 5 = 49.2, FedProx (60 + 70 + 3 * 80) / 5 = 74.0: +24.8
    assert "difference of means +24.80 points: pass" in text
    assert len(pd.read_csv(tmp_path / "summary.csv")) == 10


def test_fedprox_synthetic_mu0_identity_per_seed(tmp_path):
    runs = str(tmp_path / "runs")
    for seed in range(5):
        fake_run(runs, "fedprox_synthetic_fedavg_stragglers0", seed, 0.8, rounds=200)
        fake_run(runs, "fedprox_synthetic_fedprox_mu0_stragglers0", seed, 0.8 if seed else 0.81, rounds=200)
    text = "\n".join(fedprox_synthetic.render(runs, str(tmp_path), plots=False))
    assert "identical (every round's metrics, final model bits) in 4 of 5 seeds: miss" in text


def test_committed_tables_follow_from_committed_runs():
    """Every number in results/<study>/table.md and summary.csv, recomputed from the committed CSVs."""
    done = subprocess.run([sys.executable, os.path.join(SCRIPTS, "reproduce.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "niid_bench: matches its runs" in done.stdout
    assert "fedprox_synthetic: matches its runs" in done.stdout


def test_results_readme_lists_every_folder():
    """results/README.md is where a reader starts: it names every committed results folder."""
    results = os.path.join(SCRIPTS, "..", "results")
    readme = open(os.path.join(results, "README.md")).read()
    # The committed folders: local runs also land in results/ (git-ignored .h5 files).
    tracked = subprocess.run(["git", "ls-files", "."], cwd=results, capture_output=True, text=True).stdout.split()
    folders = sorted({path.split("/")[0] for path in tracked if "/" in path})
    assert "niid_bench" in folders
    assert [d for d in folders if f"`{d}/`" not in readme] == []


def test_export_of_a_real_run_reads_back(runs_dir, tmp_path):
    path = os.path.join(runs_dir, "fedavg_s1.h5")
    subprocess.run([sys.executable, os.path.join(SCRIPTS, "export_run.py"), path, "--to", str(tmp_path)],
                   check=True)
    table = pd.read_csv(tmp_path / "fedavg_s1.csv", float_precision="round_trip")
    meta = json.load(open(tmp_path / "fedavg_s1.json"))
    with h5py.File(path, "r") as f:
        rounds = f["rounds"][...]
        sha = f.attrs["git_sha"]
    assert meta["git_sha"] == (sha.decode() if isinstance(sha, bytes) else sha)
    assert list(table["round"]) == list(range(1, 9))
    # Nine significant digits: far below anything a table reports.
    assert table["train_loss"].tolist() == pytest.approx([float(v) for v in rounds["train_loss"]], rel=1e-8)
    assert table["elapsed_seconds"].tolist() == pytest.approx([float(v) for v in rounds["elapsed_seconds"]], rel=1e-5)
    assert table["test_accuracy"].isna().tolist() == [math.isnan(v) for v in rounds["test_accuracy"]]
    assert meta["seed"] == 1 and meta["complete"] == 1 and len(meta["model_final_sha256"]) == 64
    assert meta["command"].startswith("mpirun -n 2 ")


def test_export_refuses_an_incomplete_run(runs_dir, tmp_path):
    path = str(tmp_path / "partial.h5")
    with h5py.File(os.path.join(runs_dir, "fedavg_s1.h5"), "r") as src, h5py.File(path, "w") as dst:
        for key, value in src.attrs.items():
            dst.attrs[key] = value
        dst.attrs["complete"] = 0
    done = subprocess.run([sys.executable, os.path.join(SCRIPTS, "export_run.py"), path, "--to", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode != 0 and "not complete" in done.stderr
    assert not os.path.exists(tmp_path / "partial_s1.csv")


def test_robustness_table_from_made_up_runs(tmp_path):
    from fedhpc_analysis import robustness
    runs = str(tmp_path / "runs")
    os.makedirs(runs)
    columns = COLUMNS + ["adversaries_sampled", "adversaries_aggregated", "backdoor_accuracy"]

    def run(name, accuracies, backdoor=None, stopped=None):
        rows = []
        for r, acc in enumerate(accuracies, start=1):
            rows.append([r, acc, 0.4, 0.3, 1.0, 20, 0, 0, 60.0, 60.0 * r, 20.0, 20.0 * r, 4, 1.5,
                         backdoor[r - 1] if backdoor else float("nan")])
        pd.DataFrame(rows, columns=columns).to_csv(os.path.join(runs, f"{name}_s0.csv"), index=False)
        with open(os.path.join(runs, f"{name}_s0.json"), "w") as f:
            json.dump({"name": name, "seed": 0, "git_sha": "0" * 12, **({"stopped": stopped} if stopped else {})}, f)

    run("robustness_iid_sign_flip_trimmed_mean", [0.5, 0.8, 0.7])
    run("robustness_iid_sign_flip_fedavg", [0.3, 0.6, 0.1, 0.1], stopped="diverged in round 5")
    run("robustness_dir05_backdoor_fedavg", [0.6, 0.7], backdoor=[0.1, 0.95])
    assert robustness.split_name("robustness_dir05_label_flip_centered_clip") == ("dir05", "label_flip", "centered_clip")
    lines = robustness.render(runs, str(tmp_path), plots=False)
    text = "\n".join(lines)
    assert "| trimmed_mean | - | - | 70.0 / 80.0 | - | - | - | - |" in text  # IID: final / best
    assert "| fedavg | - | - | diverged after round 4 (best 60.0) | - | - | - | - |" in text
    assert "| fedavg | - | - | - | - | - | - | 70.0 / 70.0 (bd 95.0) |" in text  # Dirichlet: the backdoor's success
    table = pd.read_csv(tmp_path / "summary.csv")
    assert list(table["adversaries_aggregated"]) == [1.5, 1.5, 1.5]


def test_privacy_tables_from_made_up_runs(tmp_path):
    from fedhpc_analysis import privacy
    runs = str(tmp_path / "runs")
    os.makedirs(runs)
    columns = COLUMNS + ["clients_selected", "epsilon", "clip_norm", "secagg_bytes", "secagg_seconds"]

    def run(name, accuracies, epsilon=float("nan"), clip=float("nan"), sim=60.0, wall=2.0, secagg=(0, 0.0)):
        rows = []
        for r, acc in enumerate(accuracies, start=1):
            rows.append([r, acc, 0.4, 0.3, 1.0, 20, 0, 0, sim, sim * r, wall, wall * r, 600 + r,
                         epsilon * r, clip, secagg[0], secagg[1]])
        pd.DataFrame(rows, columns=columns).to_csv(os.path.join(runs, f"{name}_s0.csv"), index=False)
        with open(os.path.join(runs, f"{name}_s0.json"), "w") as f:
            json.dump({"name": name, "seed": 0, "git_sha": "0" * 12}, f)

    run("privacy_dp_z1.0", [0.5, 0.7], epsilon=2.5, clip=0.3)
    run("privacy_dp_znone", [0.6, 0.8])
    run("privacy_dp_z1.0_clip0.5", [0.4, 0.6], epsilon=2.5, clip=0.5)
    run("privacy_secagg_k100_plain", [0.5], sim=10.0, wall=1.0)
    run("privacy_secagg_k100_secure", [0.5], sim=12.5, wall=1.5, secagg=(3_000_000, 2.5))
    run("privacy_secagg_k30_secure", [0.5], sim=5.0)  # no plain partner: left out
    text = "\n".join(privacy.render(runs, str(tmp_path), plots=False))
    # The baseline first; epsilon and the clip norm of the last round.
    assert "| none (not private) | - | inf | 80.00 | 80.00 | - | 601.5 |" in text
    assert "| 1 | adaptive | 5.00 | 70.00 | 70.00 | 0.300 | 601.5 |" in text
    assert "| 1 | fixed 0.5 | 5.00 | 60.00 | 60.00 | 0.500 | 601.5 |" in text
    assert "| 100 | 10.000 | 12.500 | 1.25x | 3.00 | 1.000 | 1.500 | 1.50x |" in text
    assert "| 30 |" not in text
    assert list(pd.read_csv(tmp_path / "summary.csv")["epsilon"].fillna(-1)) == [-1, 5.0, 5.0]


def curve_run(runs_dir, name, accuracies):
    """A made-up run whose test accuracy follows `accuracies`, one per round."""
    os.makedirs(runs_dir, exist_ok=True)
    rows = [[r + 1, a, 0.4, 0.3, 1.0, 10, 0, 0, 1.0, 1.0 * (r + 1), 1.0, 1.0 * (r + 1)]
            for r, a in enumerate(accuracies)]
    pd.DataFrame(rows, columns=COLUMNS).to_csv(os.path.join(runs_dir, f"{name}_s0.csv"), index=False)
    with open(os.path.join(runs_dir, f"{name}_s0.json"), "w") as f:
        json.dump({"name": name, "seed": 0, "n_ranks": 1, "git_sha": "0" * 12}, f)


def test_mcmahan_best_lr_and_speedup(tmp_path):
    from fedhpc_analysis import mcmahan
    runs = str(tmp_path / "runs")
    target = mcmahan.TARGETS["2nn"]
    below, above = target - 0.05, target + 0.01
    # FedSGD: lr 0.1 reaches the target at round 60, lr 0.2 at round 40 (the pick); FedAvg at round 4.
    curve_run(runs, "mnist_2nn_iid_fedsgd_lr0.1", [below] * 59 + [above])
    curve_run(runs, "mnist_2nn_iid_fedsgd_lr0.2", [below] * 39 + [above] * 21)
    curve_run(runs, "mnist_2nn_iid_fedavg_lr0.05", [below] * 3 + [above] * 7)
    # Pathological: FedSGD never gets there in 30 rounds, FedAvg at round 10: at least 3x.
    curve_run(runs, "mnist_2nn_pathological_fedsgd_lr0.1", [below] * 30)
    curve_run(runs, "mnist_2nn_pathological_fedavg_lr0.1", [below] * 9 + [above])
    mcmahan.render(runs, str(tmp_path), plots=False)
    s = pd.read_csv(tmp_path / "summary.csv").set_index("partition")
    assert s.loc["iid", "fedsgd_lr"] == 0.2 and s.loc["iid", "fedsgd_rounds"] == 40
    assert s.loc["iid", "fedavg_rounds"] == 4 and s.loc["iid", "speedup"] == 10
    assert s.loc["iid", "verdict"] == "pass"
    assert math.isnan(s.loc["pathological", "fedsgd_rounds"])
    assert s.loc["pathological", "verdict"] == "pass (> 3.0x: FedSGD misses the target)"
