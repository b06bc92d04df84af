"""Results files into pandas DataFrames."""
from __future__ import annotations

import dataclasses
import glob
import os
from typing import Iterable

import h5py
import numpy as np
import pandas as pd
import yaml


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
    """Several runs, their tables concatenated with identifying columns in
    front: file, name, seed, strategy, one column per flattened config key
    (strategy.name, data.partition.alpha, ...), and `group`: the values of
    the keys that differ between the runs (`differing`), seeds pooled."""

    runs: list
    rounds: pd.DataFrame
    timings: pd.DataFrame
    configs: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)  # one row per run
    differing: list = dataclasses.field(default_factory=list)

# Keys that tell runs apart without being a setting: seeds are pooled, names
# are labels, output.* is bookkeeping.
NOT_SETTINGS = ("seed", "name")


def flatten(config: dict, prefix: str = "") -> dict:
    """{'strategy': {'name': 'fedavg'}} -> {'strategy.name': 'fedavg'}"""
    out = {}
    for key, value in config.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, path + "."))
        else:
            out[path] = value
    return out


def run_config(run: Run) -> dict:
    """The run's resolved configuration (config_yaml), flattened."""
    text = run.attrs.get("config_yaml", "")
    return flatten(yaml.safe_load(text) or {}) if text else {}


def differing_keys(configs: pd.DataFrame) -> list:
    """The config keys whose values differ between runs, settings only."""
    keys = []
    for column in configs.columns:
        if column in NOT_SETTINGS or column.startswith("output.") or column == "file":
            continue
        if configs[column].astype(str).nunique(dropna=False) > 1:
            keys.append(column)
    return keys


def label_keys(configs: pd.DataFrame, keys: list) -> list:
    """The differing keys a label needs: a key whose value follows from an
    earlier one's (FedAdam's beta1 from strategy.name) adds nothing."""
    text = configs[keys].astype(str)
    needed = []
    for k in keys:
        if not any(text.groupby(j)[k].nunique().max() == 1 for j in needed):
            needed.append(k)
    return needed


def group_labels(configs: pd.DataFrame, keys: list) -> pd.Series:
    """Per run: 'strategy.name=fedprox, strategy.mu=0.01' (the keys that
    differ, those implied by others left out, and those the run does not
    have), or the name when no key differs."""
    if not keys:
        return configs["name"].astype(str)
    shown = label_keys(configs, keys)
    return configs.apply(lambda row: ", ".join(f"{k}={row[k]}" for k in shown if pd.notna(row[k])), axis=1)


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
    runs, configs = [], []
    for path in _expand(paths):
        try:
            run = load_run(path, clients=clients)
        except (OSError, ValueError, KeyError) as e:
            print(f"fedhpc_analysis: skipping {path}: {e}")
            continue
        runs.append(run)
        configs.append({**run_config(run), "file": path, "name": run.name, "seed": run.seed})
    configs = pd.DataFrame(configs)
    differing = differing_keys(configs) if len(configs) else []
    if len(configs):
        configs["group"] = group_labels(configs, differing)
    rounds, timings = [], []
    for run, (_, config) in zip(runs, configs.iterrows()):
        ident = {"file": run.path, "name": run.name, "seed": run.seed,
                 "strategy": str(run.attrs.get("strategy", "")).split(" ")[0], "group": config["group"],
                 **{k: v for k, v in config.items() if k not in ("file", "name", "seed", "group")}}
        for table, out in ((run.rounds, rounds), (run.timings, timings)):
            if not table.empty:
                front = pd.DataFrame([ident] * len(table), index=table.index)
                out.append(pd.concat([front, table.drop(columns=[c for c in front if c in table])], axis=1))
    cat = lambda parts: pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()  # noqa: E731
    return Runs(runs, cat(rounds), cat(timings), configs, differing)
