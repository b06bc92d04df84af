"""What every reproduction study shares: its committed per-run tables, statistics over seeds,
verdicts, and Markdown.

A study keeps one pair of files per run under results/<study>/runs/ (scripts/export_run.py):
<name>_s<seed>.csv, the per-round table, and <name>_s<seed>.json, how the run was made. Tables and
plots are computed from these files alone, so a reader re-derives every number without rerunning.
"""
from __future__ import annotations

import dataclasses
import glob
import json
import math
import os

import numpy as np
import pandas as pd


@dataclasses.dataclass
class StudyRun:
    """One exported run: its name (scenario name), seed, provenance and per-round table."""

    name: str
    seed: int
    meta: dict
    rounds: pd.DataFrame

    @property
    def final(self) -> pd.Series:
        return self.rounds.iloc[-1]


def load_study(runs_dir: str) -> list[StudyRun]:
    """Every <name>_s<seed>.csv in runs_dir with its .json, sorted by name then seed."""
    runs = []
    for csv_path in sorted(glob.glob(os.path.join(runs_dir, "*.csv"))):
        json_path = csv_path[:-4] + ".json"
        if not os.path.exists(json_path):
            raise FileNotFoundError(f"{csv_path}: no provenance file {os.path.basename(json_path)} beside it")
        with open(json_path) as f:
            meta = json.load(f)
        rounds = pd.read_csv(csv_path, float_precision="round_trip")  # the exported doubles, exactly
        if rounds.empty:
            raise ValueError(f"{csv_path}: no rounds")
        runs.append(StudyRun(str(meta["name"]), int(meta["seed"]), meta, rounds))
    runs.sort(key=lambda r: (r.name, r.seed))
    return runs


@dataclasses.dataclass
class SeedStats:
    """Mean and sample standard deviation (n - 1 in the denominator; NaN for one seed) over n seeds."""

    mean: float
    std: float
    n: int

    def text(self, digits: int = 2) -> str:
        if self.n == 0:
            return "-"
        if self.n == 1:
            return f"{self.mean:.{digits}f} (n=1)"
        return f"{self.mean:.{digits}f} ± {self.std:.{digits}f} (n={self.n})"


def seed_stats(values) -> SeedStats:
    values = [float(v) for v in values]
    n = len(values)
    if n == 0:
        return SeedStats(math.nan, math.nan, 0)
    mean = sum(values) / n
    if n == 1:
        return SeedStats(mean, math.nan, 1)
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    return SeedStats(mean, math.sqrt(var), n)


def verdict(holds: bool, n: int, seeds_required: int) -> str:
    """pass / miss on the seed mean, or provisional while fewer seeds than the target asks for
    exist (saying which way the mean of those so far points)."""
    if n == 0:
        return "not run"
    if n < seeds_required:
        return f"provisional (n={n} of {seeds_required}; {'in range' if holds else 'out of range'} so far)"
    return "pass" if holds else "miss"


def markdown_table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def write_csv(path: str, frame: pd.DataFrame) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6g")


def plot_seed_band(runs: list[StudyRun], panels, label: str, **style) -> None:
    """One line per panel: the mean over the runs (seeds) of a per-round column, with the band from the
    lowest to the highest seed. panels: (axis, column, scale) triples; curves stop at the shortest run."""
    if not runs:
        return
    n = min(len(r.rounds) for r in runs)
    x = runs[0].rounds["round"].to_numpy()[:n]
    for ax, column, scale in panels:
        y = np.array([r.rounds[column].to_numpy()[:n] * scale for r in runs])
        ax.plot(x, y.mean(axis=0), label=f"{label} (n={len(runs)})", **style)
        if len(runs) > 1:
            ax.fill_between(x, y.min(axis=0), y.max(axis=0), color=style.get("color"), alpha=0.18, linewidth=0)
