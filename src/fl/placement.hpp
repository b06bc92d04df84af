#pragma once
// Which rank trains which cohort member. A pure function of the cohort, so
// every rank derives the same plan without messages (DESIGN.md B.5).
#include <cstdint>
#include <span>
#include <vector>

#include "config/schema.hpp"
#include "core/types.hpp"

namespace fedhpc {

// Ranks that train: all of them (colocated), or all but rank 0 (dedicated).
std::vector<int> trainer_ranks(int num_ranks, AggregatorLayout layout);

// static: owner = trainers[id mod T]. balanced: greedy longest-processing-time
// on `cost` (ties to the lower client id, then the less-loaded lower rank).
// Returns the owning rank of each cohort member, in cohort order.
std::vector<int> place_clients(std::span<const ClientId> cohort, std::span<const std::int64_t> cost,
                               std::span<const int> trainers, PlacementKind kind);

// The contiguous test-set range [begin, end) this rank evaluates: whole
// batches of `batch` samples split as evenly as possible over the ranks, so
// batch boundaries (and hence every batch's result) never depend on the rank count.
std::pair<std::int64_t, std::int64_t> eval_shard(std::int64_t num_samples, int batch, int rank, int num_ranks);

}  // namespace fedhpc
