"""Strong and weak scaling tables and plots from a series of results files
(one file per rank count, as benchmarks/scaling/scaling.py writes them).

Seconds per round: the median, over every round after the first (allocation
and first-touch warm-up) of every repeat, of the round's wall seconds on rank 0 minus its
evaluation seconds (evaluation is a user-chosen frequency, and its fixed test
set would be strong-scaled even inside a weak series). Phases are per round
the mean over ranks of /timings (so that, like each rank's own round, they
add up to the round: maxima over ranks would count the slow rank's training
and the fast rank's wait both), then the median over the same rounds.

With p0 the smallest rank count of the series and T(p) seconds per round:
  strong (fixed cohort):        speedup S = p0 T(p0) / T(p), efficiency E = S / p
  weak (fixed clients per rank): efficiency E = T(p0) / T(p), scaled speedup S = p E
  Karp-Flatt serial fraction:   e = (1/S - 1/p) / (1 - 1/p), for p > 1
With p0 = 1 these are the textbook definitions; with p0 > 1 they assume
perfect scaling up to p0.
"""
from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .tables import PHASES as TABLE_PHASES  # noqa: E402

MODES = ("strong", "weak")
# The phases inside a measured round: evaluation is left out, the write follows the round.
PHASES = [p for p in TABLE_PHASES if p not in ("eval_seconds", "write_seconds")]


def karp_flatt(speedup: float, ranks: int) -> float:
    """Experimentally determined serial fraction (Karp and Flatt, 1990)."""
    if ranks <= 1:
        return np.nan
    return (1.0 / speedup - 1.0 / ranks) / (1.0 - 1.0 / ranks)


def round_seconds(rounds: pd.DataFrame) -> pd.DataFrame:
    """The rounds that count (all but the first) with their measured seconds
    (`seconds` = wall minus evaluation)."""
    r = rounds.sort_values("round")
    r = r[r["round"] > r["round"].min()] if len(r) > 1 else r
    return r.assign(seconds=r["wall_seconds"] - r["eval_seconds"])


