#pragma once
// Where a run's records go. Only rank 0 owns sinks; the experiment loop calls
// them in this order: context, partition, then round (every round) with
// checkpoint (every output.checkpoint_every rounds), then finish, or stopped
// when a signal ended the run early.
#include <span>
#include <string>

#include "metrics/records.hpp"

namespace fedhpc {

class MetricsSink {
 public:
  virtual ~MetricsSink() = default;
  virtual void context(const RunContext& ctx) = 0;
  virtual void partition(const PartitionSummary& summary) = 0;
  virtual void round(const RoundRecord& record, std::span<const ClientRecord> clients,
                     std::span<const TimingRecord> timings) = 0;
  virtual void checkpoint(const CheckpointState& /*state*/) {}
  virtual void finish(std::span<const float> final_model) = 0;
  // The run stops before its last round (a signal); its state is checkpointed.
  virtual void stopped(const std::string& /*reason*/, std::uint32_t /*last_round*/) {}
};

}  // namespace fedhpc
