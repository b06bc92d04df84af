#pragma once
// Where a client's training samples are when it trains: rows of the loaded
// training set, or, for data.synthetic.on_demand, its device generated now
// (a client is data: a million of them cost their sample counts, not their samples).
#include <cstdint>
#include <span>
#include <vector>

#include "data/dataset.hpp"
#include "data/partition.hpp"

namespace fedhpc {

class SyntheticGenerator;

class ClientSamples {
 public:
  // `on_demand` is null for a loaded data set; else the partition holds sizes only.
  ClientSamples(const Dataset& train, const Partition& partition, const SyntheticGenerator* on_demand);

  struct View {
    const Dataset& data;
    std::span<const std::int64_t> rows;
  };
  // The client's samples; valid until the next call.
  View of(std::uint32_t client);

 private:
  const Dataset& train_;
  const Partition& partition_;
  const SyntheticGenerator* on_demand_;
  Dataset scratch_;
  std::vector<std::int64_t> rows_;
};

}  // namespace fedhpc
