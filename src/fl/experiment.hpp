#pragma once
// The whole run: setup every rank agrees on, the round loop, and the final
// model. Rank 0 owns the sinks; every other decision is replicated.
#include <string>
#include <vector>

#include "comm/comm.hpp"
#include "config/schema.hpp"

namespace fedhpc {

struct ExperimentInputs {
  RunConfig config;
  std::string scenario_file;
  std::string raw_yaml;
  std::vector<std::string> overrides;
  std::string mpi_version;
};

// Throws InputError (identically on every rank) for bad input found before the
// results file exists; any other failure is an Error.
void run_experiment(Comm& comm, const ExperimentInputs& inputs);

}  // namespace fedhpc
