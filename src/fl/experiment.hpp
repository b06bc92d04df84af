#pragma once
// The whole run: setup every rank agrees on, the round loop, and the final
// model. Rank 0 owns the sinks; every other decision is replicated.
#include <cstdint>
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
  std::string resume_file;  // --resume: continue this results file
  std::string resume_problem;  // what reading resume_file in a child found (app/resume_probe.hpp); "" if nothing
};

// A run ended early by SIGTERM/SIGINT after writing a checkpoint (thrown on
// every rank together).
struct StoppedBySignal {
  int signo;
  std::uint32_t last_round;
  std::string results_path;
};

// Throws InputError (identically on every rank) for bad input found before the
// results file exists; any other failure is an Error.
void run_experiment(Comm& comm, const ExperimentInputs& inputs);

}  // namespace fedhpc
