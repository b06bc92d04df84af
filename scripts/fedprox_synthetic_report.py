#!/usr/bin/python3
"""Summarise the FedProx Synthetic(1,1) straggler runs (scenarios/fedprox_synthetic/, REPRODUCTION.md T4).

Writes into the output folder:
  summary.csv      one row per run: algorithm, stragglers %, final global training loss and test accuracy
  table.md         the same as a table, with the T4 verdicts (FedProx mu=1 vs FedAvg at 90% stragglers)
  fig1.png         training loss and test accuracy per round, one column per straggler share (Li et al. Fig. 1)

Run with Debian's Python (h5py, numpy, matplotlib):
  /usr/bin/python3 scripts/fedprox_synthetic_report.py results/fedprox_synthetic/*.h5 --out results/fedprox_synthetic
"""
import argparse
import csv
import os
import re

import h5py
import numpy as np

LABELS = {"fedavg": "FedAvg (drops stragglers)", "fedprox_mu0": "FedProx, mu=0", "fedprox_mu1": "FedProx, mu=1"}
STYLE = {"fedavg": ("tab:green", "-"), "fedprox_mu0": ("tab:blue", "--"), "fedprox_mu1": ("tab:red", "-")}


def text(f, key):
    v = f.attrs.get(key, "")
    return v.decode() if isinstance(v, bytes) else str(v)


def load(path):
    with h5py.File(path, "r") as f:
        name = text(f, "name")
        m = re.search(r"fedprox_synthetic_(fedavg|fedprox_mu0|fedprox_mu1)_stragglers(\d+)", name)
        if not m:
            return None
        rounds = f["rounds"][...]
        clients = f["clients"][...]
        return {
            "file": path, "algorithm": m.group(1), "stragglers": int(m.group(2)), "seed": int(f.attrs["seed"]),
            "complete": int(f.attrs.get("complete", 0)), "round": rounds["round"],
            "train_loss": rounds["global_train_loss"], "test_accuracy": rounds["test_accuracy"],
            "kept": rounds["clients_completed"] + rounds["clients_partial"], "selected": rounds["clients_selected"],
            "partial_steps": clients["steps"][clients["status"] == 1], "git_sha": text(f, "git_sha"),
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    runs = [r for r in (load(p) for p in sorted(args.files)) if r is not None]
    os.makedirs(args.out, exist_ok=True)

    rows = []
    for r in sorted(runs, key=lambda r: (r["stragglers"], r["algorithm"])):
        rows.append({
            "algorithm": r["algorithm"], "stragglers_pct": r["stragglers"], "seed": r["seed"],
            "rounds": int(r["round"][-1]), "complete": r["complete"],
            "final_train_loss": float(r["train_loss"][-1]), "final_test_accuracy": float(r["test_accuracy"][-1]),
            "mean_clients_kept": float(np.mean(r["kept"])), "git_sha": r["git_sha"],
        })
    with open(os.path.join(args.out, "summary.csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)

    by = {(r["algorithm"], r["stragglers_pct"]): r for r in rows}
    lines = ["| stragglers | algorithm | rounds | clients kept / round | final training loss | final test accuracy % |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['stragglers_pct']}% | {LABELS[r['algorithm']]} | {r['rounds']} | "
                     f"{r['mean_clients_kept']:.1f} | {r['final_train_loss']:.4f} | {100 * r['final_test_accuracy']:.2f} |")
    verdicts = []
    a, p = by.get(("fedavg", 90)), by.get(("fedprox_mu1", 90))
    if a and p:
        loss_ok = p["final_train_loss"] < a["final_train_loss"]
        gap = 100 * (p["final_test_accuracy"] - a["final_test_accuracy"])
        verdicts.append(f"- 90% stragglers, training loss: FedProx mu=1 {p['final_train_loss']:.4f} vs FedAvg "
                        f"{a['final_train_loss']:.4f}: {'pass' if loss_ok else 'MISS'} (T4: lower)")
        verdicts.append(f"- 90% stragglers, test accuracy: FedProx mu=1 - FedAvg = {gap:+.2f} points: "
                        f"{'pass' if gap >= 10 else 'MISS'} (T4: at least +10)")
    lines += [""] + verdicts
    with open(os.path.join(args.out, "table.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    shares = sorted({r["stragglers"] for r in runs})
    fig, axes = plt.subplots(2, len(shares), figsize=(4.2 * len(shares), 6.5), squeeze=False, sharex=True)
    for col, share in enumerate(shares):
        for r in sorted((r for r in runs if r["stragglers"] == share), key=lambda r: r["algorithm"]):
            color, ls = STYLE[r["algorithm"]]
            axes[0][col].plot(r["round"], r["train_loss"], color=color, ls=ls, label=LABELS[r["algorithm"]])
            axes[1][col].plot(r["round"], 100 * r["test_accuracy"], color=color, ls=ls, label=LABELS[r["algorithm"]])
        axes[0][col].set_title(f"Synthetic(1,1), {share}% stragglers")
        axes[1][col].set_xlabel("round")
    axes[0][0].set_ylabel("training loss (global model)")
    axes[1][0].set_ylabel("test accuracy %")
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(args.out, "fig1.png"), dpi=110)


if __name__ == "__main__":
    main()
