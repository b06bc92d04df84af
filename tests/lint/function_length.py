#!/usr/bin/env python3
"""Fails when a function under src/ is longer than the limit (default 100 lines).

A function is a definition that starts at column 0 (namespace scope, as every
function of src/ is written) with its opening brace at the end of its
signature, and ends at the first line that is a lone '}' at column 0. Lines
are counted from the signature's first line to the closing brace.

    function_length.py SRC_DIR [--limit N] [--list]
"""
import pathlib
import re
import sys

START = re.compile(r"^[A-Za-z_][^;{}]*\)\s*(const\s*)?(override\s*)?(noexcept\s*)?(->\s*[^{]+)?\{\s*$")


def functions(path):
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        # A signature may span lines: join until the '{' that ends it.
        if re.match(r"^[A-Za-z_]", line) and not line.startswith(("namespace", "class ", "struct ", "enum ", "using ",
                                                                   "template", "#", "static_assert")):
            j, text = i, line
            while not text.rstrip().endswith(("{", ";", "}")) and j + 1 < len(lines) and j - i < 6:
                j += 1
                text += " " + lines[j].strip()
            if START.match(text) and "=" not in text.split("(")[0]:
                end = j + 1
                while end < len(lines) and lines[end] != "}":
                    end += 1
                name = text.split("(")[0].split()[-1]
                yield name, i + 1, end - i + 1
                i = end
        i += 1


def main(argv):
    src = pathlib.Path(argv[1])
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else 100
    found = []
    for path in sorted(src.rglob("*.cpp")):
        for name, line, length in functions(path):
            found.append((length, f"{path.relative_to(src.parent)}:{line}", name))
    if "--list" in argv:
        for length, where, name in sorted(found, reverse=True)[:20]:
            print(f"{length:5d}  {where}  {name}")
    long = [f for f in found if f[0] > limit]
    for length, where, name in long:
        print(f"{where}: {name} is {length} lines (limit {limit}): split it into named steps")
    return 1 if long else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
