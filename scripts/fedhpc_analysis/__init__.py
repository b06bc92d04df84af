"""Reading and plotting fedhpc results files (src/metrics/SCHEMA.md).

Uses only Debian's python3-h5py, -numpy, -pandas and -matplotlib; run it with
/usr/bin/python3 (the first python3 on PATH may not see Debian's packages).

    from fedhpc_analysis import load_runs, rounds_to_target
    runs = load_runs(["results/a.h5", "results/b.h5"])
    runs.rounds            # one DataFrame, a row per (file, round)
    rounds_to_target(runs.rounds, 0.85)
"""
from .load import Run, Runs, load_run, load_runs
from .tables import rounds_to_target, time_to_target, phase_totals_per_rank
from .plots import plot_accuracy, plot_phases_per_rank, render_all

__all__ = ["Run", "Runs", "load_run", "load_runs", "rounds_to_target", "time_to_target",
           "phase_totals_per_rank", "plot_accuracy", "plot_phases_per_rank", "render_all"]
