#include "data/population.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"

namespace fedhpc {

namespace {

// Per client, apart from its class counts: a sample-index vector's header or
// an on-demand size, the scenario's per-client draws and the cohort
// bookkeeping of placement (measured at about 150 bytes; doubled for slack).
constexpr std::uint64_t kBytesPerClient = 256;

std::optional<std::uint64_t> read_number(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::uint64_t> mem_available() {
  std::ifstream in("/proc/meminfo");
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string key;
    std::uint64_t kib = 0;
    if (fields >> key >> kib && key == "MemAvailable:") return kib * 1024;
  }
  return std::nullopt;
}

std::string gib(std::uint64_t bytes) { return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1ULL << 30)); }

}  // namespace

std::uint64_t population_bytes(const DataConfig& config, int num_classes) {
  const auto clients = static_cast<std::uint64_t>(config.num_clients);
  if (config.dataset == DatasetKind::Synthetic && config.synthetic.on_demand) {
    // Only rank 0's /partition rows: a size, the class counts, a flag.
    const auto row = (1 + static_cast<std::uint64_t>(num_classes)) * sizeof(std::int64_t) + 1;
    return std::min<std::uint64_t>(clients, kMaxPartitionRows) * row;
  }
  // Class counts: one row per client, built once and kept for the results file.
  const auto class_counts = 2 * static_cast<std::uint64_t>(num_classes) * sizeof(std::int64_t);
  return clients * (kBytesPerClient + class_counts);
}

std::optional<std::uint64_t> available_memory_bytes() {
  std::optional<std::uint64_t> available = mem_available();
  // cgroup v2 (Slurm's and containers' memory limits).
  const auto limit = read_number("/sys/fs/cgroup/memory.max");
  const auto used = read_number("/sys/fs/cgroup/memory.current");
  if (limit && used && *limit > *used) {
    const std::uint64_t room = *limit - *used;
    if (!available || room < *available) available = room;
  }
  return available;
}

void check_population_fits(const DataConfig& config, int num_classes, std::optional<std::uint64_t> available) {
  if (!available) return;
  const std::uint64_t need = population_bytes(config, num_classes);
  if (need <= *available) return;
  throw InputError(fmt::format("data.num_clients: {} clients need about {} of bookkeeping on every rank, and {} is "
                               "available here; use fewer clients",
                               config.num_clients, gib(need), gib(*available)));
}

}  // namespace fedhpc
