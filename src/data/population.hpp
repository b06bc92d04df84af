#pragma once
// What a client population costs in memory before any of it is made: every
// rank keeps bookkeeping for every client of a data set split up front (its
// sample indices, its class counts), so a population that cannot fit is
// refused up front (data.num_clients=2147483647 would otherwise allocate
// for a minute and die). A population generated on demand keeps nothing per
// client: sizes are derived when asked, cohorts are drawn sparsely, and
// rank 0 writes /partition's rows only up to kMaxPartitionRows clients.
#include <cstdint>
#include <optional>

#include "config/schema.hpp"

namespace fedhpc {

// On-demand populations larger than this are recorded in /partition by how to
// re-derive them, not by a row per client.
inline constexpr int kMaxPartitionRows = 1'000'000;

// Bytes of per-client bookkeeping one rank holds for `config`'s population of
// a data set with `num_classes` classes (a class count per client and class).
std::uint64_t population_bytes(const DataConfig& config, int num_classes);

// Memory this process may still use: MemAvailable, or less under a cgroup
// limit; empty where neither can be read.
std::optional<std::uint64_t> available_memory_bytes();

// Throws InputError naming data.num_clients when the estimate exceeds what
// is available (`available` empty: no check).
void check_population_fits(const DataConfig& config, int num_classes, std::optional<std::uint64_t> available);

}  // namespace fedhpc
