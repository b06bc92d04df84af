"""packaging/: the Spack recipe and the Apptainer definition, checked against
the project they build. Neither Spack nor Apptainer exists on the test
machines, so these tests read the recipes and hold them to the facts they
depend on: the CMake options they set exist, the files they copy exist, the
packages they install are the ones the tested set-up installs, their shell
parses. (packaging/apptainer/build_in_chroot.sh runs the definition for real.)"""
import glob
import importlib.util
import os
import re
import subprocess
import sys
import types

import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SPACK_RECIPE = os.path.join(ROOT, "packaging", "spack", "packages", "fedhpc", "package.py")
APPTAINER_DEF = os.path.join(ROOT, "packaging", "apptainer", "fedhpc.def")


def cmake_cache_names():
    """Every option() and CACHE variable any CMakeLists.txt of the project declares."""
    names = set()
    for path in glob.glob(os.path.join(ROOT, "**", "CMakeLists.txt"), recursive=True):
        if os.path.relpath(path, ROOT).split(os.sep)[0].startswith("build"):
            continue  # build folders hold copies (e.g. fetched dependencies)
        text = open(path).read()
        names.update(re.findall(r"\boption\(\s*(\w+)", text))
        names.update(re.findall(r"\bset\(\s*(\w+)\s[^)]*\bCACHE\b", text))
    return names


def setup_packages():
    """The Debian packages scripts/setup.sh installs (its packages=( ... ) list)."""
    text = open(os.path.join(ROOT, "scripts", "setup.sh")).read()
    body = re.search(r"^packages=\((.*?)^\)", text, re.S | re.M).group(1)
    return {word for line in body.splitlines() for word in line.split("#")[0].split()}


# ---- Spack ----------------------------------------------------------------

class Recorder:
    """Stands in for spack.package: records the directives the recipe calls."""

    def __init__(self):
        self.depends, self.variants, self.versions = [], {}, []
        self.whens = []

    def module(self):
        rec = self
        mod = types.ModuleType("spack.package")

        class CMakePackage:
            run_tests = False

            def define(self, name, value):
                if isinstance(value, bool):
                    value = "ON" if value else "OFF"
                return f"-D{name}={value}"

        class when:  # the context-manager form: `with when("+x"):`
            def __init__(self, condition):
                self.condition = condition

            def __enter__(self):
                rec.whens.append(self.condition)

            def __exit__(self, *exc):
                rec.whens.pop()

        def depends_on(spec, when=None, type=None):
            rec.depends.append((spec, when or (rec.whens[-1] if rec.whens else None), type))

        class CudaPackage:  # Spack's mixin: the cuda variant and the cuda_arch values
            cuda_arch_values = ("70", "80", "90")

        mod.CMakePackage = CMakePackage
        mod.CudaPackage = CudaPackage
        mod.when = when
        mod.depends_on = depends_on
        mod.variant = lambda name, default=None, description="": rec.variants.__setitem__(name, default)
        mod.version = lambda name, **kw: rec.versions.append(name)
        mod.__all__ = ["CMakePackage", "CudaPackage", "when", "depends_on", "variant", "version"]
        return mod


