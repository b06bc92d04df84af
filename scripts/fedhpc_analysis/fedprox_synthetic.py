"""FedProx on Synthetic(1,1) with stragglers (Li et al., MLSys 2020, Fig. 1): tables and plots from the
committed per-round CSVs of results/fedprox_synthetic/runs/
(runs named fedprox_synthetic_<fedavg|fedprox_mu0|fedprox_mu1>_stragglers<percent>_s<seed>)."""
from __future__ import annotations

import os
import re

import pandas as pd

from .reproduction import load_study, markdown_table, plot_seed_band, seed_stats, verdict, write_csv

SEEDS_REQUIRED = 5  # repeats per setting, as Flower's FedProx baseline runs them
ALGORITHMS = ["fedavg", "fedprox_mu0", "fedprox_mu1"]
LABELS = {"fedavg": "FedAvg (drops stragglers)", "fedprox_mu0": "FedProx, mu=0", "fedprox_mu1": "FedProx, mu=1"}
STYLE = {"fedavg": ("tab:green", "-"), "fedprox_mu0": ("tab:blue", "--"), "fedprox_mu1": ("tab:red", "-")}
NAME = re.compile(r"^fedprox_synthetic_(fedavg|fedprox_mu0|fedprox_mu1)_stragglers(\d+)$")


def split_name(name: str) -> tuple[str, int]:
    m = NAME.match(name)
    if not m:
        raise ValueError(f"fedprox_synthetic: unexpected run name {name!r}")
    return m.group(1), int(m.group(2))


def summary(runs) -> pd.DataFrame:
    rows = []
    for r in runs:
        a, share = split_name(r.name)
        t = r.rounds
        kept = t["clients_completed"] + t["clients_partial"]
        rows.append({
            "name": r.name, "algorithm": a, "stragglers_pct": share, "seed": r.seed,
            "rounds": int(t["round"].iloc[-1]), "final_train_loss": float(t["global_train_loss"].iloc[-1]),
            "final_test_accuracy": 100.0 * float(t["test_accuracy"].iloc[-1]),
            # One straggler-free round can swing the last value; the last ten rounds' mean shows the level.
            "last10_test_accuracy": 100.0 * float(t["test_accuracy"].iloc[-10:].mean()),
            "mean_clients_kept": float(kept.mean()), "git_sha": r.meta.get("git_sha", ""),
            "model_final_sha256": r.meta.get("model_final_sha256", "")[:16],
        })
    return pd.DataFrame(rows)


def identical_to_fedavg(runs, share: int) -> tuple[int, int]:
    """(seeds where FedProx mu=0 and FedAvg have identical per-round tables and the same final model bits
    (its SHA-256 in the provenance file), seeds with both)."""
    by = {(r.name, r.seed): r for r in runs}
    same = both = 0
    for (name, seed), r in by.items():
        if name != f"fedprox_synthetic_fedavg_stragglers{share}":
            continue
        other = by.get((f"fedprox_synthetic_fedprox_mu0_stragglers{share}", seed))
        if other is None:
            continue
        both += 1
        cols = ["test_accuracy", "test_loss", "train_loss", "global_train_loss"]
        same_model = r.meta.get("model_final_sha256") == other.meta.get("model_final_sha256")
        same += int(r.rounds[cols].equals(other.rounds[cols]) and same_model)
    return same, both


def paired_lines(table: pd.DataFrame) -> list[str]:
    """Seed by seed (the same devices and stragglers for both algorithms): how often FedProx mu=1 is ahead
    of FedAvg at 90% stragglers, and the median of the differences. Informative, not a verdict."""
    at90 = table[table["stragglers_pct"] == 90]
    pair = at90.pivot(index="seed", columns="algorithm", values=["final_train_loss", "final_test_accuracy"]).dropna()
    if pair.empty or "fedavg" not in pair["final_test_accuracy"] or "fedprox_mu1" not in pair["final_test_accuracy"]:
        return []
    acc = pair["final_test_accuracy"]["fedprox_mu1"] - pair["final_test_accuracy"]["fedavg"]
    loss = pair["final_train_loss"]["fedprox_mu1"] - pair["final_train_loss"]["fedavg"]
    return [f"- 90% stragglers, seed by seed: FedProx mu=1 has the lower training loss in {int((loss < 0).sum())} of "
            f"{len(pair)} seeds and the higher test accuracy in {int((acc > 0).sum())} of {len(pair)} "
            f"(median difference {float(acc.median()):+.2f} points, from {float(acc.min()):+.2f} to "
            f"{float(acc.max()):+.2f})"]


