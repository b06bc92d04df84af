#pragma once
// Splitting a training set over virtual clients. Every partitioner is a pure
// function of (config, labels, seed): each rank computes the same split without
// messages, whatever the rank count. The samplers follow NIID-Bench's
// partition_data (Li et al., ICDE 2022) and McMahan et al.'s shards.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "config/schema.hpp"

namespace fedhpc {

class SyntheticGenerator;

struct Partition {
  std::vector<std::vector<std::int64_t>> clients;  // sample indices of each client
  // On-demand data (data.synthetic.on_demand): nothing per client is kept.
  // A client's sample count is derived from the generator when asked, and
  // its samples are generated when it trains, so 10^8 clients cost no more
  // memory than 10.
  std::shared_ptr<const SyntheticGenerator> on_demand_source = nullptr;
  int on_demand_clients = 0;

  bool on_demand() const { return on_demand_source != nullptr; }
  int num_clients() const { return on_demand() ? on_demand_clients : static_cast<int>(clients.size()); }
  std::int64_t size_of(std::uint32_t client) const;
  // Every client's size: O(num_clients) memory (and, on demand, time).
  std::vector<std::int64_t> sizes() const;
  // num_clients x num_classes, row-major; -1 everywhere for on-demand data
  // (counting would generate every client).
  std::vector<std::int64_t> class_counts(std::span<const std::int64_t> labels, int num_classes) const;
};

// `natural_owner` is only read by PartitionKind::Natural. Impossible requests
// (more shards than samples, a Dirichlet draw that never satisfies min_size)
// are InputErrors naming the key.
Partition make_partition(const PartitionConfig& config, int num_clients, std::span<const std::int64_t> labels,
                         int num_classes, std::span<const std::int32_t> natural_owner, std::uint64_t seed);

// One client per synthetic device, sizes derived (data.synthetic.on_demand).
Partition make_on_demand_partition(const SyntheticGenerator& generator, int num_clients);

// numpy.array_split: n items into k parts, the first n % k parts one longer.
std::vector<std::int64_t> split_sizes(std::int64_t n, std::int64_t k);

}  // namespace fedhpc
