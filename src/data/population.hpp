#pragma once
// What a client population costs in memory before any of it is made: every
// rank keeps bookkeeping for every client (its sample count or indices, its
// class counts, its scenario draws), so a population that cannot fit is
// refused up front (data.num_clients=2147483647 would otherwise allocate
// for a minute and die).
#include <cstdint>
#include <optional>

#include "config/schema.hpp"

namespace fedhpc {

// Bytes of per-client bookkeeping one rank holds for `config`'s population.
std::uint64_t population_bytes(const DataConfig& config);

// Memory this process may still use: MemAvailable, or less under a cgroup
// limit; empty where neither can be read.
std::optional<std::uint64_t> available_memory_bytes();

// Throws InputError naming data.num_clients when the estimate exceeds what
// is available (`available` empty: no check).
void check_population_fits(const DataConfig& config, std::optional<std::uint64_t> available);

}  // namespace fedhpc
