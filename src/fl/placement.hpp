#pragma once
// Which rank trains which cohort member. A pure function of the cohort, so
// every rank derives the same plan without messages.
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

// runtime.client_batch: the cohort's aggregated members in consecutive groups
// of `size` (the last may be shorter), the same groups on any rank count.
// Returns the first member of each group, then members.size().
std::vector<std::size_t> group_bounds(std::size_t members, int size);

// Places whole groups: a group goes where place_clients puts one client with
// the group's first id and its members' summed cost. Returns the owning rank
// of each member, in cohort order.
std::vector<int> place_groups(std::span<const std::size_t> bounds, std::span<const ClientId> cohort,
                              std::span<const std::int64_t> cost, std::span<const int> trainers, PlacementKind kind);

// The contiguous test-set range [begin, end) this rank evaluates: whole
// batches of `batch` samples split as evenly as possible over the ranks, so
// batch boundaries (and hence every batch's result) never depend on the rank count.
std::pair<std::int64_t, std::int64_t> eval_shard(std::int64_t num_samples, int batch, int rank, int num_ranks);

}  // namespace fedhpc
