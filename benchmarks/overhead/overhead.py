#!/usr/bin/python3
"""Issue 7b: fedhpc's per-client overhead, in one run. The workload
(logreg_1000.yaml: 1,000 Fashion-MNIST clients of 60 samples, logreg, E=1,
B=10, all selected) three ways, interleaved --repeats times:
  bare:    build/benchmarks/train_bench -c 1000: the bare LibTorch loop over
           1,000 clients in a row on one thread (the sum of bare training times)
  fedhpc:  `fedhpc run` on P ranks: median wall seconds of rounds 2..R
  python:  python_baseline.py (PyTorch + mpi4py) on P ranks, the same rounds
Printed: seconds per round of each (medians over repeats), fedhpc's overhead
over bare on 1 rank (target <= 10%), and python/fedhpc per rank count (target >= 3).

    benchmarks/overhead/overhead.py [--ranks 1,2] [--repeats 3] [--rounds 8]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from fedhpc_analysis.scaling import round_seconds  # noqa: E402


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"overhead: {' '.join(cmd)} failed ({out.returncode}):\n{out.stdout}{out.stderr}")
    return out.stdout


def field(text, key):
    m = re.search(rf"\b{key}=([0-9.eE+-]+)", text)
    if not m:
        sys.exit(f"overhead: no {key}= in:\n{text}")
    return float(m.group(1))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--ranks", default="1,2")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--out", default="results/benchmarks")
    p.add_argument("--mpirun", default="mpirun")
    args = p.parse_args(argv)
    ranks = [int(r) for r in args.ranks.split(",")]
    os.makedirs(args.out, exist_ok=True)
    from fedhpc_analysis.load import load_run
    fedhpc = os.path.join(ROOT, "build", "fedhpc")
    bench = os.path.join(ROOT, "build", "benchmarks", "train_bench")
    scenario = os.path.join(HERE, "logreg_1000.yaml")
    times = {"bare": []}
    for r in ranks:
        times[f"fedhpc_p{r}"], times[f"python_p{r}"] = [], []
    for k in range(args.repeats):
        times["bare"].append(field(run([bench, "-m", "logreg", "-B", "10", "-s", "60", "-c", "1000", "-n", "3"]),
                                   "seconds"))
        for r in ranks:
            path = os.path.join(args.out, f"overhead_p{r}.h5")
            run([args.mpirun, "-n", str(r), fedhpc, "run", scenario, f"train.rounds={args.rounds}", f"output.file={path}"])
            times[f"fedhpc_p{r}"].append(float(round_seconds(load_run(path, clients=False).rounds)["seconds"].median()))
            out = run([args.mpirun, "-n", str(r), "/usr/bin/python3", os.path.join(HERE, "python_baseline.py"),
                       "--rounds", str(args.rounds)])
            times[f"python_p{r}"].append(field(out, "seconds_per_round"))
        print(f"overhead: repeat {k + 1}: " + ", ".join(f"{n} {v[-1]:.3f} s" for n, v in times.items()), flush=True)
    med = {n: statistics.median(v) for n, v in times.items()}
    print("| what | s/round (median of repeats) |\n|---|---|")
    for n, v in med.items():
        print(f"| {n} | {v:.4f} |")
    if 1 in ranks:
        over = med["fedhpc_p1"] / med["bare"] - 1.0
        print(f"FEDHPC_RESULT benchmark=overhead harness_overhead_p1={over:.4f} (target <= 0.10)")
    for r in ranks:
        print(f"FEDHPC_RESULT benchmark=overhead ranks={r} python_over_fedhpc={med[f'python_p{r}'] / med[f'fedhpc_p{r}']:.3f} "
              "(target >= 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
