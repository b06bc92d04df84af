#pragma once
#include "comm/comm.hpp"

namespace fedhpc::test {
// The MPI communicator of the test binary (set up in mpi_main.cpp).
Comm& world();
}  // namespace fedhpc::test
