#!/usr/bin/python3
"""Strong or weak scaling series of fedhpc runs, with their table and plot.

    benchmarks/scaling/scaling.py strong|weak --ranks 1,2,4,8,16 --out DIR [options] [key=value ...]

One `fedhpc run` per rank count and repeat (results file
DIR/<mode>-p<P>-r<K>.h5; repeats interleave the rank counts, so a drift in the
machine's speed touches every rank count alike), then
DIR/<mode>.md (Markdown table with the machine and the commands), DIR/<mode>.csv
and DIR/<mode>.png. strong: the cohort is fixed (--cohort, default 160
clients per round) for every rank count. weak: the cohort grows with the ranks
(--clients-per-rank, default 10, per round). Definitions (seconds per round,
speedup, efficiency, Karp-Flatt) are in scripts/fedhpc_analysis/scaling.py.

The launcher is a command line with {ranks} in it: by default
`$MPIEXEC -n {ranks} $MPIEXEC_FLAGS` (scripts/env.sh sets MPIEXEC), or, inside
a Slurm allocation, e.g. --launcher 'srun --mpi=pmix -n {ranks}'
(slurm/scaling.sbatch does that). --table-only rebuilds the table and the plot
from the files already in DIR. Run it under /usr/bin/python3 (Debian's
h5py, pandas, matplotlib).
"""
import argparse
import datetime
import os
import platform
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from fedhpc_analysis.scaling import plot_scaling, scaling_markdown, scaling_table_from_files  # noqa: E402


