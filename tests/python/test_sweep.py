"""scripts/sweep: the expansion (cartesian product, zipped axes), every line
checked by `fedhpc validate` (a key that does not apply is dropped, anything
else invalid stops the sweep with exit 2), runs named by their swept values,
and --local running the lines here."""
import os
import subprocess
import sys

import h5py

SWEEP = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "sweep")
SCENARIO = os.path.join(os.path.dirname(__file__), "..", "..", "scenarios", "quickstart.yaml")


def sweep(*args, env=None):
    out = subprocess.run([sys.executable, SWEEP, *args], capture_output=True, text=True, env=env)
    return out.returncode, out.stdout.splitlines(), out.stderr


def dry_run(*assignments):
    return sweep(SCENARIO, *assignments, "--dry-run")


def test_cartesian_product_last_key_fastest_fixed_keys_everywhere():
    rc, lines, _ = dry_run("strategy.name=fedavg,fedprox", "seed=1", "train.lr=0.1,0.01")
    assert rc == 0
    assert lines == [
        "name=quickstart_strategy.name=fedavg_train.lr=0.1 strategy.name=fedavg seed=1 train.lr=0.1",
        "name=quickstart_strategy.name=fedavg_train.lr=0.01 strategy.name=fedavg seed=1 train.lr=0.01",
        "name=quickstart_strategy.name=fedprox_train.lr=0.1 strategy.name=fedprox seed=1 train.lr=0.1",
        "name=quickstart_strategy.name=fedprox_train.lr=0.01 strategy.name=fedprox seed=1 train.lr=0.01"]


def test_escaped_comma_is_a_value_and_a_swept_name_is_kept():
    rc, lines, _ = dry_run("name=a\\,b,c")
    assert rc == 0 and lines == ["name=a,b", "name=c"]


def test_bad_assignments_are_refused():
    for bad in ("seed", "=3", "seed=1,,2"):
        rc, lines, err = dry_run(bad)
        assert rc != 0 and lines == [] and "sweep:" in err, bad


def test_an_unknown_key_stops_the_sweep_naming_it():
    rc, lines, err = dry_run("train.roundz=3,5")
    assert rc == 2 and lines == []
    assert "invalid combination train.roundz=3" in err and "train.roundz: unknown key" in err


def test_a_key_that_does_not_apply_is_dropped_from_that_combination():
    rc, lines, _ = dry_run("strategy.name=fedavg,fedprox", "strategy.mu=0.01,0.1")
    assert rc == 0
    assert lines == ["name=quickstart_strategy.name=fedavg strategy.name=fedavg",
                     "name=quickstart_strategy.name=fedprox_strategy.mu=0.01 strategy.name=fedprox strategy.mu=0.01",
                     "name=quickstart_strategy.name=fedprox_strategy.mu=0.1 strategy.name=fedprox strategy.mu=0.1"]


def test_zipped_keys_vary_together():
    rc, lines, _ = sweep(SCENARIO, "seed=1,2", "--zip", "strategy.name=fedprox,fednova", "strategy.mu=0.1,0.2",
                         "--dry-run")
    assert rc == 0
    assert [line.split()[0] for line in lines] == [
        "name=quickstart_seed=1_strategy.name=fedprox_strategy.mu=0.1",
        "name=quickstart_seed=1_strategy.name=fednova_strategy.mu=0.2",
        "name=quickstart_seed=2_strategy.name=fedprox_strategy.mu=0.1",
        "name=quickstart_seed=2_strategy.name=fednova_strategy.mu=0.2"]
    rc, _, err = sweep(SCENARIO, "--zip", "strategy.name=fedprox,fednova", "strategy.mu=0.1", "--dry-run")
    assert rc != 0 and "--zip keys need as many values each" in err


def test_skip_invalid_lists_what_it_skips():
    rc, lines, err = dry_run("train.lr=0.1,-1", "--skip-invalid")
    assert rc == 0 and lines == ["name=quickstart_train.lr=0.1 train.lr=0.1"]
    assert "skipping train.lr=-1" in err


def test_local_runs_each_line_with_a_name_from_its_swept_values(tmp_path):
    scenario = os.path.join(os.environ["FEDHPC_FIXTURES"], "good", "synthetic_logreg.yaml")
    env = dict(os.environ, RUN_ROOT=str(tmp_path / "runs"))
    rc, out, err = sweep(scenario, "seed=1,2", "train.lr=0.1,0.05", "train.rounds=2", "output.progress=false",
                         "--local", "-j", "2", "--lines-file", str(tmp_path / "lines.txt"), env=env)
    assert rc == 0, (out, err)
    folder = tmp_path / "runs" / "lines"
    files = sorted(p.name for p in folder.glob("*.h5"))
    assert files == ["synthetic_logreg_seed=1_train.lr=0.05.h5", "synthetic_logreg_seed=1_train.lr=0.1.h5",
                     "synthetic_logreg_seed=2_train.lr=0.05.h5", "synthetic_logreg_seed=2_train.lr=0.1.h5"]
    for name in files:
        with h5py.File(folder / name, "r") as f:
            config = f.attrs["config_yaml"]
            assert f'name: "{name[:-3]}"' in config and len(f["rounds"]) == 2
            seed, lr = name[:-3].split("_seed=")[1].split("_train.lr=")
            assert f"seed: {seed}" in config and f"lr: {lr}" in config
    assert (tmp_path / "lines.txt.names.tsv").read_text().splitlines()[0] == \
        "synthetic_logreg_seed=1_train.lr=0.1\tseed=1 train.lr=0.1"
