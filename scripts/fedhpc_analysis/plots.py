"""The plots FL papers show, as PNG files (matplotlib's Agg backend)."""
from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .load import load_run, load_runs  # noqa: E402
from .tables import phase_totals_per_rank, rounds_to_target, table_markdown  # noqa: E402

X_AXES = {
    "round": ("round", "communication round", "accuracy_vs_round.png"),
    "simulated": ("sim_elapsed_seconds", "simulated time (s)", "accuracy_vs_simulated_time.png"),
    "wall": ("elapsed_seconds", "wall-clock time (s)", "accuracy_vs_wall_time.png"),
}


def _evaluated(rounds: pd.DataFrame) -> pd.DataFrame:
    return rounds[rounds["test_accuracy"].notna()]


def plot_accuracy(rounds: pd.DataFrame, x: str, out_path: str, title: str | None = None) -> str:
    """Test accuracy against rounds, simulated or wall time (x: round,
    simulated, wall). One line per run name: the mean over its seeds, with
    the band from the lowest to the highest seed. Time axes use the seeds'
    mean time at each round."""
    column, label, _ = X_AXES[x]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for name, g in _evaluated(rounds).groupby("name", sort=False):
        per_round = g.groupby("round").agg(acc=("test_accuracy", "mean"), lo=("test_accuracy", "min"),
                                           hi=("test_accuracy", "max"), t=(column, "mean"),
                                           seeds=("file", "nunique"))
        if column != "round" and per_round["t"].isna().all():
            continue  # a file from before the column existed (schema < 3 has no simulated time)
        xs = per_round.index.to_numpy() if column == "round" else per_round["t"].to_numpy()
        seeds = int(per_round["seeds"].max())
        line, = ax.plot(xs, per_round["acc"], label=f"{name} ({seeds} run{'s' if seeds > 1 else ''})")
        if seeds > 1:
            ax.fill_between(xs, per_round["lo"], per_round["hi"], color=line.get_color(), alpha=0.2, linewidth=0)
    ax.set_xlabel(label)
    ax.set_ylabel("test accuracy")
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(out_path, dpi=120)
    plt.close(fig)
    return out_path


def plot_phases_per_rank(timings: pd.DataFrame, out_path: str, title: str | None = None) -> str:
    """Stacked seconds per phase (summed over rounds), one bar per rank, from
    one run's /timings: load imbalance shows as `wait` on the fast ranks."""
    totals = phase_totals_per_rank(timings)
    fig, ax = plt.subplots(figsize=(max(5.0, 0.5 * len(totals) + 4.0), 4.2))
    bottom = np.zeros(len(totals))
    ranks = [str(r) for r in totals.index]
    for column in totals.columns:
        values = totals[column].to_numpy()
        ax.bar(ranks, values, bottom=bottom, label=column.replace("_seconds", ""))
        bottom += values
    ax.set_xlabel("rank")
    ax.set_ylabel("seconds (summed over rounds)")
    if title:
        ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(out_path, dpi=120)
    plt.close(fig)
    return out_path


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def render_all(paths, out_dir: str, target: float | None = None, baseline: str | None = None) -> list[str]:
    """Every plot and table for the given results files (paths, folders,
    globs) into out_dir: accuracy against rounds, simulated and wall time;
    rounds_to_target.md/.csv; phases_per_rank_<name>.png per run name (its
    first file). Returns the written paths."""
    os.makedirs(out_dir, exist_ok=True)
    runs = load_runs(paths)
    if runs.rounds.empty:
        raise SystemExit("plot_results: no rounds in the given results files")
    written = [plot_accuracy(runs.rounds, x, os.path.join(out_dir, X_AXES[x][2])) for x in X_AXES]
    if target is None:
        # The best accuracy every run name reached, rounded down to 0.01.
        best = _evaluated(runs.rounds).groupby("name")["test_accuracy"].max().min()
        target = float(np.floor(best * 100) / 100)
    table = rounds_to_target(runs.rounds, target, baseline)
    table.to_csv(os.path.join(out_dir, "rounds_to_target.csv"))
    with open(os.path.join(out_dir, "rounds_to_target.md"), "w") as f:
        f.write(table_markdown(table))
    written += [os.path.join(out_dir, "rounds_to_target.csv"), os.path.join(out_dir, "rounds_to_target.md")]
    seen = set()
    for run in runs.runs:
        if run.name in seen or run.timings.empty:
            continue
        seen.add(run.name)
        written.append(plot_phases_per_rank(run.timings, os.path.join(out_dir, f"phases_per_rank_{_slug(run.name)}.png"),
                                            f"{run.name}: time per phase per rank"))
    return written
