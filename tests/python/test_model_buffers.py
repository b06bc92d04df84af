"""model.buffers with a TorchScript model that has BatchNorm running statistics (exported here by
scripts/export_model.py), trained for 2 rounds on 2 ranks by the real binary: `average` aggregates the
buffers like parameters, `local` never does, so the global model keeps the initial statistics."""
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

from conftest import _env

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The exported cnn_batchnorm's buffers, in registration order: BatchNorm2d(16) then BatchNorm2d(32),
# each running_mean (zeros), running_var (ones), num_batches_tracked (0).
INITIAL = np.concatenate([np.zeros(16), np.ones(16), [0], np.zeros(32), np.ones(32), [0]]).astype(np.float32)


@pytest.fixture(scope="module")
def runs():
    out = os.path.join(_env("FEDHPC_TEST_OUT"), "model_buffers")
    os.makedirs(out, exist_ok=True)
    model = os.path.join(out, "cnn_batchnorm.pt")
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "export_model.py"), "cnn_batchnorm", model],
                   check=True, capture_output=True)
    files = {}
    for policy in ("average", "local"):
        files[policy] = os.path.join(out, f"{policy}.h5")
        cmd = [_env("MPIEXEC"), "-n", "2", *os.environ.get("MPIEXEC_FLAGS", "").split(), _env("FEDHPC_BIN"), "run",
               os.path.join(_env("FEDHPC_FIXTURES"), "good", "fmnist_torchscript.yaml"), f"model.torchscript={model}",
               f"model.buffers={policy}", "train.rounds=2", "output.overwrite=true", "output.progress=false",
               f"output.file={files[policy]}"]
        subprocess.run(cmd, check=True)
    return files


def test_local_buffers_stay_initial_and_averaged_ones_move(runs):
    with h5py.File(runs["local"], "r") as f:
        assert np.array_equal(f["model/final"][-INITIAL.size:], INITIAL)
        assert "98 of them buffers, kept local by each client" in f.attrs["model"]
    with h5py.File(runs["average"], "r") as f:
        final = f["model/final"][-INITIAL.size:]
        assert not np.array_equal(final, INITIAL)
        assert final[32] == 2 * 5  # num_batches_tracked: 5 local steps a round, 2 rounds, averaged
        assert "averaged like parameters" in f.attrs["model"]
