# fedhpc as a Spack package. It has no release archive yet, so Spack builds a
# checkout (the version is only a label):
#
#   spack repo add packaging/spack
#   spack dev-build fedhpc@=main                  # from the repository root
#
# or, in an environment that keeps the dependencies for later builds:
#
#   spack env create fedhpc && spack env activate fedhpc
#   spack add fedhpc@=main +cuda ^openmpi && spack develop --path $PWD fedhpc@=main
#   spack install && spack load fedhpc
#
# It needs Spack 0.23 or later (the c and cxx language dependencies).
# LibTorch comes from Spack's py-torch, whose prefix carries the CMake config
# (TorchConfig.cmake) that find_package(Torch) needs.

from spack.package import *

try:  # Spack 1.0 and later keep the build systems in the builtin package repository
    from spack_repo.builtin.build_systems.cmake import CMakePackage
except ImportError:  # Spack 0.x exports them from spack.package
    pass


class Fedhpc(CMakePackage):
    """Benchmarking federated-learning algorithms on HPC clusters: many virtual
    clients per MPI rank, local training through LibTorch, aggregation as an
    exact fixed-point reduction, every round recorded in HDF5."""

    version("main")

    variant("cuda", default=False, description="Train on GPUs (runtime.device: cuda) through a CUDA PyTorch")
    variant("analysis", default=True,
            description="Python packages for the analysis scripts (share/fedhpc/scripts)")

    depends_on("cxx", type="build")
    depends_on("c", type="build")  # FindHDF5 probes the C compiler
    depends_on("cmake@3.20:", type="build")

    depends_on("mpi")  # MPI-3: node-local shared-memory windows for the large reductions
    depends_on("py-torch@1.13:")
    depends_on("py-torch+cuda", when="+cuda")
    depends_on("cuda", when="+cuda")  # Torch's CMake config looks for the CUDA toolkit
    depends_on("py-torch~cuda", when="~cuda")
    depends_on("hdf5@1.10:")
    depends_on("fmt@9:")  # used header-only, so PyTorch's bundled fmt cannot clash at link time
    depends_on("yaml-cpp@0.7:")
    depends_on("zlib-api")  # gzip'd idx files of Fashion-MNIST
    depends_on("googletest", type="test")

    with when("+analysis"):
        depends_on("python@3.9:", type="run")
        for name in ("py-h5py", "py-numpy", "py-pandas", "py-matplotlib", "py-pyyaml", "py-scipy"):
            depends_on(name, type="run")

    def cmake_args(self):
        args = [
            self.define("FEDHPC_WITH_TORCH", True),
            self.define("FEDHPC_BUILD_TESTS", self.run_tests),
            self.define("FEDHPC_BUILD_BENCHMARKS", False),
        ]
        if self.spec.satisfies("+analysis"):
            # The test suite's Python (tests/python) is the one the analysis runs under.
            args.append(self.define("FEDHPC_PYTHON", self.spec["python"].command.path))
        return args

    def setup_run_environment(self, env):
        # The analysis package installed beside the scenarios; scenarios and data
        # sets are found under share/fedhpc without further settings.
        if self.spec.satisfies("+analysis"):
            env.prepend_path("PYTHONPATH", self.prefix.share.fedhpc.scripts)
