#!/usr/bin/python3
"""Re-derive a reproduction study's tables and plots from its committed per-round CSVs.

  /usr/bin/python3 scripts/reproduce.py                    # every study
  /usr/bin/python3 scripts/reproduce.py niid_bench         # one: results/niid_bench/{summary.csv,table.md,*.png}
  /usr/bin/python3 scripts/reproduce.py --check            # recompute into a temporary folder and compare
                                                           # with the committed summary.csv and table.md

Input: results/<study>/runs/<name>_s<seed>.{csv,json}, written by scripts/export_run.py when a run
finishes. Nothing is rerun and no results file (.h5) is read. --check exits 1 and prints the
difference when a committed table no longer follows from the committed runs.
"""
import argparse
import difflib
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fedhpc_analysis import fedprox_synthetic, mcmahan, niid_bench, privacy, robustness  # noqa: E402

STUDIES = {"niid_bench": niid_bench, "fedprox_synthetic": fedprox_synthetic, "robustness": robustness,
           "privacy": privacy, "mcmahan": mcmahan}
GENERATED = ["summary.csv", "table.md"]  # compared by --check; plots are regenerated, not compared


def check(name, module, results):
    folder = os.path.join(results, name)
    with tempfile.TemporaryDirectory() as tmp:
        module.render(os.path.join(folder, "runs"), tmp, plots=False)
        same = True
        for file in GENERATED:
            committed_path = os.path.join(folder, file)
            committed = open(committed_path).read().splitlines(True) if os.path.exists(committed_path) else []
            fresh = open(os.path.join(tmp, file)).read().splitlines(True)
            if committed != fresh:
                same = False
                sys.stdout.writelines(difflib.unified_diff(committed, fresh, committed_path, "recomputed"))
        print(f"reproduce: {name}: {'matches its runs' if same else 'DIFFERS from its runs'}")
        return same


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("studies", nargs="*", help=f"any of {', '.join(STUDIES)} (default: all)")
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    ap.add_argument("--results", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results"),
                    help="the results folder (default: the repository's)")
    ap.add_argument("--no-plots", action="store_true")
    args = ap.parse_args()
    unknown = [s for s in args.studies if s not in STUDIES]
    if unknown:
        print(f"reproduce: unknown study {unknown[0]!r}; expected one of {', '.join(STUDIES)}", file=sys.stderr)
        return 2
    ok = True
    for name in args.studies or list(STUDIES):
        module = STUDIES[name]
        if args.check:
            ok &= check(name, module, args.results)
        else:
            lines = module.render(os.path.join(args.results, name, "runs"), os.path.join(args.results, name),
                                  plots=not args.no_plots)
            print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
