#include "attack/adversaries.hpp"

#include <algorithm>
#include <cmath>
#include <queue>
#include <utility>

#include "core/rng.hpp"

namespace fedhpc {

namespace {

// The `count` clients of [0, n) with the smallest hash of (seed, client), in
// O(count) memory: a max-heap of the best so far.
std::vector<std::uint32_t> smallest_hashes(std::uint64_t seed, std::int64_t n, std::size_t count) {
  using Entry = std::pair<std::uint64_t, std::uint32_t>;  // (hash, client): ties go to the smaller id
  std::priority_queue<Entry> best;
  for (std::int64_t c = 0; c < n && count > 0; ++c) {
    const auto id = static_cast<std::uint32_t>(c);
    const Entry e{derive_seed(seed, Stream::Adversary, 0u, id), id};
    if (best.size() < count) {
      best.push(e);
    } else if (e < best.top()) {
      best.pop();
      best.push(e);
    }
  }
  std::vector<std::uint32_t> ids;
  for (; !best.empty(); best.pop()) ids.push_back(best.top().second);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

Adversaries::Adversaries(const AdversaryConfig& config, std::uint64_t seed, std::int64_t num_clients)
    : attack_(config.attack), start_round_(static_cast<std::uint32_t>(config.start_round)) {
  if (attack_ == AttackKind::None) return;
  if (!config.clients.empty()) {
    for (const auto c : config.clients) ids_.push_back(static_cast<std::uint32_t>(c));
    std::sort(ids_.begin(), ids_.end());
    return;
  }
  const auto count = static_cast<std::size_t>(std::llround(config.fraction * static_cast<double>(num_clients)));
  ids_ = smallest_hashes(seed, num_clients, count);
}

bool Adversaries::contains(ClientId client) const {
  return std::binary_search(ids_.begin(), ids_.end(), to_int(client));
}

double attack_scale(const AdversaryConfig& c) {
  if (!c.scale_auto) return c.scale;
  return c.attack == AttackKind::Scale ? 10.0 : 1.0;
}

bool poisons_data(AttackKind a) { return a == AttackKind::LabelFlip || a == AttackKind::Backdoor; }
bool needs_honest_updates(AttackKind a) { return a == AttackKind::Alie || a == AttackKind::Ipm; }

}  // namespace fedhpc
