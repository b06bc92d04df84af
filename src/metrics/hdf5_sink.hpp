#pragma once
// The results file (DESIGN.md B.8): one HDF5 file, written by rank 0 only.
// Rows are appended to chunked, extendible datasets and flushed every round,
// so a killed job keeps every round it finished; the root attribute
// `complete` turns 1 only after the final model is written.
#include <memory>
#include <string>

#include "metrics/sink.hpp"

namespace fedhpc {

class Hdf5Sink final : public MetricsSink {
 public:
  // Creates the file (and its folder). Fails if it exists, unless overwrite.
  Hdf5Sink(const std::string& path, bool overwrite);
  ~Hdf5Sink() override;

  void context(const RunContext& ctx) override;
  void partition(const PartitionSummary& summary) override;
  void round(const RoundRecord& record, std::span<const ClientRecord> clients) override;
  void finish(std::span<const float> final_model) override;

  const std::string& path() const { return path_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
};

std::string hdf5_version();

}  // namespace fedhpc
