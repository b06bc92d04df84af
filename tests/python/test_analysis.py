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
    md = open(tmp_path / "rounds_to_target.md").read()
    assert "| fedavg | 0.30 |" in md and "| fedadam | 0.30 |" in md


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
