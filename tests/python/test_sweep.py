"""scripts/sweep's expansion (the cartesian product of swept keys)."""
import os
import subprocess
import sys

SWEEP = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "sweep")
SCENARIO = os.path.join(os.path.dirname(__file__), "..", "..", "scenarios", "quickstart.yaml")


def dry_run(*assignments):
    out = subprocess.run([sys.executable, SWEEP, SCENARIO, *assignments, "--dry-run"], capture_output=True, text=True)
    return out.returncode, out.stdout.splitlines(), out.stderr


def test_cartesian_product_last_key_fastest_fixed_keys_everywhere():
    rc, lines, _ = dry_run("strategy.name=fedavg,fedprox", "seed=1", "train.lr=0.1,0.01")
    assert rc == 0
    assert lines == ["strategy.name=fedavg seed=1 train.lr=0.1", "strategy.name=fedavg seed=1 train.lr=0.01",
                     "strategy.name=fedprox seed=1 train.lr=0.1", "strategy.name=fedprox seed=1 train.lr=0.01"]


def test_escaped_comma_is_a_value():
    rc, lines, _ = dry_run("name=a\\,b,c")
    assert rc == 0 and lines == ["name=a,b", "name=c"]


def test_bad_assignments_are_refused():
    for bad in ("seed", "=3", "seed=1,,2"):
        rc, lines, err = dry_run(bad)
        assert rc != 0 and lines == [] and "sweep:" in err, bad
