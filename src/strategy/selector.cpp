#include "strategy/selector.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace fedhpc {

// The partial Fisher-Yates of select_from over the pool [0, N), with the
// pool kept sparse: only the positions a swap has changed are stored, so a
// cohort of K costs O(K) memory and time whatever N (10^8 clients included).
// It makes the same draws on the same stream as select_from, so it selects
// the same clients.
std::vector<ClientId> select_uniform(std::uint64_t seed, Round round, int population, int count) {
  FEDHPC_CHECK(count >= 0 && count <= population, "cannot select {} of {} clients", count, population);
  Rng rng(derive_seed(seed, Stream::Selection, to_int(round), 0));
  std::unordered_map<std::uint64_t, std::uint32_t> moved;  // position -> the client now there
  moved.reserve(static_cast<std::size_t>(count));
  auto at = [&](std::uint64_t pos) {
    const auto it = moved.find(pos);
    return it == moved.end() ? static_cast<std::uint32_t>(pos) : it->second;
  };
  std::vector<ClientId> cohort;
  cohort.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t i = 0; i < static_cast<std::uint64_t>(count); ++i) {
    const std::uint64_t j = i + rng.uniform_int(static_cast<std::uint64_t>(population) - i);
    cohort.push_back(ClientId{at(j)});
    moved[j] = at(i);  // the swap; position i is never read again
    moved.erase(i);
  }
  std::sort(cohort.begin(), cohort.end());
  return cohort;
}

std::vector<ClientId> select_from(std::uint64_t seed, Round round, std::vector<std::uint32_t> pool, int count) {
  const auto population = static_cast<std::uint64_t>(pool.size());
  FEDHPC_CHECK(count >= 0 && static_cast<std::uint64_t>(count) <= population, "cannot select {} of {} clients", count,
               population);
  Rng rng(derive_seed(seed, Stream::Selection, to_int(round), 0));
  std::vector<ClientId> cohort;
  cohort.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const auto j = static_cast<std::size_t>(i) + rng.uniform_int(population - static_cast<std::uint64_t>(i));
    std::swap(pool[static_cast<std::size_t>(i)], pool[j]);
    cohort.push_back(ClientId{pool[static_cast<std::size_t>(i)]});
  }
  std::sort(cohort.begin(), cohort.end());
  return cohort;
}

std::vector<ClientId> select_poisson(std::uint64_t seed, Round round, std::span<const std::uint32_t> pool,
                                     double rate) {
  // The client's coin comes from its own derived seed (client + 1: client 0's
  // slot is the fixed-size draw's stream), 53 bits as a uniform in [0, 1).
  std::vector<ClientId> cohort;
  for (const std::uint32_t c : pool) {
    const std::uint64_t bits = derive_seed(seed, Stream::Selection, to_int(round), c + 1);
    if (static_cast<double>(bits >> 11) * 0x1p-53 < rate) cohort.push_back(ClientId{c});
  }
  return cohort;
}

}  // namespace fedhpc