def rank_list(text):
    try:
        ranks = [int(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected rank counts like 1,2,4, found '{text}'")
    if not ranks or min(ranks) < 1 or len(set(ranks)) != len(ranks):
        raise argparse.ArgumentTypeError(f"expected distinct positive rank counts, found '{text}'")
    return sorted(ranks)


def default_launcher():
    mpiexec = os.environ.get("MPIEXEC", "mpirun")
    return f"{mpiexec} -n {{ranks}} {os.environ.get('MPIEXEC_FLAGS', '')}".strip()


def short(path):
    """path relative to the working directory when it lies below it, so the
    recorded commands read as typed from the repository root."""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else path


def run_command(args, ranks, repeat):
    cohort = args.cohort if args.mode == "strong" else args.clients_per_rank * ranks
    out = os.path.join(args.out, f"{args.mode}-p{ranks}-r{repeat}.h5")
    cmd = shlex.split(args.launcher.format(ranks=ranks)) + [
        short(args.fedhpc), "run", short(args.scenario), f"strategy.clients_per_round={cohort}",
        f"output.file={out}", "output.overwrite=true", *args.overrides, "--expect-ranks", str(ranks)]
    return cmd, out


def machine_lines(files):
    """Where and when: the runs' own start times and hosts (from the files),
    and this machine as the table was made."""
    import h5py
    attrs = []
    for path in (files[0], files[-1]):
        with h5py.File(path, "r") as f:
            text = {k: f.attrs[k] for k in ("start_utc", "hosts", "device", "git_sha") if k in f.attrs}
            text = {k: (v.decode().rstrip("\0") if isinstance(v, bytes) else str(v)) for k, v in text.items()}
            if int(f.attrs.get("git_dirty", 0)):
                text["git_sha"] = text.get("git_sha", "?") + " (modified)"
            attrs.append(text)
    cores = os.cpu_count()
    lines = [f"- runs: {attrs[0].get('start_utc', '?')} to {attrs[1].get('start_utc', '?')} on "
             f"{attrs[0].get('hosts', '?')}, {attrs[0].get('device', '?')}, fedhpc {attrs[0].get('git_sha', '?')}",
             f"- tabulated: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
             f"- host: {platform.node()} ({platform.machine()}, {cores} logical CPUs visible)"]
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
        if model:
            lines.append(f"- CPU: {model}")
    except OSError:
        pass
    if os.environ.get("SLURM_JOB_ID"):
        lines.append(f"- Slurm job {os.environ['SLURM_JOB_ID']} on {os.environ.get('SLURM_JOB_NODELIST', '?')}")
    return lines


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("mode", choices=["strong", "weak"])
    p.add_argument("overrides", nargs="*", metavar="key=value", help="passed to every fedhpc run")
    p.add_argument("--ranks", type=rank_list, default=[1, 2], help="rank counts, e.g. 1,2,4,8,16 (default 1,2)")
    p.add_argument("--out", required=True, help="folder for the results files, the table and the plot")
    p.add_argument("--scenario", default=os.path.join(HERE, "cnn_simple.yaml"))
    p.add_argument("--cohort", type=int, default=160, help="strong: clients per round (default 160)")
    p.add_argument("--clients-per-rank", type=int, default=10, help="weak: clients per rank per round (default 10)")
    p.add_argument("--repeats", type=int, default=1, help="runs per rank count, pooled (default 1)")
    p.add_argument("--launcher", default=default_launcher(), help="command line with {ranks}")
    p.add_argument("--fedhpc", default=os.environ.get("FEDHPC_BIN", os.path.join(ROOT, "build", "fedhpc")))
    p.add_argument("--table-only", action="store_true", help="do not run; tabulate DIR's files")
    p.add_argument("--title", default=None)
    args = p.parse_intermixed_args(argv)  # overrides may follow the options
    bad = [o for o in args.overrides if "=" not in o or o.startswith("=")]
    if bad:
        p.error(f"overrides must be key=value, found {bad[0]!r}")
    if args.repeats < 1 or args.cohort < 1 or args.clients_per_rank < 1:
        p.error("--repeats, --cohort and --clients-per-rank must be at least 1")
    if "{ranks}" not in args.launcher:
        p.error(f"--launcher must contain {{ranks}}, found {args.launcher!r}")
    os.makedirs(args.out, exist_ok=True)

    commands, files = [], []
    for repeat, ranks in [(k, p) for k in range(1, args.repeats + 1) for p in args.ranks]:
        cmd, out = run_command(args, ranks, repeat)
        commands.append(shlex.join(cmd))
        files.append(out)
        if args.table_only:
            continue
        print(f"scaling: {args.mode} p={ranks} repeat {repeat}: {commands[-1]}", flush=True)
        start = time.monotonic()
        env = dict(os.environ)
        if "SLURM_NTASKS" in env:
            # Inside an allocation the series runs smaller worlds on purpose:
            # srun -n P sets SLURM_NTASKS=P for its step; mpirun does not.
            env["SLURM_NTASKS"] = str(ranks)
        done = subprocess.run(cmd, env=env)
        if done.returncode != 0:
            print(f"scaling: the run on {ranks} rank(s) failed (exit {done.returncode})", file=sys.stderr)
            return done.returncode
        print(f"scaling: p={ranks} took {time.monotonic() - start:.1f} s", flush=True)

    table = scaling_table_from_files(files, args.mode)
    stem = os.path.join(args.out, args.mode)
    table.to_csv(stem + ".csv", index=False)
    title = args.title or f"{args.mode} scaling, {os.path.basename(args.scenario)}"
    plot_scaling(table, stem + ".png", title)
    what = (f"fixed cohort of {args.cohort} clients per round" if args.mode == "strong"
            else f"{args.clients_per_rank} clients per rank per round")
    what += f", {args.repeats} run(s) per rank count, interleaved"
    with open(stem + ".md", "w") as f:
        f.write(f"# {title}\n\n{what}; seconds per round = median over rounds 2..R of wall minus evaluation "
                f"seconds, pooled over the runs (see scripts/fedhpc_analysis/scaling.py).\n\n")
        f.write("\n".join(machine_lines(files)) + "\n\n")
        f.write(scaling_markdown(table))
        f.write("\nCommands:\n\n```\n" + "\n".join(commands) + "\n```\n")
    print(scaling_markdown(table), end="")
    last = table.iloc[-1]
    # One parseable line for ReFrame/JUBE-style drivers.
    print(f"FEDHPC_RESULT scaling={args.mode} ranks={int(last['ranks'])} "
          f"seconds_per_round={last['seconds_per_round']:.6f} speedup={last['speedup']:.4f} "
          f"efficiency={last['efficiency']:.4f} table={stem}.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
