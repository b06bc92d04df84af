"""scripts/pyproject.toml: `pip install -e scripts/` in a fresh virtual
environment makes fedhpc_analysis importable from anywhere (users with their
own Python); nothing is fetched (the environment sees Debian's packages)."""
import os
import subprocess
import sys

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts")


def test_pip_install_editable(tmp_path, runs_dir):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-deps", "--no-index", "-e",
                    SCRIPTS], check=True, cwd=tmp_path)
    out = subprocess.run([python, "-c", "import sys, fedhpc_analysis as f; r = f.load_run(sys.argv[1]); "
                          "print(r.name, len(r.rounds))", os.path.join(runs_dir, "fedavg_s1.h5")],
                         check=True, capture_output=True, text=True, cwd=tmp_path).stdout
    assert out.split() == ["fedavg", "8"]
