#include "core/blas_info.hpp"

#include <dlfcn.h>

#include <fstream>
#include <string>

#include <fmt/format.h>

namespace fedhpc {

namespace {

// The first mapped file of this process whose name says BLAS: the library
// the dynamic linker resolved libblas.so.3 (or libopenblas) to.
std::string mapped_blas_path() {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const std::string name = path.substr(path.rfind('/') + 1);
    if (name.find("blas") != std::string::npos) return path;
  }
  return {};
}

}  // namespace

std::string describe_blas() {
  const std::string path = mapped_blas_path();
  // OpenBLAS exports its own queries; the reference BLAS has none.
  using ConfigFn = char* (*)();
  using ThreadsFn = int (*)();
  auto config = reinterpret_cast<ConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
  auto threads = reinterpret_cast<ThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  if (config && threads) return fmt::format("{} ({}), {} thread(s)", config(), path.empty() ? "?" : path, threads());
  if (path.empty()) return "no BLAS library loaded";
  if (path.find("/blas/") != std::string::npos)
    return fmt::format("reference BLAS ({}): about 3.6x slower training, install libopenblas0-openmp", path);
  return fmt::format("BLAS {}", path);
}

void set_blas_threads(int threads) {
  using SetThreadsFn = void (*)(int);
  if (auto set = reinterpret_cast<SetThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(threads);
}

std::string blas_core_name() {
  using CoreFn = char* (*)();
  auto core = reinterpret_cast<CoreFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  const char* name = core ? core() : nullptr;
  return name ? name : "";
}

}  // namespace fedhpc