@pytest.fixture()
def spack_recipe(monkeypatch):
    rec = Recorder()
    spack = types.ModuleType("spack")
    monkeypatch.setitem(sys.modules, "spack", spack)
    monkeypatch.setitem(sys.modules, "spack.package", rec.module())
    spec = importlib.util.spec_from_file_location("fedhpc_spack_recipe", SPACK_RECIPE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return rec, module.Fedhpc


class FakeSpec:
    def __init__(self, variants):
        self.variants = variants

    def satisfies(self, constraint):
        return self.variants.get(constraint.lstrip("+~"), False) == constraint.startswith("+")

    def __getitem__(self, name):
        return types.SimpleNamespace(command=types.SimpleNamespace(path=f"/spack/{name}/bin/{name}"))


def test_spack_recipe_depends_on_the_stack(spack_recipe):
    rec, _ = spack_recipe
    names = {re.match(r"[\w-]+", spec).group(0) for spec, _, _ in rec.depends}
    assert {"py-torch", "mpi", "hdf5", "fmt", "yaml-cpp", "googletest", "cmake", "zlib-api"} <= names
    # PyTorch is built for the GPUs fedhpc is built for, and without CUDA when fedhpc is.
    assert ("py-torch+cuda cuda_arch=90", "+cuda cuda_arch=90", None) in rec.depends
    assert ("py-torch~cuda", "~cuda", None) in rec.depends
    # The test suite (--test=root) gets GoogleTest, pytest and the analysis packages.
    tests = {spec for spec, when, kind in rec.depends if kind == "test"}
    assert {"googletest", "py-pytest", "py-h5py", "py-pandas", "py-scipy"} <= tests
    assert ("py-h5py", "+analysis", "run") in rec.depends
    assert rec.versions == ["main"]
    assert rec.variants == {"analysis": True}


@pytest.mark.parametrize("analysis", [True, False])
@pytest.mark.parametrize("run_tests", [True, False])
def test_spack_recipe_sets_only_options_cmake_declares(spack_recipe, analysis, run_tests):
    _, Fedhpc = spack_recipe
    package = Fedhpc()
    package.spec = FakeSpec({"analysis": analysis, "cuda": False})
    package.run_tests = run_tests
    args = package.cmake_args()
    defined = dict(re.match(r"-D(\w+)=(.*)", a).groups() for a in args)
    assert set(defined) <= cmake_cache_names()
    assert defined["FEDHPC_BUILD_TESTS"] == ("ON" if run_tests else "OFF")
    assert defined["FEDHPC_BUILD_BENCHMARKS"] == "OFF"
    assert ("FEDHPC_PYTHON" in defined) == (analysis or run_tests)


def test_spack_repository_names_its_namespace():
    text = open(os.path.join(ROOT, "packaging", "spack", "repo.yaml")).read()
    assert re.search(r"^repo:\s*\n\s+namespace:\s*fedhpc\s*$", text, re.M)


# ---- Apptainer ------------------------------------------------------------

def apptainer_sections():
    header, sections, current = [], {}, None
    for line in open(APPTAINER_DEF).read().splitlines():
        match = re.match(r"^%(\w+)\s*$", line)
        if match:
            current = match.group(1)
            sections[current] = []
        elif current is None:
            header.append(line)
        elif not line.strip().startswith("#"):
            sections[current].append(line)
    return header, {k: "\n".join(v) for k, v in sections.items()}


def test_apptainer_definition_starts_from_debian_12():
    header, sections = apptainer_sections()
    fields = dict(line.split(":", 1) for line in header if re.match(r"^\w+:", line))
    assert fields["Bootstrap"].strip() == "docker" and fields["From"].strip() == "debian:12"
    assert {"files", "post", "environment", "runscript", "test", "arguments"} <= set(sections)


def test_apptainer_files_exist_and_cover_what_the_build_installs():
    _, sections = apptainer_sections()
    sources = [line.split()[0] for line in sections["files"].splitlines() if line.strip()]
    for source in sources:
        assert os.path.exists(os.path.join(ROOT, source)), source
    # What the top-level CMakeLists.txt builds and installs must be copied in
    # (data/ is OPTIONAL there: the image's %post fetches it).
    cmake = open(os.path.join(ROOT, "CMakeLists.txt")).read()
    needed = set(re.findall(r"add_subdirectory\((src)\)", cmake))
    for call in re.findall(r"install\((?:DIRECTORY|FILES|PROGRAMS)\s+([^)]*)\)", cmake):
        if "OPTIONAL" in call:
            continue
        paths = call.split("DESTINATION")[0].split()
        needed.update(p.strip("/").split("/")[0] for p in paths)
    assert needed <= {s.split("/")[0] for s in sources}
    assert {"src", "scenarios", "slurm", "scripts", "docs", "README.md"} <= needed


def test_apptainer_installs_only_packages_the_setup_installs():
    _, sections = apptainer_sections()
    post = sections["post"].replace("\\\n", " ")
    command = re.search(r"apt-get install ([^\n]*)", post).group(1)
    packages = {w for w in command.split() if not w.startswith("-")}
    assert {"libtorch-dev", "libopenmpi-dev", "libhdf5-dev", "dataset-fashion-mnist", "npm"} <= packages
    assert packages <= setup_packages() | {"npm"}  # setup.sh adds npm only where it is missing


def test_apptainer_cmake_options_exist_and_arguments_have_defaults():
    _, sections = apptainer_sections()
    options = set(re.findall(r"-D(\w+)=", sections["post"]))
    assert {"FEDHPC_BUILD_TESTS", "FEDHPC_GIT_COMMIT"} <= options
    assert options - {"CMAKE_BUILD_TYPE"} <= cmake_cache_names()
    defaults = {line.split("=")[0].strip() for line in sections["arguments"].splitlines() if "=" in line}
    used = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", open(APPTAINER_DEF).read()))
    assert used and used <= defaults


@pytest.mark.parametrize("name", ["post", "environment", "runscript", "test"])
def test_apptainer_scripts_parse_as_posix_sh(name):
    _, sections = apptainer_sections()
    script = re.sub(r"\{\{\s*\w+\s*\}\}", "x", sections[name])
    result = subprocess.run(["sh", "-n"], input=script, text=True, capture_output=True)
    assert result.returncode == 0, result.stderr
