#pragma once
// Where a run's records go. Only rank 0 owns sinks; the experiment loop calls
// them in this order: context, partition, round (every round), finish.
#include <span>

#include "metrics/records.hpp"

namespace fedhpc {

class MetricsSink {
 public:
  virtual ~MetricsSink() = default;
  virtual void context(const RunContext& ctx) = 0;
  virtual void partition(const PartitionSummary& summary) = 0;
  virtual void round(const RoundRecord& record, std::span<const ClientRecord> clients) = 0;
  virtual void finish(std::span<const float> final_model) = 0;
};

}  // namespace fedhpc
