#include "fl/placement.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "data/partition.hpp"

namespace fedhpc {

std::vector<int> trainer_ranks(int num_ranks, AggregatorLayout layout) {
  std::vector<int> ranks;
  for (int r = layout == AggregatorLayout::Dedicated ? 1 : 0; r < num_ranks; ++r) ranks.push_back(r);
  return ranks;
}

std::vector<int> place_clients(std::span<const ClientId> cohort, std::span<const std::int64_t> cost,
                               std::span<const int> trainers, PlacementKind kind) {
  FEDHPC_CHECK(!trainers.empty(), "no trainer ranks");
  FEDHPC_CHECK(cost.size() == cohort.size(), "cost for {} of {} clients", cost.size(), cohort.size());
  std::vector<int> owner(cohort.size());
  const auto t = trainers.size();
  if (kind == PlacementKind::Static) {
    for (std::size_t i = 0; i < cohort.size(); ++i) owner[i] = trainers[to_int(cohort[i]) % t];
    return owner;
  }
  std::vector<std::size_t> order(cohort.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return cost[a] != cost[b] ? cost[a] > cost[b] : cohort[a] < cohort[b];
  });
  std::vector<std::int64_t> load(t, 0);
  for (std::size_t i : order) {
    const auto least = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    owner[i] = trainers[least];
    load[least] += std::max<std::int64_t>(cost[i], 1);  // empty clients still cost a little
  }
  return owner;
}

std::vector<std::size_t> group_bounds(std::size_t members, int size) {
  FEDHPC_CHECK(size >= 1, "group size {}", size);
  std::vector<std::size_t> bounds;
  for (std::size_t b = 0; b < members; b += static_cast<std::size_t>(size)) bounds.push_back(b);
  bounds.push_back(members);
  return bounds;
}

std::vector<int> place_groups(std::span<const std::size_t> bounds, std::span<const ClientId> cohort,
                              std::span<const std::int64_t> cost, std::span<const int> trainers, PlacementKind kind) {
  FEDHPC_CHECK(!bounds.empty() && bounds.back() == cohort.size(), "groups end at {}, the cohort at {}",
               bounds.empty() ? 0 : bounds.back(), cohort.size());
  std::vector<ClientId> first;
  std::vector<std::int64_t> group_cost;
  for (std::size_t g = 0; g + 1 < bounds.size(); ++g) {
    first.push_back(cohort[bounds[g]]);
    std::int64_t sum = 0;
    for (std::size_t i = bounds[g]; i < bounds[g + 1]; ++i) sum += std::max<std::int64_t>(cost[i], 1);
    group_cost.push_back(sum);
  }
  const auto group_owner = place_clients(first, group_cost, trainers, kind);
  std::vector<int> owner(cohort.size());
  for (std::size_t g = 0; g + 1 < bounds.size(); ++g)
    for (std::size_t i = bounds[g]; i < bounds[g + 1]; ++i) owner[i] = group_owner[g];
  return owner;
}

std::pair<std::int64_t, std::int64_t> eval_shard(std::int64_t num_samples, int batch, int rank, int num_ranks) {
  const std::int64_t batches = (num_samples + batch - 1) / batch;
  const auto per_rank = split_sizes(batches, num_ranks);
  std::int64_t first = 0;
  for (int r = 0; r < rank; ++r) first += per_rank[static_cast<std::size_t>(r)];
  const std::int64_t begin = std::min(num_samples, first * batch);
  const std::int64_t end = std::min(num_samples, (first + per_rank[static_cast<std::size_t>(rank)]) * batch);
  return {begin, end};
}

}  // namespace fedhpc