def checks(table: pd.DataFrame, runs) -> list[str]:
    """The qualitative targets, judged on seed means."""
    def stats(a, share, column):
        g = table[(table["algorithm"] == a) & (table["stragglers_pct"] == share)]
        return seed_stats(g[column])
    lines = []
    loss_a, loss_p = stats("fedavg", 90, "final_train_loss"), stats("fedprox_mu1", 90, "final_train_loss")
    acc_a, acc_p = stats("fedavg", 90, "final_test_accuracy"), stats("fedprox_mu1", 90, "final_test_accuracy")
    n = min(loss_a.n, loss_p.n)
    if n:
        lines.append(f"- 90% stragglers, final training loss: FedProx mu=1 {loss_p.text(4)} vs FedAvg "
                     f"{loss_a.text(4)}: {verdict(loss_p.mean < loss_a.mean, n, SEEDS_REQUIRED)} (target: lower)")
        gap = acc_p.mean - acc_a.mean
        lines.append(f"- 90% stragglers, final test accuracy: FedProx mu=1 {acc_p.text()} vs FedAvg {acc_a.text()}, "
                     f"difference of means {gap:+.2f} points: {verdict(gap >= 10.0, n, SEEDS_REQUIRED)} "
                     f"(target: at least +10)")
    lines += paired_lines(table)
    same, both = identical_to_fedavg(runs, 0)
    if both:
        lines.append(f"- 0% stragglers: FedProx mu=0 and FedAvg identical (every round's metrics, final model "
                     f"bits) in {same} of {both} "
                     f"seeds: {verdict(same == both, both, SEEDS_REQUIRED)} (target: identical)")
    return lines


def table_lines(table: pd.DataFrame) -> list[str]:
    rows = []
    for share in sorted(table["stragglers_pct"].unique()):
        for a in ALGORITHMS:
            g = table[(table["algorithm"] == a) & (table["stragglers_pct"] == share)]
            if g.empty:
                continue
            rows.append([f"{share}%", LABELS[a], ",".join(str(s) for s in sorted(g["seed"])),
                         seed_stats(g["mean_clients_kept"]).text(1), seed_stats(g["final_train_loss"]).text(4),
                         seed_stats(g["final_test_accuracy"]).text(), seed_stats(g["last10_test_accuracy"]).text()])
    return markdown_table(["stragglers", "algorithm", "seeds", "clients kept / round", "final training loss",
                           "final test accuracy %", "test accuracy %, last 10 rounds"], rows)


def plot(runs, path: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    shares = sorted({split_name(r.name)[1] for r in runs})
    fig, axes = plt.subplots(2, len(shares), figsize=(4.2 * len(shares), 6.5), squeeze=False, sharex=True)
    for col, share in enumerate(shares):
        for a in ALGORITHMS:
            mine = [r for r in runs if split_name(r.name) == (a, share)]
            color, ls = STYLE[a]
            panels = ((axes[0][col], "global_train_loss", 1.0), (axes[1][col], "test_accuracy", 100.0))
            plot_seed_band(mine, panels, LABELS[a], color=color, ls=ls)
        axes[0][col].set_title(f"Synthetic(1,1), {share}% stragglers")
        axes[1][col].set_xlabel("round")
    axes[0][0].set_ylabel("training loss (global model)")
    axes[1][0].set_ylabel("test accuracy %")
    axes[0][0].legend(fontsize=8)
    fig.suptitle("FedProx on Synthetic(1,1): mean over seeds, band from the lowest to the highest seed")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def render(runs_dir: str, out_dir: str, plots: bool = True) -> list[str]:
    runs = load_study(runs_dir)
    table = summary(runs)
    os.makedirs(out_dir, exist_ok=True)
    write_csv(os.path.join(out_dir, "summary.csv"), table)
    lines = ["# FedProx Synthetic(1,1) with stragglers: final values over seeds", "",
             "Generated by `scripts/reproduce.py fedprox_synthetic` from `runs/*.csv`. Mean ± sample std over "
             f"seeds (n seeds); verdicts on the seed means, provisional below {SEEDS_REQUIRED} seeds.", ""]
    if not table.empty:
        lines += table_lines(table) + [""] + checks(table, runs)
    with open(os.path.join(out_dir, "table.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if plots and runs:
        plot(runs, os.path.join(out_dir, "fig1.png"))
    return lines