def _measured(rounds: pd.DataFrame, timings: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One run's measured rounds and, per measured round, its phases (mean
    over ranks of /timings; without /timings, older files, /rounds' maxima)."""
    r = round_seconds(rounds)
    if timings is not None and not timings.empty:
        phases = timings[timings["round"].isin(r["round"])].groupby("round")[PHASES].mean()
    else:
        phases = r[[p for p in PHASES if p in r]]
    return r, phases


def series_row(ranks: int, runs: list[tuple]) -> dict:
    """One rank count's medians (see the module's docstring) over the
    measured rounds of every repeat, pooled: runs are (/rounds, /timings)."""
    measured = [_measured(*run) for run in runs]
    r = pd.concat([m[0] for m in measured], ignore_index=True)
    phases = pd.concat([m[1] for m in measured], ignore_index=True)
    row = {"ranks": int(ranks), "repeats": len(runs), "clients_per_round": float(r["clients_selected"].median()),
           "rounds_measured": int(len(r)), "seconds_per_round": float(r["seconds"].median()),
           "seconds_min": float(r["seconds"].min()), "seconds_max": float(r["seconds"].max())}
    for phase in PHASES:
        row[phase] = float(phases[phase].median()) if phase in phases else np.nan
    row["other_seconds"] = max(0.0, row["seconds_per_round"] - sum(row[p] for p in PHASES if not np.isnan(row[p])))
    return row


def scaling_table(series: list[tuple], mode: str) -> pd.DataFrame:
    """series: (ranks, a run's /rounds[, its /timings]) tuples; several runs
    of one rank count (repeats) are pooled. Returns one row per rank count,
    sorted, with speedup, efficiency and the Karp-Flatt metric."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, found {mode!r}")
    if not series:
        raise ValueError("an empty scaling series")
    by_ranks: dict[int, list[tuple]] = {}
    for ranks, rounds, *timings in series:
        by_ranks.setdefault(int(ranks), []).append((rounds, timings[0] if timings else None))
    t = pd.DataFrame([series_row(p, runs) for p, runs in sorted(by_ranks.items())])
    p0, t0 = int(t["ranks"].iloc[0]), float(t["seconds_per_round"].iloc[0])
    if mode == "strong":
        t["speedup"] = p0 * t0 / t["seconds_per_round"]
        t["efficiency"] = t["speedup"] / t["ranks"]
    else:
        t["efficiency"] = t0 / t["seconds_per_round"]
        t["speedup"] = t["ranks"] * t["efficiency"]
    t["karp_flatt"] = [karp_flatt(s, p) for s, p in zip(t["speedup"], t["ranks"])]
    t.insert(0, "mode", mode)
    return t


def scaling_table_from_files(paths: list[str], mode: str) -> pd.DataFrame:
    """The table of a series of results files (rank count from each file's
    n_ranks; files of the same rank count are repeats)."""
    from .load import load_run
    series, names = [], {}
    for path in paths:
        run = load_run(path, clients=False)
        if run.rounds.empty:
            raise ValueError(f"{path}: no finished rounds")
        ranks = int(run.attrs["n_ranks"])
        series.append((ranks, run.rounds, run.timings))
        names.setdefault(ranks, []).append(os.path.basename(path))
    table = scaling_table(series, mode)
    table["files"] = table["ranks"].map(lambda p: " ".join(names[p]))
    return table


def scaling_markdown(table: pd.DataFrame) -> str:
    """The table as Markdown: ranks, cohort, seconds per round (range),
    speedup, efficiency, Karp-Flatt, and the phases."""
    lines = ["| ranks | clients/round | s/round (min-max) | speedup | efficiency | Karp-Flatt "
             "| train | wait | reduce | server | broadcast | other |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for _, r in table.iterrows():
        kf = "-" if np.isnan(r["karp_flatt"]) else f"{r['karp_flatt']:.3f}"
        phases = " | ".join(f"{r[p]:.4f}" for p in PHASES + ["other_seconds"])
        lines.append(f"| {int(r['ranks'])} | {r['clients_per_round']:.0f} | {r['seconds_per_round']:.4f} "
                     f"({r['seconds_min']:.4f}-{r['seconds_max']:.4f}) | {r['speedup']:.2f} | "
                     f"{100 * r['efficiency']:.1f}% | {kf} | {phases} |")
    return "\n".join(lines) + "\n"


def plot_scaling(table: pd.DataFrame, out_path: str, title: str | None = None) -> str:
    """Left: seconds per round by rank count, stacked by phase. Right: speedup
    against ideal (strong) or efficiency against 100% and 85% (weak)."""
    mode = str(table["mode"].iloc[0])
    ranks = table["ranks"].to_numpy()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    x = np.arange(len(ranks))
    bottom = np.zeros(len(ranks))
    for phase in PHASES + ["other_seconds"]:
        values = table[phase].fillna(0.0).to_numpy()
        left.bar(x, values, bottom=bottom, label=phase.replace("_seconds", ""))
        bottom += values
    left.set_xticks(x, [str(p) for p in ranks])
    left.set_xlabel("MPI ranks")
    left.set_ylabel("seconds per round (median)")
    left.legend(fontsize=8)
    if mode == "strong":
        right.plot(ranks, table["speedup"], "o-", label="measured")
        right.plot(ranks, ranks / ranks[0] * table["speedup"].iloc[0], "k--", label="ideal")
        right.set_ylabel("speedup")
    else:
        right.plot(ranks, 100 * table["efficiency"], "o-", label="measured")
        right.axhline(100, color="k", linestyle="--", label="ideal")
        right.axhline(85, color="r", linestyle=":", label="85%")
        right.set_ylabel("efficiency (%)")
        right.set_ylim(0, 110)
    right.set_xscale("log", base=2)
    right.set_xticks(ranks, [str(p) for p in ranks])
    right.set_xlabel("MPI ranks")
    right.legend(fontsize=8)
    fig.suptitle(title or f"{mode} scaling")
    fig.tight_layout()
    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    fig.savefig(out_path, dpi=120)
    plt.close(fig)
    return out_path
