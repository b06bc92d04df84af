#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"

namespace fedhpc {

// The round's cohort: `count` distinct clients of [0, population) drawn
// uniformly from (seed, Selection, round), sorted by id. Every rank computes
// the same cohort without a message.
std::vector<ClientId> select_uniform(std::uint64_t seed, Round round, int population, int count);

// The same draw over the clients of `pool` (ids in increasing order, the
// clients online now): with pool = [0, N) it equals select_uniform.
std::vector<ClientId> select_from(std::uint64_t seed, Round round, std::vector<std::uint32_t> pool, int count);

// Poisson sampling: each client of `pool` (increasing ids) on its own with
// probability `rate`, its coin a pure function of (seed, Selection, round,
// client), so the cohort is the same whoever else is in the pool. Sorted.
std::vector<ClientId> select_poisson(std::uint64_t seed, Round round, std::span<const std::uint32_t> pool, double rate);

}  // namespace fedhpc
