#pragma once
// Rank 0's progress lines: one per round (round, accuracy, loss, seconds,
// ETA) and a closing summary that names the results file, followed by one
// machine-readable FEDHPC_RESULT line for ReFrame/JUBE-style drivers.
// Without per-round lines (output.progress: false) only the closing summary,
// the FEDHPC_RESULT line and a stop are printed: drivers still get their line.
#include <cstdio>
#include <string>

#include "metrics/sink.hpp"

namespace fedhpc {

class ConsoleSink final : public MetricsSink {
 public:
  ConsoleSink(std::FILE* out, int total_rounds, std::string results_path, bool per_round = true);
  void context(const RunContext& ctx) override;
  void partition(const PartitionSummary& summary) override;
  void round(const RoundRecord& record, std::span<const ClientRecord> clients,
             std::span<const TimingRecord> timings) override;
  void checkpoint(const CheckpointState& state) override;
  void finish(std::span<const float> final_model) override;
  void stopped(const std::string& reason, std::uint32_t last_round) override;

 private:
  std::FILE* out_;
  bool per_round_;
  int total_rounds_;
  std::string results_path_, name_;
  RoundRecord last_{};
  double last_accuracy_ = 0, last_loss_ = 0;
  bool evaluated_ = false;
};

}  // namespace fedhpc
