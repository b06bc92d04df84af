#!/usr/bin/python3
"""fedhpc's per-client overhead, in one run. The workload
(logreg_1000.yaml: 1,000 Fashion-MNIST clients of 60 samples, logreg, E=1,
B=10, all selected) three ways, interleaved --repeats times:
  bare:    build/benchmarks/train_bench -c 1000: the bare LibTorch loop over
           1,000 clients in a row on one thread (the sum of bare training times)
  fedhpc:  `fedhpc run` on P ranks: median wall seconds of rounds 2..R
  python:  python_baseline.py (PyTorch + mpi4py) on P ranks, the same rounds
  grouped: `fedhpc run` with runtime.client_batch=K for each K of --client-batch
           other than 1 (GroupTrainer: K clients per stacked step)
Printed: seconds per round of each (medians over repeats), fedhpc's overhead
over bare on 1 rank (target <= 10%), and python/fedhpc per rank count and K (target >= 3),
each ratio the median of per-repeat ratios. Separate processes run seconds
apart, and this kind of VM drifts by tens of percent over seconds, so the same
run also measures the harness from the inside: each round's time on each rank
(less its wait for the other ranks) against the sum of its clients' own training times (LocalTrainer::train,
which train_bench shows at the speed of the bare loop), from /timings and /clients.

    benchmarks/overhead/overhead.py [--ranks 1,2] [--repeats 3] [--rounds 8] [--client-batch 1,25]
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


def in_run_overhead(run):
    """Median over rounds 2..R of the largest, over ranks, of (the rank's round
    minus its evaluation and its wait for the other ranks) / (the sum of its
    clients' training wall seconds) - 1. The wait is load imbalance: with equal
    clients dealt evenly, it is the machine's noise, reported by the scaling
    benchmark, not per-client cost."""
    t = run.timings[run.timings["round"] > 1]
    c = run.clients[(run.clients["round"] > 1) & (run.clients["rank"] >= 0)]
    trained = c.groupby(["round", "rank"])["wall_seconds"].sum()
    per = t.set_index(["round", "rank"])
    ratio = (per["round_seconds"] - per["eval_seconds"] - per["wait_seconds"]) / trained - 1.0
    return float(ratio.groupby(level="round").max().median())


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--ranks", default="1,2")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--out", default="results/benchmarks")
    p.add_argument("--mpirun", default="mpirun")
    p.add_argument("--client-batch", default="1,25", help="runtime.client_batch values; 1 is one client at a time")
    args = p.parse_args(argv)
    ranks = [int(r) for r in args.ranks.split(",")]
    groups = [int(k) for k in args.client_batch.split(",")]
    def name(r, k):
        return f"fedhpc_p{r}" if k == 1 else f"fedhpc_p{r}_k{k}"
    os.makedirs(args.out, exist_ok=True)
    from fedhpc_analysis.load import load_run
    fedhpc = os.path.join(ROOT, "build", "fedhpc")
    bench = os.path.join(ROOT, "build", "benchmarks", "train_bench")
    scenario = os.path.join(HERE, "logreg_1000.yaml")
    times, inside = {"bare": []}, {}
    for r in ranks:
        for k in groups:
            times[name(r, k)] = []
        times[f"python_p{r}"] = []
    for k in range(args.repeats):
        times["bare"].append(field(run([bench, "-m", "logreg", "-B", "10", "-s", "60", "-c", "1000", "-n", "3"]),
                                   "seconds"))
        for r in ranks:
            for g in groups:
                path = os.path.join(args.out, f"{name(r, g)}.h5")
                run([args.mpirun, "-n", str(r), fedhpc, "run", scenario, f"train.rounds={args.rounds}",
                     f"runtime.client_batch={g}", f"output.file={path}"])
                run_ = load_run(path, clients=True)
                times[name(r, g)].append(float(round_seconds(run_.rounds)["seconds"].median()))
                if g == 1:
                    inside.setdefault(r, []).append(in_run_overhead(run_))
            out = run([args.mpirun, "-n", str(r), "/usr/bin/python3", os.path.join(HERE, "python_baseline.py"),
                       "--rounds", str(args.rounds)])
            times[f"python_p{r}"].append(field(out, "seconds_per_round"))
        print(f"overhead: repeat {k + 1}: " + ", ".join(f"{n} {v[-1]:.3f} s" for n, v in times.items()), flush=True)
    med = {n: statistics.median(v) for n, v in times.items()}
    print("| what | s/round (median of repeats) |\n|---|---|")
    for n, v in med.items():
        print(f"| {n} | {v:.4f} |")
    def ratio(a, b):
        return statistics.median(x / y for x, y in zip(times[a], times[b]))
    if 1 in ranks and 1 in groups:
        print(f"FEDHPC_RESULT benchmark=overhead harness_overhead_p1={ratio('fedhpc_p1', 'bare') - 1.0:.4f} "
              "(target <= 0.10; separate processes)")
    for r in ranks:
        if 1 in groups:
            print(f"FEDHPC_RESULT benchmark=overhead ranks={r} in_run_overhead={statistics.median(inside[r]):.4f} "
                  "(round outside its clients' training, same process)")
        for g in groups:
            print(f"FEDHPC_RESULT benchmark=overhead ranks={r} client_batch={g} "
                  f"python_over_fedhpc={ratio(f'python_p{r}', name(r, g)):.3f} (target >= 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
