#pragma once
// The run's provenance for the results file: configuration, hosts, devices,
// versions, Slurm and MPI settings. Collective (every rank contributes its
// host and device line).
#include <cstdint>

#include "client/trainer.hpp"
#include "comm/comm.hpp"
#include "fl/experiment.hpp"
#include "metrics/records.hpp"

namespace fedhpc {

// What set-up decided that the record names.
struct RunFacts {
  DeviceSpec device;
  int threads = 1;
  std::int64_t num_params = 0;
  int num_clients = 0;
  double sample_seconds = 0.0;  // the virtual clock's cost per sample pass
  const DataSplit* data = nullptr;
  std::int64_t num_buffer_values = 0;  // of num_params, the model's buffers
};

RunContext describe_run(Comm& comm, const ExperimentInputs& in, const RunFacts& facts);

}  // namespace fedhpc
