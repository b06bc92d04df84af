"""Summary tables over runs: rounds and time to a target accuracy (McMahan et
al. 2017, Table 2 style), phase totals per rank."""
from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.stats

PHASES = ["train_seconds", "wait_seconds", "reduce_seconds", "server_seconds", "broadcast_seconds",
          "eval_seconds", "write_seconds"]


def mean_ci(values, level: float = 0.95) -> tuple[float, float, int]:
    """(mean, half-width of the two-sided t confidence interval of the mean,
    n) over the finite values; half-width NaN for fewer than 2."""
    x = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
    n = len(x)
    if n == 0:
        return np.nan, np.nan, 0
    if n < 2:
        return float(x.mean()), np.nan, 1
    t = scipy.stats.t.ppf(0.5 + level / 2, n - 1)
    return float(x.mean()), float(t * x.std(ddof=1) / np.sqrt(n)), n


def grouping(rounds: pd.DataFrame) -> str:
    """What tells settings apart: the loaded runs' differing keys (`group`,
    from load_runs), else the run name."""
    return "group" if "group" in rounds.columns else "name"


def _first_reaching(group: pd.DataFrame, target: float, column: str) -> float:
    hit = group[group["test_accuracy"] >= target]
    return float(hit[column].iloc[0]) if len(hit) else np.nan


def time_to_target(rounds: pd.DataFrame, target: float, column: str = "round") -> pd.DataFrame:
    """Per file: the first value of `column` (round, sim_elapsed_seconds or
    elapsed_seconds) at which test accuracy reaches `target` (NaN: never)."""
    rows = []
    by = grouping(rounds)
    for (path, label, seed), g in rounds.groupby(["file", by, "seed"], sort=False):
        g = g.sort_values("round")
        rows.append({"file": path, by: label, "seed": seed, column: _first_reaching(g, target, column)})
    return pd.DataFrame(rows)


def rounds_to_target(rounds: pd.DataFrame, target: float, baseline: str | None = None) -> pd.DataFrame:
    """Per setting (the loaded runs' differing keys, else the run name): mean
    rounds (over the seeds that reached `target`) with the half-width of its
    95% t interval, the seeds that reached it, and the speedup over
    `baseline` (default: the first setting), as in McMahan et al.'s Table 2.
    Also simulated and wall seconds."""
    per_file = time_to_target(rounds, target, "round")
    per_file["sim_elapsed_seconds"] = time_to_target(rounds, target, "sim_elapsed_seconds")["sim_elapsed_seconds"]
    per_file["elapsed_seconds"] = time_to_target(rounds, target, "elapsed_seconds")["elapsed_seconds"]
    table = per_file.groupby(grouping(rounds), sort=False).agg(
        seeds=("seed", "count"), reached=("round", lambda s: int(s.notna().sum())),
        rounds=("round", "mean"), rounds_ci95=("round", lambda s: mean_ci(s)[1]),
        simulated_seconds=("sim_elapsed_seconds", "mean"), wall_seconds=("elapsed_seconds", "mean"))
    base = baseline if baseline is not None else (table.index[0] if len(table) else None)
    base_rounds = table.loc[base, "rounds"] if base in table.index else np.nan
    table["speedup"] = base_rounds / table["rounds"]
    table.insert(0, "target", target)
    return table


def table_markdown(table: pd.DataFrame) -> str:
    """A rounds-to-target table as Markdown: rounds (speedup), '-' when not reached."""
    lines = ["| run | target | rounds (speedup) | simulated s | wall s | seeds reached |",
             "|---|---|---|---|---|---|"]
    for name, r in table.iterrows():
        if np.isnan(r["rounds"]):
            cells = ["-", "-", "-"]
        else:
            seconds = lambda v: "-" if np.isnan(v) else f"{v:.1f}"  # noqa: E731
            cells = [f"{r['rounds']:.0f} ({r['speedup']:.2f}x)", seconds(r["simulated_seconds"]),
                     seconds(r["wall_seconds"])]
        lines.append(f"| {name} | {r['target']:.2f} | {' | '.join(cells)} | {int(r['reached'])}/{int(r['seeds'])} |")
    return "\n".join(lines) + "\n"


def phase_totals_per_rank(timings: pd.DataFrame) -> pd.DataFrame:
    """Seconds per phase summed over rounds, one row per rank (one file's
    /timings), with `other` = round time not in any phase."""
    if timings.empty:
        return pd.DataFrame(columns=["rank"] + PHASES + ["other_seconds"])
    cols = [c for c in PHASES if c in timings.columns]
    t = timings.groupby("rank")[cols + ["round_seconds"]].sum()
    # The write follows the round's own clock, so it is not part of round_seconds.
    inside = [c for c in cols if c != "write_seconds"]
    t["other_seconds"] = (t["round_seconds"] - t[inside].sum(axis=1)).clip(lower=0.0)
    return t.drop(columns="round_seconds")
