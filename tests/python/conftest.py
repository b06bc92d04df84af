"""Real runs for the analysis and schema tests: the fedhpc binary under
mpiexec on the synthetic fixture, results files read back by h5py. ctest
passes the paths (tests/CMakeLists.txt); run by hand with the same variables."""
import os
import subprocess

import pytest


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set (ctest sets it; see tests/CMakeLists.txt)")
    return value


@pytest.fixture(scope="session")
def runs_dir():
    """Three finished 2-rank runs: FedAvg with seeds 1 and 2, FedAdam seed 1."""
    fedhpc, mpiexec = _env("FEDHPC_BIN"), _env("MPIEXEC")
    flags = os.environ.get("MPIEXEC_FLAGS", "").split()
    scenario = os.path.join(_env("FEDHPC_FIXTURES"), "good", "synthetic_mlp.yaml")
    out = os.path.join(_env("FEDHPC_TEST_OUT"), "python")
    os.makedirs(out, exist_ok=True)
    for name, strategy, seed in (("fedavg", "fedavg", 1), ("fedavg", "fedavg", 2), ("fedadam", "fedadam", 1)):
        path = os.path.join(out, f"{name}_s{seed}.h5")
        cmd = [mpiexec, "-n", "2", *flags, fedhpc, "run", scenario, f"name={name}", f"strategy.name={strategy}",
               f"seed={seed}", "train.rounds=8", "output.eval_every=2", "output.checkpoint_every=4",
               "output.progress=false", "output.overwrite=true", f"output.file={path}"]
        subprocess.run(cmd, check=True)
    return out


@pytest.fixture(scope="session")
def attack_run():
    """A finished 2-rank run in which clients 0 and 3 flip the sign of their updates."""
    fedhpc, mpiexec = _env("FEDHPC_BIN"), _env("MPIEXEC")
    flags = os.environ.get("MPIEXEC_FLAGS", "").split()
    scenario = os.path.join(_env("FEDHPC_FIXTURES"), "good", "synthetic_mlp.yaml")
    out = os.path.join(_env("FEDHPC_TEST_OUT"), "python_attack")  # apart from runs_dir's three
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "sign_flip.h5")
    cmd = [mpiexec, "-n", "2", *flags, fedhpc, "run", scenario, "name=sign_flip", "train.rounds=4",
           "scenario.adversaries.attack=sign_flip", "scenario.adversaries.clients=[0, 3]", "output.progress=false",
           "output.overwrite=true", f"output.file={path}"]
    subprocess.run(cmd, check=True)
    return path
