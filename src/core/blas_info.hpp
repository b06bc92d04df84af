#pragma once
// Which BLAS this process runs on, and with how many threads. Debian's
// LibTorch calls the system BLAS through the libblas.so.3 alternative: the
// reference BLAS trains about 3.6x slower than OpenBLAS, so every run states
// which one it got (start-up line and the results file's `device`).
#include <string>

namespace fedhpc {

// "OpenBLAS 0.3.21 ... (/usr/lib/.../openblas-openmp/libblas.so.3), 1 thread(s)",
// "reference BLAS (/usr/lib/.../blas/libblas.so.3): slow, install libopenblas0-openmp",
// or "no BLAS library loaded".
std::string describe_blas();

// Sets OpenBLAS's thread count where the BLAS is OpenBLAS (a no-op otherwise).
// LibTorch's thread setting reaches OpenBLAS's OpenMP build through OpenMP,
// but not its pthread build, which would otherwise start a thread per core
// in every rank.
void set_blas_threads(int threads);

// OpenBLAS's kernel family in use ("Haswell", "SkylakeX", ...: what
// OPENBLAS_CORETYPE pins), or "" when the BLAS is not OpenBLAS.
std::string blas_core_name();

}  // namespace fedhpc
