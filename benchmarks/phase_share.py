#!/usr/bin/python3
"""Where a run's rounds go. For one results file:
- the critical path (the target): summed over rounds, rank 0's round plus its
  write against the slowest rank's training plus the slowest evaluation
  (/rounds' maxima); what is left is the harness: collectives, server step,
  broadcast, recording, bookkeeping.
- per rank, from /timings: each phase's share of that rank's round, where
  `wait` is load imbalance (the other ranks still training), not overhead.

    benchmarks/phase_share.py results/quickstart/<file>.h5     # target: outside < 5%
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
from fedhpc_analysis.load import load_run  # noqa: E402
from fedhpc_analysis.tables import phase_totals_per_rank  # noqa: E402


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    run = load_run(argv[0], clients=False)
    t = run.timings
    if t.empty:
        sys.exit(f"{argv[0]}: no /timings (schema < 4)")
    per_rank = phase_totals_per_rank(t)  # every phase and `other`, summed over rounds
    per_rank["total"] = per_rank.sum(axis=1)  # the round plus rank 0's write
    print(f"{argv[0]}: {run.name}, {len(run.rounds)} rounds, {int(run.attrs['n_ranks'])} rank(s)")
    print("| rank | round s | train | eval | wait | reduce | server | broadcast | write | outside train+eval |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for rank, r in per_rank.iterrows():
        share = lambda c: 100.0 * r[c] / r["total"]  # noqa: E731
        outside = 100.0 - share("train_seconds") - share("eval_seconds")
        worst = max(worst, outside)
        print(f"| {rank} | {r['total']:.2f} | " + " | ".join(f"{share(c):.2f}%" for c in (
            "train_seconds", "eval_seconds", "wait_seconds", "reduce_seconds", "server_seconds",
            "broadcast_seconds", "write_seconds")) + f" | {outside:.2f}% |")
    r = run.rounds
    wall = float((r["wall_seconds"] + r["write_seconds"]).sum())
    busy = float((r["train_seconds"] + r["eval_seconds"]).sum())
    outside = 1.0 - busy / wall
    print(f"critical path: {wall:.2f} s of rounds, {busy:.2f} s the slowest training + evaluation, "
          f"{100 * outside:.2f}% outside them; per rank, the most outside (wait included): {worst:.2f}%")
    print(f"FEDHPC_RESULT benchmark=phase_share outside_train_eval={outside:.4f} (target < 0.05) "
          f"worst_rank_incl_wait={worst / 100:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
