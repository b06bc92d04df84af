#!/usr/bin/env python3
"""Fails when a document names a repository file that does not exist.

Every `backticked` token that looks like a path under src/, tests/, scripts/,
docs/, benchmarks/, results/, slurm/ or packaging/ must exist (a trailing ':line' or '*' glob is
allowed). Placeholders contain 'my_' (a file a recipe asks for), '<' or '{'.

    doc_paths.py REPO DOC...
"""
import pathlib
import re
import sys

PATH = re.compile(r"`((?:src|tests|scripts|docs|benchmarks|results|slurm|packaging)/[^`\s]+)`")


def main(argv):
    repo = pathlib.Path(argv[1])
    missing = []
    for doc in argv[2:]:
        text = (repo / doc).read_text()
        for lineno, line in enumerate(text.splitlines(), 1):
            for m in PATH.finditer(line):
                path = m.group(1).split(":")[0].rstrip(".,")
                if "my_" in path or "<" in path or "{" in path:
                    continue
                if "*" in path:
                    ok = any(repo.glob(path))
                else:
                    ok = (repo / path).exists()
                if not ok:
                    missing.append(f"{doc}:{lineno}: `{path}` does not exist")
    for m in missing:
        print(m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
