# fedhpc as a Spack package. It has no release archive and no public
# repository yet, so Spack builds a checkout (the version is only a label):
#
#   spack repo add packaging/spack
#   spack dev-build fedhpc@=main                  # from the repository root
#
# or, in an environment that keeps the dependencies for later builds:
#
#   spack env create fedhpc && spack env activate fedhpc
#   spack add fedhpc@=main +cuda cuda_arch=90 ^openmpi
#   spack develop --path $PWD fedhpc@=main
#   spack install && spack load fedhpc
#
# It needs Spack 0.23 or later (the c and cxx language dependencies). Without
# a homepage and a git URL, `spack audit packages` reports it; both go in when
# the project has a public home.
# LibTorch comes from Spack's py-torch, whose prefix carries the CMake config
# (TorchConfig.cmake) that find_package(Torch) needs.

from spack.package import *

try:  # Spack 1.0 and later keep the build systems in the builtin package repository
    from spack_repo.builtin.build_systems.cmake import CMakePackage
    from spack_repo.builtin.build_systems.cuda import CudaPackage
except ImportError:  # Spack 0.x exports them from spack.package
    pass

# What the analysis scripts import, and what the test suite's Python needs.
ANALYSIS_PYTHON = ("py-h5py", "py-numpy", "py-pandas", "py-matplotlib", "py-pyyaml", "py-scipy")


class Fedhpc(CMakePackage, CudaPackage):
    """Benchmarking federated-learning algorithms on HPC clusters: many virtual
    clients per MPI rank, local training through LibTorch, aggregation as an
    exact fixed-point reduction, every round recorded in HDF5."""

    version("main")

    # +cuda and cuda_arch come from CudaPackage; PyTorch is built for the same GPUs.
    variant("analysis", default=True,
            description="Python packages for the analysis scripts (share/fedhpc/scripts)")

    depends_on("cxx", type="build")
    depends_on("c", type="build")  # FindHDF5 probes the C compiler
    depends_on("cmake@3.20:", type="build")

    depends_on("mpi")  # MPI-3: node-local shared-memory windows for the large reductions
    depends_on("py-torch@1.13:")
    depends_on("py-torch~cuda", when="~cuda")
    for arch in CudaPackage.cuda_arch_values:
        depends_on(f"py-torch+cuda cuda_arch={arch}", when=f"+cuda cuda_arch={arch}")
    depends_on("hdf5@1.10:")
    depends_on("fmt@9:")  # used header-only, so PyTorch's bundled fmt cannot clash at link time
    depends_on("yaml-cpp@0.7:")
    depends_on("zlib-api")  # gzip'd idx files of Fashion-MNIST

    # spack install --test=root builds the suite and runs it: GoogleTest, and
    # pytest with the analysis packages for tests/python.
    depends_on("googletest", type="test")
    depends_on("python@3.9:", type="test")
    depends_on("py-pytest", type="test")
    for name in ANALYSIS_PYTHON:
        depends_on(name, type="test")
    with when("+analysis"):
        depends_on("python@3.9:", type="run")
        for name in ANALYSIS_PYTHON:
            depends_on(name, type="run")

    def cmake_args(self):
        args = [
            self.define("FEDHPC_WITH_TORCH", True),
            self.define("FEDHPC_BUILD_TESTS", self.run_tests),
            self.define("FEDHPC_BUILD_BENCHMARKS", False),
        ]
        if self.run_tests or self.spec.satisfies("+analysis"):
            # The test suite's Python (tests/python) is the one the analysis runs under.
            args.append(self.define("FEDHPC_PYTHON", self.spec["python"].command.path))
        return args

    def setup_run_environment(self, env):
        # The analysis package installed beside the scenarios; scenarios and data
        # sets are found under share/fedhpc without further settings.
        if self.spec.satisfies("+analysis"):
            env.prepend_path("PYTHONPATH", self.prefix.share.fedhpc.scripts)
