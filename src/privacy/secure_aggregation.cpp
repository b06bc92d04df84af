#include "privacy/secure_aggregation.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace fedhpc {

namespace {
constexpr std::uint32_t kSelfMask = 0xFFFFFFFFu;  // never a client id's partner (ids stay below 2^30)
}  // namespace

void add_mask_stream(std::uint64_t key, int sign, std::span<std::uint64_t> ring) {
  if (sign > 0) {
    for (std::size_t i = 0; i < ring.size(); ++i) ring[i] += splitmix64(key + i);
  } else {
    for (std::size_t i = 0; i < ring.size(); ++i) ring[i] -= splitmix64(key + i);
  }
}

void SecureAggregation::begin_round(Round round, std::vector<ClientId> keyed, std::vector<ClientId> survivors) {
  FEDHPC_CHECK(std::includes(keyed.begin(), keyed.end(), survivors.begin(), survivors.end()),
               "secure aggregation: a survivor that never shared keys");
  round_ = round;
  keyed_ = std::move(keyed);
  survivors_ = std::move(survivors);
}

std::uint64_t SecureAggregation::pair_key(ClientId a, ClientId b) const {
  return splitmix64(derive_seed(seed_, Stream::SecureAggregation, round_, a) ^ (std::uint64_t{to_int(b)} << 32));
}

std::uint64_t SecureAggregation::self_key(ClientId a) const {
  return splitmix64(derive_seed(seed_, Stream::SecureAggregation, round_, a) ^ (std::uint64_t{kSelfMask} << 32));
}

void SecureAggregation::mask(ClientId client, std::span<std::uint64_t> ring) const {
  add_mask_stream(self_key(client), +1, ring);
  for (const ClientId other : keyed_) {
    if (other == client) continue;
    if (to_int(client) < to_int(other))
      add_mask_stream(pair_key(client, other), +1, ring);
    else
      add_mask_stream(pair_key(other, client), -1, ring);
  }
}

void SecureAggregation::unmask(std::span<std::uint64_t> ring) const {
  for (const ClientId s : survivors_) {
    add_mask_stream(self_key(s), -1, ring);
    for (const ClientId d : keyed_) {
      if (std::binary_search(survivors_.begin(), survivors_.end(), d)) continue;
      // Undo what survivor s added for its pair with dropped member d.
      if (to_int(s) < to_int(d))
        add_mask_stream(pair_key(s, d), -1, ring);
      else
        add_mask_stream(pair_key(d, s), +1, ring);
    }
  }
}

}  // namespace fedhpc
