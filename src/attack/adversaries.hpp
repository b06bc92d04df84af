#pragma once
// Who is adversarial, fixed for the run and identical on every rank: with
// scenario.adversaries.fraction f, the round(f x N) clients whose hash of
// (seed, client) is smallest (an exact count, a pure function of the seed and
// the client id, whatever the rank count); or the listed clients.
#include <cstdint>
#include <span>
#include <vector>

#include "config/schema.hpp"
#include "core/types.hpp"

namespace fedhpc {

class Adversaries {
 public:
  Adversaries() = default;  // nobody
  Adversaries(const AdversaryConfig& config, std::uint64_t seed, std::int64_t num_clients);

  bool contains(ClientId client) const;
  // Whether they attack in `round` (an attack is set and the round has come).
  bool attacking(Round round) const { return attack_ != AttackKind::None && to_int(round) >= start_round_ && !ids_.empty(); }
  AttackKind attack() const { return attack_; }
  std::span<const std::uint32_t> ids() const { return ids_; }  // sorted

 private:
  AttackKind attack_ = AttackKind::None;
  std::uint32_t start_round_ = 1;
  std::vector<std::uint32_t> ids_;
};

// Data poisoning changes what an adversary trains on; the others change the
// update it submits; ALIE and IPM also need the round's honest updates.
bool poisons_data(AttackKind a);
// The factor sign_flip and scale use: scale, or with auto 1 and 10.
double attack_scale(const AdversaryConfig& c);
bool needs_honest_updates(AttackKind a);

}  // namespace fedhpc
