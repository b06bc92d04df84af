#pragma once
#include <cstdint>
#include <vector>

#include "core/types.hpp"

namespace fedhpc {

// The round's cohort: `count` distinct clients of [0, population) drawn
// uniformly from (seed, Selection, round), sorted by id. Every rank computes
// the same cohort without a message.
std::vector<ClientId> select_uniform(std::uint64_t seed, Round round, int population, int count);

}  // namespace fedhpc
