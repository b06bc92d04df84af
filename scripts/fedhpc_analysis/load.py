"""Results files into pandas DataFrames."""
from __future__ import annotations

import dataclasses
import glob
import os
from typing import Iterable

import h5py
import numpy as np
import pandas as pd


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").rstrip("\0")
    if isinstance(value, np.ndarray):
        return "\n".join(_text(v) for v in value)
    return str(value)


def _attr(value):
    if isinstance(value, (bytes, str)):
        return _text(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclasses.dataclass
class Run:
    """One results file: its root attributes and its tables."""

    path: str
    attrs: dict
    rounds: pd.DataFrame
    clients: pd.DataFrame
    timings: pd.DataFrame
    units: dict  # table name -> {column: unit}
    # Per client: 1 for an adversary (scenario.adversaries), from /partition/adversary
    # (all zeros for files written before it existed). /clients has the same flag per row.
    adversary: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.uint8))

    @property
    def name(self) -> str:
        return str(self.attrs.get("name", os.path.basename(self.path)))

    @property
    def seed(self) -> int:
        return int(self.attrs.get("seed", 0))

    @property
    def complete(self) -> bool:
        return int(self.attrs.get("complete", 0)) == 1


def _table(f: h5py.File, name: str) -> tuple[pd.DataFrame, dict]:
    if name not in f:
        return pd.DataFrame(), {}
    ds = f[name]
    if hasattr(ds, "refresh"):
        try:
            ds.refresh()  # a live (SWMR) file: see the rows written so far
        except (OSError, ValueError):
            pass
    df = pd.DataFrame(ds[...])
    units = {}
    if "units" in ds.attrs and ds.dtype.names:
        units = dict(zip(ds.dtype.names, (_text(u) for u in ds.attrs["units"])))
    return df, units


def _open(path: str) -> h5py.File:
    # A finished file opens normally; a live one, or one whose writer was
    # killed, only as a SWMR reader.
    try:
        return h5py.File(path, "r")
    except OSError:
        return h5py.File(path, "r", swmr=True)


def load_run(path: str, clients: bool = True) -> Run:
    """Reads one results file. clients=False skips the (largest) /clients table."""
    with _open(path) as f:
        attrs = {k: _attr(v) for k, v in f.attrs.items()}
        if "schema_version" not in attrs:
            raise ValueError(f"{path}: not a fedhpc results file (no schema_version attribute)")
        rounds, ru = _table(f, "rounds")
        cl, cu = _table(f, "clients") if clients else (pd.DataFrame(), {})
        timings, tu = _table(f, "timings")
        if "partition/adversary" in f:
            adversary = np.asarray(f["partition/adversary"][...], dtype=np.uint8)
        else:
            adversary = np.zeros(int(attrs.get("num_clients", 0) or 0), dtype=np.uint8)
    return Run(path, attrs, rounds, cl, timings, {"rounds": ru, "clients": cu, "timings": tu}, adversary)


@dataclasses.dataclass
class Runs:
    """Several runs, their tables concatenated with identifying columns
    (file, name, seed, strategy) in front."""

    runs: list
    rounds: pd.DataFrame
    timings: pd.DataFrame


def _expand(paths: Iterable[str] | str) -> list[str]:
    if isinstance(paths, str):
        paths = [paths]
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += sorted(glob.glob(os.path.join(p, "**", "*.h5"), recursive=True))
        elif any(c in p for c in "*?["):
            out += sorted(glob.glob(p, recursive=True))
        else:
            out.append(p)
    return out


def load_runs(paths: Iterable[str] | str, clients: bool = False) -> Runs:
    """Reads many results files (paths, folders searched recursively, or
    globs). Files that are not fedhpc results are skipped with a warning."""
    runs, rounds, timings = [], [], []
    for path in _expand(paths):
        try:
            run = load_run(path, clients=clients)
        except (OSError, ValueError, KeyError) as e:
            print(f"fedhpc_analysis: skipping {path}: {e}")
            continue
        runs.append(run)
        ident = {"file": path, "name": run.name, "seed": run.seed,
                 "strategy": str(run.attrs.get("strategy", "")).split(" ")[0]}
        for table, out in ((run.rounds, rounds), (run.timings, timings)):
            if not table.empty:
                out.append(pd.concat([pd.DataFrame(ident, index=table.index), table], axis=1))
    cat = lambda parts: pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()  # noqa: E731
    return Runs(runs, cat(rounds), cat(timings))
