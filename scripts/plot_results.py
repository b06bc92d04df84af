#!/usr/bin/python3
"""Renders every plot and table from fedhpc results files.

    /usr/bin/python3 scripts/plot_results.py [FILES, FOLDERS or GLOBS ...] [--out DIR]
        [--target ACC] [--baseline NAME]

Default input: results/ (recursively); default output: results/plots/. Writes
accuracy_vs_round.png, accuracy_vs_simulated_time.png, accuracy_vs_wall_time.png
(one line per run name, seeds as a band), rounds_to_target.md and .csv
(McMahan et al. Table 2 style: rounds to ACC and speedup over the baseline
name), and phases_per_rank_<name>.png (stacked time per phase per rank).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fedhpc_analysis import render_all  # noqa: E402


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="*", default=[os.path.join(root, "results")])
    p.add_argument("--out", default=os.path.join(root, "results", "plots"))
    p.add_argument("--target", type=float, default=None,
                   help="accuracy for the rounds-to-target table (default: the lowest best accuracy of the runs)")
    p.add_argument("--baseline", default=None, help="run name the speedups are relative to (default: the first)")
    args = p.parse_args()
    for path in render_all(args.inputs, args.out, args.target, args.baseline):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
