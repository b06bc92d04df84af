#pragma once
// MPI's lifetime, without exposing <mpi.h>: main creates one MpiSession for
// `fedhpc run`; the other subcommands never start MPI.
#include <memory>

#include "comm/comm.hpp"

namespace fedhpc {

class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);  // MPI_Init_thread(FUNNELED)
  ~MpiSession();                        // MPI_Finalize
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  // A communicator on a duplicate of MPI_COMM_WORLD, errors returned (and
  // thrown as fedhpc::Error with rank, host and file:line), never fatal.
  std::unique_ptr<Comm> world() const;
  std::string library_version() const;

  // Ends every rank of the job: the way out of a failure on one rank that the
  // others cannot know about, so nobody hangs in a collective.
  [[noreturn]] static void abort(int exit_code);
};

}  // namespace fedhpc
