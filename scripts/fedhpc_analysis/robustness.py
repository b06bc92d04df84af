"""Robust aggregators under attack (scripts/robustness.sh): tables and plots from the committed per-round
CSVs of results/robustness/runs/ (runs named robustness_<partition>_<attack>_<aggregator>_s<seed>)."""
from __future__ import annotations

import os

import pandas as pd

from .reproduction import load_study, markdown_table, write_csv

PARTITIONS = {"iid": "IID", "dir05": "Dirichlet(0.5)"}
ATTACKS = ["none", "label_flip", "sign_flip", "gaussian", "alie", "ipm", "backdoor"]
AGGREGATORS = ["fedavg", "median", "trimmed_mean", "krum", "multikrum", "rfa", "centered_clip"]


def split_name(name: str) -> tuple[str, str, str]:
    """robustness_<partition>_<attack>_<aggregator> -> (partition, attack, aggregator)."""
    rest = name[len("robustness_"):]
    partition = next(p for p in PARTITIONS if rest.startswith(p + "_"))
    rest = rest[len(partition) + 1:]
    attack = next(a for a in sorted(ATTACKS, key=len, reverse=True) if rest.startswith(a + "_"))
    return partition, attack, rest[len(attack) + 1:]


def summary(runs) -> pd.DataFrame:
    """One row per run: final and best test accuracy, the backdoor's final success, and how many
    adversaries the aggregator let through on average."""
    rows = []
    for r in runs:
        partition, attack, aggregator = split_name(r.name)
        t = r.rounds
        evaluated = t.dropna(subset=["test_accuracy"])
        backdoor = t["backdoor_accuracy"].dropna() if "backdoor_accuracy" in t else pd.Series(dtype=float)
        rows.append({
            "partition": partition, "attack": attack, "aggregator": aggregator, "seed": r.seed,
            "rounds": int(t["round"].max()),
            "final_accuracy": float(evaluated["test_accuracy"].iloc[-1]),
            "best_accuracy": float(evaluated["test_accuracy"].max()),
            "backdoor_success": float(backdoor.iloc[-1]) if len(backdoor) else float("nan"),
            "adversaries_sampled": float(t["adversaries_sampled"].mean()) if "adversaries_sampled" in t else float("nan"),
            "adversaries_aggregated": float(t["adversaries_aggregated"].mean()) if "adversaries_aggregated" in t
            else float("nan"),
            "git_sha": r.meta.get("git_sha", ""),
            # A run exported with export_run.py --stopped (it diverged): why it has no final round.
            "stopped": str(r.meta.get("stopped", "")),
        })
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    order = {"partition": list(PARTITIONS), "attack": ATTACKS, "aggregator": AGGREGATORS}
    for column, values in order.items():
        table[column] = pd.Categorical(table[column], values, ordered=True)
    return table.sort_values(["partition", "attack", "aggregator", "seed"]).reset_index(drop=True)


def cell_text(rows: pd.DataFrame, attack: str) -> str:
    if rows.empty:
        return "-"
    stopped = rows[rows["stopped"] != ""]
    if not stopped.empty:  # one seed that diverged decides the cell
        x = stopped.iloc[0]
        return f"diverged after round {x['rounds']} (best {100 * x['best_accuracy']:.1f})"
    final, best = 100 * rows["final_accuracy"].mean(), 100 * rows["best_accuracy"].mean()
    text = f"{final:.1f} / {best:.1f}"
    if attack == "backdoor":
        text += f" (bd {100 * rows['backdoor_success'].mean():.1f})"
    return text


def table_lines(table: pd.DataFrame) -> list[str]:
    lines = []
    for partition, label in PARTITIONS.items():
        lines += [f"## {label}", "", "Final / best test accuracy in % (backdoor: the trigger's success rate, bd).", ""]
        rows = []
        for aggregator in AGGREGATORS:
            row = [aggregator]
            for attack in ATTACKS:
                sel = table[(table.partition == partition) & (table.attack == attack) & (table.aggregator == aggregator)] \
                    if not table.empty else table
                row.append(cell_text(sel, attack))
            rows.append(row)
        lines += markdown_table(["aggregator"] + ATTACKS, rows) + [""]
    return lines


def plot(runs, out_dir: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    for attack in ATTACKS:
        fig, axes = plt.subplots(1, len(PARTITIONS), figsize=(11, 4), sharey=True)
        for ax, (partition, label) in zip(axes, PARTITIONS.items()):
            for r in runs:
                p, a, g = split_name(r.name)
                if p != partition or a != attack:
                    continue
                t = r.rounds.dropna(subset=["test_accuracy"])
                ax.plot(t["round"], t["test_accuracy"], label=g)
            ax.set_title(f"{attack}, {label}")
            ax.set_xlabel("round")
            ax.grid(alpha=0.3)
        axes[0].set_ylabel("test accuracy")
        axes[0].legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, f"accuracy_{attack}.png"), dpi=110)
        plt.close(fig)


def render(runs_dir: str, out_dir: str, plots: bool = True) -> list[str]:
    """Writes summary.csv (one row per run) and table.md into out_dir, and accuracy_<attack>.png per
    attack unless plots is False. Returns the table's lines."""
    runs = load_study(runs_dir) if os.path.isdir(runs_dir) else []
    table = summary(runs)
    os.makedirs(out_dir, exist_ok=True)
    write_csv(os.path.join(out_dir, "summary.csv"), table)
    lines = ["# Robust aggregation under attack: Fashion-MNIST, 100 clients, 20 per round, 20% adversaries", "",
             "Generated by `scripts/reproduce.py robustness` from `runs/*.csv` (one seed per cell).", ""]
    lines += table_lines(table)
    with open(os.path.join(out_dir, "table.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if plots and runs:
        plot(runs, out_dir)
    return lines
