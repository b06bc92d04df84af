#pragma once
// MPI return codes to fedhpc::Error (with rank, host, file:line and MPI's own
// message). Internal to src/comm, the only code that includes <mpi.h>.
#include <mpi.h>

#include <string>

#include "comm/peer_watch.hpp"

namespace fedhpc::detail {

std::string processor_name();
[[noreturn]] void mpi_failed(int code, const char* call, const char* file, int line);

}  // namespace fedhpc::detail

#define FEDHPC_MPI_CHECK(call)                                                                      \
  do {                                                                                              \
    const ::fedhpc::detail::MpiCallMark fedhpc_mark_;                                               \
    const int fedhpc_rc_ = (call);                                                                  \
    if (fedhpc_rc_ != MPI_SUCCESS) ::fedhpc::detail::mpi_failed(fedhpc_rc_, #call, __FILE__, __LINE__); \
  } while (0)
