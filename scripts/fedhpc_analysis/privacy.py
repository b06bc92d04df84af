"""What privacy costs (scripts/privacy.sh): DP-FedAvg's accuracy against epsilon, and secure aggregation's
overhead against the cohort size, from the committed per-round CSVs of results/privacy/runs/ (runs named
privacy_dp_z<noise multiplier or none>[_clip<fixed clip norm>]_s<seed> and privacy_secagg_k<K>_<plain|secure>_s<seed>)."""
from __future__ import annotations

import math
import os
import re

import pandas as pd

from .reproduction import load_study, markdown_table, write_csv

DP_NAME = re.compile(r"^privacy_dp_z(?P<z>none|[0-9.]+?)(_clip(?P<clip>[0-9.]+))?$")
SECAGG_NAME = re.compile(r"^privacy_secagg_k(?P<k>[0-9]+)_(?P<mode>plain|secure)$")


def noise_of(label: str) -> float:
    """The noise multiplier of a DP run's label; NaN for the non-private baseline."""
    return math.nan if label == "none" else float(label)


def dp_summary(runs) -> pd.DataFrame:
    """One row per DP run: its noise multiplier, the final epsilon, final and best accuracy, the clip
    norm adaptive clipping ended at, and the mean cohort size."""
    rows = []
    for r in runs:
        m = DP_NAME.match(r.name)
        if not m:
            continue
        t = r.rounds
        evaluated = t.dropna(subset=["test_accuracy"])
        last = t.iloc[-1]
        rows.append({
            "noise_multiplier": noise_of(m["z"]), "clipping": f"fixed {m['clip']}" if m["clip"] else "adaptive",
            "seed": r.seed, "rounds": int(t["round"].max()),
            "epsilon": float(last["epsilon"]) if "epsilon" in t else math.nan,
            "final_accuracy": float(evaluated["test_accuracy"].iloc[-1]),
            "best_accuracy": float(evaluated["test_accuracy"].max()),
            "final_clip_norm": float(last["clip_norm"]) if "clip_norm" in t else math.nan,
            "mean_cohort": float(t["clients_selected"].mean()) if "clients_selected" in t else math.nan,
            "git_sha": r.meta.get("git_sha", ""),
        })
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    # The non-private baseline first, then by rising noise.
    table["order"] = table["noise_multiplier"].fillna(-1.0)
    return table.sort_values(["order", "clipping", "seed"]).drop(columns="order").reset_index(drop=True)


def secagg_summary(runs) -> pd.DataFrame:
    """One row per cohort size: per-round simulated and wall seconds with and without secure aggregation,
    and the protocol's traffic."""
    per = {}
    for r in runs:
        m = SECAGG_NAME.match(r.name)
        if not m:
            continue
        t = r.rounds
        per[(int(m["k"]), m["mode"], r.seed)] = {
            "sim_round_seconds": float(t["sim_round_seconds"].mean()),
            "wall_seconds": float(t["wall_seconds"].mean()),
            "secagg_seconds": float(t["secagg_seconds"].mean()) if "secagg_seconds" in t else 0.0,
            "secagg_mb": float(t["secagg_bytes"].mean()) / 1e6 if "secagg_bytes" in t else 0.0,
            "cohort": float(t["clients_selected"].mean()) if "clients_selected" in t else math.nan,
        }
    rows = []
    for (k, mode, seed), secure in sorted(per.items()):
        if mode != "secure" or (k, "plain", seed) not in per:
            continue
        plain = per[(k, "plain", seed)]
        rows.append({
            "cohort": k, "seed": seed,
            "sim_seconds_plain": plain["sim_round_seconds"], "sim_seconds_secure": secure["sim_round_seconds"],
            "sim_overhead": secure["sim_round_seconds"] / plain["sim_round_seconds"],
            "secagg_seconds": secure["secagg_seconds"], "secagg_mb": secure["secagg_mb"],
            "wall_seconds_plain": plain["wall_seconds"], "wall_seconds_secure": secure["wall_seconds"],
            "wall_overhead": secure["wall_seconds"] / plain["wall_seconds"],
        })
    return pd.DataFrame(rows)


def dp_lines(table: pd.DataFrame) -> list[str]:
    rows = []
    for _, x in table.iterrows():
        z = "none (not private)" if math.isnan(x["noise_multiplier"]) else f"{x['noise_multiplier']:g}"
        clipping = "-" if math.isnan(x["noise_multiplier"]) else x["clipping"]
        eps = "inf" if math.isnan(x["epsilon"]) or math.isinf(x["epsilon"]) else f"{x['epsilon']:.2f}"
        clip = "-" if math.isnan(x["final_clip_norm"]) else f"{x['final_clip_norm']:.3f}"
        rows.append([z, clipping, eps, f"{100 * x['final_accuracy']:.2f}", f"{100 * x['best_accuracy']:.2f}", clip,
                     f"{x['mean_cohort']:.1f}"])
    return markdown_table(["noise multiplier z", "clipping", "epsilon (delta 1e-5)", "final acc. %", "best acc. %",
                           "final clip norm", "mean cohort"], rows)


