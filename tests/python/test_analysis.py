"""scripts/fedhpc_analysis on hand-made tables (exact values) and on real
results files (loading, every named PNG)."""
import os
import sys

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
from fedhpc_analysis import load_run, load_runs, phase_totals_per_rank, render_all, rounds_to_target  # noqa: E402
from fedhpc_analysis.tables import table_markdown, time_to_target  # noqa: E402


def rounds_table():
    """Two runs of 'a' (seeds 1, 2) and one of 'b'; accuracy known per round."""
    rows = []
    for file, name, seed, acc in (("a1", "a", 1, [0.5, 0.7, 0.8, 0.9]), ("a2", "a", 2, [0.6, 0.8, 0.85, 0.9]),
                                  ("b1", "b", 1, [0.4, 0.5, 0.6, 0.7])):
        for r, x in enumerate(acc, start=1):
            rows.append({"file": file, "name": name, "seed": seed, "round": r, "test_accuracy": x,
                         "sim_elapsed_seconds": 10.0 * r, "elapsed_seconds": 2.0 * r})
    return pd.DataFrame(rows)


def test_rounds_to_target_by_hand():
    t = rounds_to_target(rounds_table(), 0.8, baseline="b")
    # a: seed 1 reaches 0.8 in round 3, seed 2 in round 2 -> 2.5; b never.
    assert t.loc["a", "rounds"] == 2.5
    assert t.loc["a", "simulated_seconds"] == 25.0
    assert t.loc["a", "wall_seconds"] == 5.0
    assert t.loc["a", "reached"] == 2 and t.loc["a", "seeds"] == 2
    assert np.isnan(t.loc["b", "rounds"]) and t.loc["b", "reached"] == 0
    t2 = rounds_to_target(rounds_table(), 0.7)  # baseline: the first name, a
    assert t2.loc["a", "rounds"] == 2.0 and t2.loc["b", "rounds"] == 4.0  # both seeds of a in round 2
    assert t2.loc["b", "speedup"] == 0.5
    md = table_markdown(t2)
    assert "| a | 0.70 | 2 (1.00x) | 20.0 | 4.0 | 2/2 |" in md
    assert "| b | 0.70 | 4 (0.50x) | 40.0 | 8.0 | 1/1 |" in md


def test_time_to_target_never_reached_is_nan():
    t = time_to_target(rounds_table(), 0.95, "elapsed_seconds")
    assert t["elapsed_seconds"].isna().all() and len(t) == 3


def test_phase_totals_per_rank_by_hand():
    timings = pd.DataFrame({"round": [1, 1, 2, 2], "rank": [0, 1, 0, 1], "round_seconds": [1.0, 1.0, 2.0, 2.0],
                            "train_seconds": [0.5, 0.25, 1.0, 0.5], "wait_seconds": [0.0, 0.25, 0.0, 0.5],
                            "reduce_seconds": [0.25, 0.25, 0.5, 0.5], "server_seconds": [0.0, 0.0, 0.0, 0.0],
                            "broadcast_seconds": [0.0] * 4, "eval_seconds": [0.0] * 4,
                            "write_seconds": [0.125, 0.0, 0.125, 0.0]})
    t = phase_totals_per_rank(timings)
    assert t.loc[0, "train_seconds"] == 1.5 and t.loc[1, "wait_seconds"] == 0.75
    assert t.loc[0, "write_seconds"] == 0.25
    # round 3.0 - train - wait - reduce; the write comes after the round's own clock
    assert t.loc[0, "other_seconds"] == 3.0 - 1.5 - 0.0 - 0.75
    assert t.loc[1, "other_seconds"] == 3.0 - 0.75 - 0.75 - 0.75


def test_load_one_real_run(runs_dir):
    run = load_run(os.path.join(runs_dir, "fedavg_s1.h5"))
    assert run.complete and run.name == "fedavg" and run.seed == 1
    assert list(run.rounds["round"]) == list(range(1, 9))
    assert len(run.timings) == 8 * 2 and set(run.timings["rank"]) == {0, 1}
    assert len(run.clients) == 8 * 7  # 7 clients per round
    assert run.units["rounds"]["test_accuracy"] == "fraction"
    assert run.rounds["test_accuracy"].isna().sum() == 4  # eval_every 2


def test_load_many_real_runs(runs_dir):
    runs = load_runs(runs_dir)
    assert len(runs.runs) == 3
    assert len(runs.rounds) == 24
    assert set(runs.rounds["name"]) == {"fedavg", "fedadam"}
    assert sorted(runs.rounds.groupby("name")["file"].nunique().to_dict().items()) == [("fedadam", 1), ("fedavg", 2)]


def test_render_all_writes_the_named_pngs(runs_dir, tmp_path):
    written = render_all([runs_dir], str(tmp_path), target=0.3)
    names = {os.path.basename(p) for p in written}
    assert {"accuracy_vs_round.png", "accuracy_vs_simulated_time.png", "accuracy_vs_wall_time.png",
            "rounds_to_target.md", "rounds_to_target.csv", "phases_per_rank_fedavg.png",
            "phases_per_rank_fedadam.png"} == names
    for p in written:
        if p.endswith(".png"):
            with open(p, "rb") as f:
                assert f.read(8) == b"\x89PNG\r\n\x1a\n"
            assert os.path.getsize(p) > 5000
    for stem in ("accuracy_vs_round", "accuracy_vs_wall_time"):  # for papers, beside each PNG
        assert (tmp_path / f"{stem}.pdf").read_bytes()[:5] == b"%PDF-"
        assert b"<svg" in (tmp_path / f"{stem}.svg").read_bytes()[:2000]
    md = open(tmp_path / "rounds_to_target.md").read()
    # The runs differ in strategy.name (its options follow from it): the label.
    assert "| strategy.name=fedavg | 0.30 |" in md and "| strategy.name=fedadam | 0.30 |" in md


