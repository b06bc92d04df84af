#!/usr/bin/python3
"""Reads every attribute and every dataset of results file A and compares it
with results file B, apart from what the launch decides (start_utc, end_utc,
ompi_mca and the *_seconds columns that are not simulated). Exit 0 when equal; else
prints each difference and exits 1. A file another writer damaged fails
here: an unreadable attribute or dataset is a difference.

    same_file.py A.h5 B.h5
"""
import sys

import h5py
import numpy as np

# Per launch: the clock, and Open MPI's job id, ports and session folder.
WALL_CLOCK_ATTRS = {"start_utc", "end_utc", "ompi_mca"}


def wall_clock_column(name):
    return name.endswith("_seconds") and not name.startswith("sim_")


def read_all(path):
    """{object path: value} for every attribute and dataset, read in full."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            for key in obj.attrs:
                out[f"{name}@{key}"] = obj.attrs[key]
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        for key in f.attrs:
            out[f"/@{key}"] = f.attrs[key]
        f.visititems(visit)
    return out


def comparable(key, value):
    if key.startswith("/@") and key[2:] in WALL_CLOCK_ATTRS:
        return None
    if isinstance(value, np.ndarray) and value.dtype.names:
        kept = [n for n in value.dtype.names if not wall_clock_column(n)]
        return {n: value[n] for n in kept}
    return value


def equal(a, b):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype.kind == "f":
            return a.shape == b.shape and np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()
        return a.shape == b.shape and np.array_equal(a, b)
    return a == b


def main(a_path, b_path):
    try:
        a, b = read_all(a_path), read_all(b_path)
    except Exception as e:  # an unreadable object is the failure this looks for
        print(f"same_file: cannot read every object: {e}")
        return 1
    problems = [f"only in {a_path}: {k}" for k in sorted(a.keys() - b.keys())]
    problems += [f"only in {b_path}: {k}" for k in sorted(b.keys() - a.keys())]
    for key in sorted(a.keys() & b.keys()):
        if not equal(comparable(key, a[key]), comparable(key, b[key])):
            problems.append(f"differs: {key}")
    for p in problems:
        print(f"same_file: {p}")
    print(f"same_file: {len(a)} attributes and datasets read; {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