def secagg_lines(table: pd.DataFrame) -> list[str]:
    rows = []
    for _, x in table.iterrows():
        rows.append([f"{int(x['cohort'])}", f"{x['sim_seconds_plain']:.3f}", f"{x['sim_seconds_secure']:.3f}",
                     f"{x['sim_overhead']:.2f}x", f"{x['secagg_mb']:.2f}", f"{x['wall_seconds_plain']:.3f}",
                     f"{x['wall_seconds_secure']:.3f}", f"{x['wall_overhead']:.2f}x"])
    return markdown_table(["cohort K", "simulated s/round plain", "secure", "ratio", "protocol MB/round",
                           "wall s/round plain", "secure", "ratio"], rows)


def plot(runs, dp: pd.DataFrame, secagg: pd.DataFrame, out_dir: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    if not dp.empty:
        fig, (ax, curves) = plt.subplots(1, 2, figsize=(11, 4))
        private = dp[dp["clipping"] == "adaptive"].dropna(subset=["noise_multiplier"])
        ax.plot(private["epsilon"], 100 * private["final_accuracy"], "o-", label="DP-FedAvg (adaptive clipping)")
        for _, x in private.iterrows():
            ax.annotate(f"z={x['noise_multiplier']:g}", (x["epsilon"], 100 * x["final_accuracy"]), fontsize=8)
        for _, x in dp[dp["noise_multiplier"].isna()].iterrows():
            ax.axhline(100 * x["final_accuracy"], color="gray", ls="--", label="not private")
        ax.set_xscale("log")
        ax.set_xlabel("epsilon at delta = 1e-5")
        ax.set_ylabel("final test accuracy (%)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        for r in runs:
            m = DP_NAME.match(r.name)
            if m:
                t = r.rounds.dropna(subset=["test_accuracy"])
                label = f"z={m['z']}" + (f", clip {m['clip']}" if m["clip"] else "")
                curves.plot(t["round"], 100 * t["test_accuracy"], label=label, ls="--" if m["clip"] else "-")
        curves.set_xlabel("round")
        curves.set_ylabel("test accuracy (%)")
        curves.grid(alpha=0.3)
        curves.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, "dp_accuracy_vs_epsilon.png"), dpi=110)
        plt.close(fig)
    if not secagg.empty:
        fig, (sim, wall) = plt.subplots(1, 2, figsize=(11, 4))
        for ax, key, label in ((sim, "sim", "simulated s per round"), (wall, "wall", "wall s per round")):
            ax.plot(secagg["cohort"], secagg[f"{key}_seconds_plain"], "o-", label="plain")
            ax.plot(secagg["cohort"], secagg[f"{key}_seconds_secure"], "s-", label="secure aggregation")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("cohort size K")
            ax.set_ylabel(label)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, "secagg_overhead.png"), dpi=110)
        plt.close(fig)


def render(runs_dir: str, out_dir: str, plots: bool = True) -> list[str]:
    """Writes summary.csv (the DP runs), secagg.csv and table.md into out_dir, and the two plots unless
    plots is False. Returns the table's lines."""
    runs = load_study(runs_dir) if os.path.isdir(runs_dir) else []
    dp, secagg = dp_summary(runs), secagg_summary(runs)
    os.makedirs(out_dir, exist_ok=True)
    write_csv(os.path.join(out_dir, "summary.csv"), dp)
    write_csv(os.path.join(out_dir, "secagg.csv"), secagg)
    lines = ["# What privacy costs: DP-FedAvg on Fashion-MNIST and secure aggregation's overhead", "",
             "Generated by `scripts/reproduce.py privacy` from `runs/*.csv` (one seed per row).", "",
             "## DP-FedAvg: accuracy against epsilon", "",
             "6,000 clients, Poisson sampling q = 0.1, 100 rounds, central noise; adaptive clipping to the "
             "median norm unless a fixed clip norm is named; epsilon from the RDP accountant.", ""]
    lines += (dp_lines(dp) if not dp.empty else ["(no runs yet)"]) + [""]
    lines += ["## Secure aggregation: overhead against the cohort size", "",
              "Logistic regression (7,850 parameters), 3 rounds per cohort size, 10% dropouts; per-round means.",
              ""]
    lines += (secagg_lines(secagg) if not secagg.empty else ["(no runs yet)"]) + [""]
    with open(os.path.join(out_dir, "table.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if plots and runs:
        plot(runs, dp, secagg, out_dir)
    return lines
