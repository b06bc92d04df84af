"""The results file against its documentation (src/metrics/SCHEMA.md), both
ways: everything documented is in a real file with the documented type and
unit, and everything in the file is documented."""
import os
import re

import h5py
import numpy as np
import pytest

SCHEMA = os.path.join(os.path.dirname(__file__), "..", "..", "src", "metrics", "SCHEMA.md")

TYPES = {"int32": np.dtype("<i4"), "uint32": np.dtype("<u4"), "int64": np.dtype("<i8"), "uint64": np.dtype("<u8"),
         "float32": np.dtype("<f4"), "float64": np.dtype("<f8"), "uint8": np.dtype("u1")}


def parse_schema(path=SCHEMA):
    """{object path: {"kind", "attrs": {name: type}, "columns": [(name, type, unit)], "dtype"}}"""
    objects, current, table = {}, None, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"^## (/\S*) \((group|table|array)\)$", line)
        if m:
            current = objects.setdefault(m.group(1), {"kind": m.group(2), "attrs": {}, "columns": [], "dtype": None})
            table = None
            continue
        if current is None:
            continue
        if line.startswith("| attribute |"):
            table = "attrs"
        elif line.startswith("| column |"):
            table = "columns"
        elif line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            name = cells[0].strip("`")
            if table == "attrs":
                current["attrs"][name] = cells[1]
            elif table == "columns":
                current["columns"].append((name, cells[1], cells[2]))
        m = re.match(r"^Type: (\w+), shape", line)
        if m:
            current["dtype"] = m.group(1)
    return objects


def walk_file(path):
    """The same structure, read from a results file."""
    found = {}

    def describe(name, obj):
        kind = "group" if isinstance(obj, h5py.Group) else ("table" if obj.dtype.names else "array")
        found["/" + name if name else "/"] = (kind, obj)

    with h5py.File(path, "r") as f:
        describe("", f)
        f.visititems(describe)
        return {p: (kind, dict(obj.attrs), obj.dtype if kind != "group" else None,
                    obj.attrs.get("units") if kind == "table" else None)
                for p, (kind, obj) in found.items()}


def attr_type_matches(value, documented):
    if documented.startswith("string"):
        return isinstance(value, (str, bytes, np.bytes_)) or (
            isinstance(value, np.ndarray) and value.dtype.kind in "OSU")
    if documented.endswith("[]"):
        return isinstance(value, np.ndarray)
    return np.asarray(value).dtype == TYPES[documented]


@pytest.fixture(scope="module")
def schema():
    return parse_schema()


def test_the_schema_document_parses(schema):
    assert {"/", "/rounds", "/clients", "/timings", "/checkpoints", "/partition", "/model/final",
            "/checkpoint/model"} <= set(schema)
    assert len(schema["/rounds"]["columns"]) == 34
    assert len(schema["/"]["attrs"]) == 36
    assert len(schema["/clients"]["columns"]) == 15


@pytest.mark.parametrize("name", ["fedavg_s1.h5", "fedadam_s1.h5"])
def test_every_object_matches_the_document_both_ways(runs_dir, schema, name):
    found = walk_file(os.path.join(runs_dir, name))
    assert sorted(found) == sorted(schema), "groups and datasets differ from src/metrics/SCHEMA.md"
    problems = []
    for path, (kind, attrs, dtype, units) in found.items():
        doc = schema[path]
        if kind != doc["kind"]:
            problems.append(f"{path}: a {kind}, documented as a {doc['kind']}")
        if set(attrs) != set(doc["attrs"]):
            problems.append(f"{path}: attributes {sorted(attrs)} vs documented {sorted(doc['attrs'])}")
        for a, documented in doc["attrs"].items():
            if a in attrs and not attr_type_matches(attrs[a], documented):
                problems.append(f"{path}@{a}: {attrs[a]!r} is not {documented}")
        if kind == "table":
            names = [c[0] for c in doc["columns"]]
            if list(dtype.names) != names:
                problems.append(f"{path}: columns {list(dtype.names)} vs documented {names}")
            else:
                for (col, typ, unit), file_unit in zip(doc["columns"], units):
                    if dtype[col] != TYPES[typ]:
                        problems.append(f"{path}.{col}: {dtype[col]} vs documented {typ}")
                    if (file_unit.decode() if isinstance(file_unit, bytes) else file_unit) != unit:
                        problems.append(f"{path}.{col}: unit {file_unit!r} vs documented {unit!r}")
        if kind == "array" and dtype != TYPES[doc["dtype"]]:
            problems.append(f"{path}: {dtype} vs documented {doc['dtype']}")
    assert not problems, "\n".join(problems)


def test_a_document_change_is_caught(tmp_path, runs_dir):
    """The comparison can fail: a schema with one column renamed does not match."""
    text = open(SCHEMA, encoding="utf-8").read().replace("| `eval_seconds` | float64 | s | evaluation |",
                                                         "| `evaluation_seconds` | float64 | s | evaluation |")
    altered = tmp_path / "SCHEMA.md"
    altered.write_text(text)
    doc = parse_schema(str(altered))
    found = walk_file(os.path.join(runs_dir, "fedavg_s1.h5"))
    names = [c[0] for c in doc["/rounds"]["columns"]]
    assert list(found["/rounds"][2].names) != names
