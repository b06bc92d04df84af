"""The plots FL papers show, as PNG files (matplotlib's Agg backend)."""
from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .load import load_run, load_runs  # noqa: E402
from .tables import grouping, mean_ci, phase_totals_per_rank, rounds_to_target, table_markdown  # noqa: E402

# Okabe and Ito's colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

X_AXES = {
    "round": ("round", "communication round", "accuracy_vs_round.png"),
    "simulated": ("sim_elapsed_seconds", "simulated time (s)", "accuracy_vs_simulated_time.png"),
    "wall": ("elapsed_seconds", "wall-clock time (s)", "accuracy_vs_wall_time.png"),
}


def _evaluated(rounds: pd.DataFrame) -> pd.DataFrame:
    return rounds[rounds["test_accuracy"].notna()]


def accuracy_bands(rounds: pd.DataFrame, column: str = "round") -> pd.DataFrame:
    """Per setting (grouping: the differing keys, else the name) and round:
    the mean test accuracy over seeds, its 95% t interval (lo, hi; NaN for
    one seed), n, and the mean of `column` (the x axis)."""
    rows = []
    by = grouping(rounds)
    for label, g in _evaluated(rounds).groupby(by, sort=False):
        for rnd, r in g.groupby("round"):
            mean, half, n = mean_ci(r["test_accuracy"])
            rows.append({"setting": label, "round": rnd, "mean": mean, "lo": mean - half, "hi": mean + half,
                         "n": n, "x": r[column].mean()})
    return pd.DataFrame(rows)


def plot_accuracy(rounds: pd.DataFrame, x: str, out_path: str, title: str | None = None) -> str:
    """Test accuracy against rounds, simulated or wall time (x: round,
    simulated, wall). One line per setting (the keys that differ between the
    loaded runs, seeds pooled; else the run name): the mean over its seeds,
    with the 95% t interval of the mean as a band (n in the legend). Time
    axes use the seeds' mean time at each round."""
    column, label, _ = X_AXES[x]
    fig, ax = plt.subplots(figsize=(7.4, 4.2))
    bands = accuracy_bands(rounds, column)
    for i, (setting, b) in enumerate(bands.groupby("setting", sort=False) if len(bands) else []):
        if column != "round" and b["x"].isna().all():
            continue  # a file from before the column existed (schema < 3 has no simulated time)
        n = int(b["n"].max())
        color = PALETTE[i % len(PALETTE)]
        ax.plot(b["x"], b["mean"], color=color, label=f"{setting} (n={n})")
        if n > 1:
            ax.fill_between(b["x"], b["lo"], b["hi"], color=color, alpha=0.2, linewidth=0)
    if column == "round":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    title = title or default_title(rounds)
    ax.set_xlabel(label)
    ax.set_ylabel("test accuracy")
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    save_figure(fig, out_path)
    return out_path


def default_title(rounds: pd.DataFrame) -> str:
    """'fashion_mnist, cnn_simple, dirichlet(alpha=0.5)': what the runs share
    (a key that differs between them says so)."""
    def shared(key):
        if key not in rounds.columns:
            return None
        values = rounds[key].dropna().astype(str).unique()
        return values[0] if len(values) == 1 else "various"
    parts = [shared("data.dataset"), shared("model.name")]
    kind = shared("data.partition.kind")
    if kind == "dirichlet" and shared("data.partition.alpha"):
        kind = f"dirichlet(alpha={shared('data.partition.alpha')})"
    return ", ".join(p for p in [*parts, kind] if p) or "test accuracy"


def save_figure(fig, png_path: str) -> None:
    """The PNG, and a PDF and an SVG beside it (for papers)."""
    fig.savefig(png_path, dpi=120)
    stem = os.path.splitext(png_path)[0]
    fig.savefig(stem + ".pdf")
    fig.savefig(stem + ".svg")
    plt.close(fig)


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
        best = _evaluated(runs.rounds).groupby(grouping(runs.rounds))["test_accuracy"].max().min()
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