def test_the_command_line(runs_dir, tmp_path):
    import subprocess
    script = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "plot_results.py")
    out = subprocess.run([sys.executable, script, runs_dir, "--out", str(tmp_path), "--target", "0.3"],
                         check=True, capture_output=True, text=True).stdout
    assert "accuracy_vs_round.png" in out and (tmp_path / "accuracy_vs_wall_time.png").exists()


def test_a_file_that_is_not_results_is_skipped(tmp_path, capsys):
    import h5py
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["x"] = [1, 2, 3]
    assert load_runs([str(tmp_path)]).runs == []
    assert "not a fedhpc results file" in capsys.readouterr().out
    with pytest.raises(ValueError):
        load_run(str(tmp_path / "other.h5"))


def test_the_adversary_flag_loads(attack_run):
    run = load_run(attack_run)
    assert list(run.adversary) == [1, 0, 0, 1] + [0] * 16  # clients 0 and 3 of 20
    assert set(run.clients["adversary"].unique()) <= {0, 1}
    flagged = run.clients[run.clients["adversary"] == 1]["client"].unique()
    assert set(flagged) <= {0, 3}
    assert (run.clients["adversary"] == run.clients["client"].isin([0, 3]).astype(int)).all()
    assert (run.rounds["adversaries_sampled"] == run.clients.groupby("round")["adversary"].sum().values).all()
    assert run.attrs["attack"].startswith("sign_flip by 2 adversarial client(s) from round 1 (scale 1)")


def test_ci_band_is_the_t_interval_by_hand():
    from fedhpc_analysis.plots import accuracy_bands
    from fedhpc_analysis.tables import mean_ci
    bands = accuracy_bands(rounds_table()).set_index(["setting", "round"])
    # a, round 1: seeds 0.5 and 0.6: mean 0.55, s = 0.0707..., half = t(0.975, 1) * s / sqrt(2) = 12.7062 * 0.05.
    half = 12.706204736174698 * 0.05
    assert bands.loc[("a", 1), "mean"] == pytest.approx(0.55)
    assert bands.loc[("a", 1), "lo"] == pytest.approx(0.55 - half) and bands.loc[("a", 1), "hi"] == pytest.approx(0.55 + half)
    assert bands.loc[("a", 1), "n"] == 2
    assert np.isnan(bands.loc[("b", 1), "lo"]) and bands.loc[("b", 1), "n"] == 1  # one seed: no interval
    # Three values 1, 2, 6: mean 3, s = sqrt(7), t(0.975, 2) = 4.302652729911275.
    mean, h, n = mean_ci([1.0, 2.0, 6.0])
    assert (mean, n) == (3.0, 3) and h == pytest.approx(4.302652729911275 * np.sqrt(7) / np.sqrt(3))
    t = rounds_to_target(rounds_table(), 0.8)
    assert t.loc["a", "rounds_ci95"] == pytest.approx(12.706204736174698 * np.sqrt(0.5) / np.sqrt(2))


def test_runs_that_differ_only_in_strategy_are_two_groups(tmp_path):
    """Same name, same seeds, FedAvg against FedProx: grouped by strategy.name, seeds pooled."""
    from fedhpc_analysis.plots import accuracy_bands
    fedhpc, mpiexec = os.environ["FEDHPC_BIN"], os.environ["MPIEXEC"]
    scenario = os.path.join(os.environ["FEDHPC_FIXTURES"], "good", "synthetic_logreg.yaml")
    import subprocess
    for strategy in ("fedavg", "fedprox"):
        for seed in (1, 2):
            extra = ["strategy.mu=0.01"] if strategy == "fedprox" else []
            subprocess.run([mpiexec, "-n", "1", fedhpc, "run", scenario, "name=same", f"strategy.name={strategy}",
                            *extra, f"seed={seed}", "train.rounds=3", "output.eval_every=1", "output.progress=false",
                            f"output.file={tmp_path}/{strategy}_{seed}.h5"], check=True, capture_output=True)
    runs = load_runs(str(tmp_path))
    assert set(runs.rounds["name"]) == {"same"}
    assert runs.differing == ["strategy.name", "strategy.mu"]
    assert sorted(runs.configs["group"].unique()) == ["strategy.name=fedavg", "strategy.name=fedprox"]
    assert runs.rounds["strategy.name"].isin(["fedavg", "fedprox"]).all()
    bands = accuracy_bands(runs.rounds)
    assert sorted(bands["setting"].unique()) == ["strategy.name=fedavg", "strategy.name=fedprox"]
    assert set(bands["n"]) == {2}
    table = rounds_to_target(runs.rounds, 0.0)
    assert sorted(table.index) == ["strategy.name=fedavg", "strategy.name=fedprox"]
    assert (table["seeds"] == 2).all()
