#include "app/resume_probe.hpp"

#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "core/in_child.hpp"
#include "metrics/hdf5_sink.hpp"
#include "metrics/results_reader.hpp"

namespace fedhpc {

bool launched_as_rank_zero() {
  // Open MPI's mpirun, PMIx (srun --mpi=pmix), PMI-1/2, then Slurm itself;
  // the first one set decides.
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"})
    if (const char* rank = std::getenv(name)) return std::string_view(rank) == "0";
  return true;
}

std::string probe_resume_file(const std::string& path) {
  try {
    survive_in_child(path, [&] {
      (void)read_results(path);
      (void)Hdf5Sink::probe_resume(path);
    });
  } catch (const InputError& e) {
    const std::string what = e.what();
    return what.starts_with("--resume: ") ? what : "--resume: " + what;
  }
  return "";
}

}  // namespace fedhpc
