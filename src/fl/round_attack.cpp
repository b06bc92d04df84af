#include "fl/round_attack.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "attack/data_poison.hpp"
#include "attack/model_poison.hpp"
#include "comm/agree.hpp"
#include "core/rng.hpp"

namespace fedhpc {

RoundAttack::RoundAttack(const RunConfig& config, std::int64_t num_clients, const DataSplit& data, std::size_t dim)
    : config_(config),
      settings_(config.scenario.adversaries),
      adversaries_(settings_, config.seed, num_clients),
      dim_(dim),
      honest_(needs_honest_updates(settings_.attack) ? 2 * dim : 0, config.runtime.reduce) {
  if (settings_.attack == AttackKind::Backdoor && !adversaries_.ids().empty()) {
    trigger_ = trigger_value(data.train.size() > 0 ? data.train : data.test);
    triggered_ = triggered_test_set(data.test, settings_.target_class, trigger_);
  }
}

void RoundAttack::begin_round(Round round, std::span<const ClientId> members) {
  round_ = round;
  attacking_.clear();
  held_.clear();
  honest_members_ = members.size();
  attacking_members_ = 0;
  if (!adversaries_.attacking(round)) return;
  attacking_.resize(members.size());
  for (std::size_t k = 0; k < members.size(); ++k) attacking_[k] = adversaries_.contains(members[k]) ? 1 : 0;
  attacking_members_ = static_cast<std::size_t>(std::count(attacking_.begin(), attacking_.end(), 1));
  honest_members_ = members.size() - attacking_members_;
  if (attacking_members_ == 0) attacking_.clear();
  if (omniscient()) honest_.reset();
}

ClientSamples::View RoundAttack::samples(std::size_t k, ClientId id, ClientSamples::View honest) {
  if (attacking_.empty() || !attacking_[k] || !poisons_data(settings_.attack)) return honest;
  if (settings_.attack == AttackKind::LabelFlip) {
    poisoned_ = label_flipped_copy(honest.data, honest.rows, settings_.permutation);
  } else {
    Rng rng(derive_seed(config_.seed, Stream::Attack, round_, id));
    poisoned_ = backdoored_copy(honest.data, honest.rows, settings_.poison_fraction, settings_.target_class, trigger_,
                                rng);
  }
  rows_.resize(static_cast<std::size_t>(poisoned_.size()));
  for (std::size_t i = 0; i < rows_.size(); ++i) rows_[i] = static_cast<std::int64_t>(i);
  return {poisoned_, rows_};
}

void RoundAttack::poison_update(ClientId id, std::span<float> update) const {
  const double scale = attack_scale(settings_);
  switch (settings_.attack) {
    case AttackKind::SignFlip: return sign_flip(update, scale);
    case AttackKind::Scale: return boost(update, scale);
    case AttackKind::Gaussian: {
      Rng rng(derive_seed(config_.seed, Stream::Attack, round_, id));
      return gaussian_noise(update, settings_.sigma, rng);
    }
    case AttackKind::SameValue: return same_value(update, settings_.value);
    default: return;  // data attacks submit what they trained; ALIE and IPM wait for release()
  }
}

std::span<const float> RoundAttack::pass(std::size_t k, ClientId id, std::span<const float> delta,
                                         std::span<const float> upload, double initial_loss) {
  const bool attacker = !attacking_.empty() && attacking_[k];
  if (!attacker || poisons_data(settings_.attack)) {
    if (attacker || attacking_.empty() || !omniscient()) return delta;
    // An honest update the omniscient attackers will see: its mean and mean square.
    const double w = 1.0 / static_cast<double>(honest_members_);
    honest_.add(delta, w, 1.0, to_int(id), 0);
    squares_.resize(delta.size());
    for (std::size_t i = 0; i < delta.size(); ++i) squares_[i] = delta[i] * delta[i];
    honest_.add(squares_, w, 1.0, to_int(id), dim_);
    return delta;
  }
  if (omniscient()) {
    held_.push_back({k, std::vector<float>(upload.begin(), upload.end()), initial_loss});
    return {};
  }
  update_.assign(delta.begin(), delta.end());
  poison_update(id, update_);
  return update_;
}

void RoundAttack::release(Comm& comm, const Deliver& deliver) {
  if (attacking_.empty() || !omniscient()) return;
  // Every rank takes part: the honest sums of all ranks, to all ranks.
  std::vector<double> moments(2 * dim_, 0.0);
  if (honest_members_ > 0) {
    const bool root = comm.rank() == 0;
    if (honest_.mode() == ReduceMode::Exact) {
      std::vector<std::int64_t> total(root ? 2 * dim_ : 0);
      comm.reduce_sum(honest_.exact_terms(), total, 0);
      if (root) moments = SumAccumulator::from_exact(total);
    } else {
      std::vector<double> total(root ? 2 * dim_ : 0);
      comm.reduce_sum(honest_.fast_terms(), total, 0);
      if (root) moments = std::move(total);
    }
    bcast_vector(comm, moments, 0);
  }
  std::vector<double> mean(moments.begin(), moments.begin() + static_cast<std::ptrdiff_t>(dim_));
  std::vector<double> spread(dim_, 0.0);
  if (honest_members_ > 0) {
    // honest_moments() wants sums; the accumulator holds means, so n = 1.
    std::vector<double> sq(moments.begin() + static_cast<std::ptrdiff_t>(dim_), moments.end());
    honest_moments(std::span<const double>(mean), sq, 1.0, mean, spread);
  }
  const std::size_t n = honest_members_ + attacking_members_;
  const double z = settings_.z_auto ? alie_default_z(std::max<std::size_t>(n, 2), attacking_members_) : settings_.z;
  update_.resize(dim_);
  for (const Held& h : held_) {
    if (settings_.attack == AttackKind::Alie)
      alie(mean, spread, z, update_);
    else
      inner_product_manipulation(mean, settings_.epsilon, update_);
    deliver(h.k, update_, h.upload, h.initial_loss);
  }
}

std::string describe_attack(const AdversaryConfig& c, const Adversaries& adversaries) {
  if (c.attack == AttackKind::None) return "";
  std::string options;
  switch (c.attack) {
    case AttackKind::LabelFlip: options = c.permutation.empty() ? "y -> C-1-y" : "a given permutation"; break;
    case AttackKind::Backdoor:
      options = fmt::format("target class {}, {} of their samples triggered", c.target_class, c.poison_fraction);
      break;
    case AttackKind::SignFlip:
    case AttackKind::Scale: options = fmt::format("scale {}", attack_scale(c)); break;
    case AttackKind::Gaussian: options = fmt::format("sigma {}", c.sigma); break;
    case AttackKind::SameValue: options = fmt::format("value {}", c.value); break;
    case AttackKind::Alie:
      options = c.z_auto ? "z from each round's n and adversaries" : fmt::format("z {}", c.z);
      options += "; omniscient: sees the round's honest updates (their mean and std)";
      break;
    case AttackKind::Ipm:
      options = fmt::format("epsilon {}; omniscient: sees the mean of the round's honest updates", c.epsilon);
      break;
    default: break;
  }
  return fmt::format("{} by {} adversarial client(s) from round {} ({})", to_string(c.attack), adversaries.ids().size(),
                     c.start_round, options);
}

}  // namespace fedhpc
