#pragma once
// The adversaries' part of a round (scenario.adversaries): which members
// attack, what the data-poisoning ones train on, and what the
// model-poisoning ones submit. ALIE and IPM are omniscient: their updates
// are held back until every rank has trained, the honest members' updates'
// coordinate-wise mean (and spread) is summed over ranks exactly like an
// aggregate, and only then are the held updates formed and delivered. The
// simulation grants them this knowledge; the results file says so
// (attack.hpp's description in the run's strategy attribute).
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "attack/adversaries.hpp"
#include "comm/comm.hpp"
#include "config/schema.hpp"
#include "data/client_samples.hpp"
#include "data/dataset.hpp"
#include "strategy/sum_accumulator.hpp"

namespace fedhpc {

class RoundAttack {
 public:
  RoundAttack(const RunConfig& config, std::int64_t num_clients, const DataSplit& data, std::size_t dim);

  const Adversaries& adversaries() const { return adversaries_; }
  // The backdoor's triggered test set (nullptr for other attacks).
  const Dataset* triggered_test() const { return triggered_.size() > 0 ? &triggered_ : nullptr; }

  // Which of the round's members attack (replicated: every rank agrees).
  void begin_round(Round round, std::span<const ClientId> members);
  std::span<const std::uint8_t> attacking() const { return attacking_; }  // per member; empty: nobody attacks

  // What member k (id) trains on: a poisoned copy for a data attack, else `honest`.
  ClientSamples::View samples(std::size_t k, ClientId id, ClientSamples::View honest);

  // An update on its way to the aggregator: returns the update to deliver
  // now (an attacker's poisoned one), or an empty span when it is held until
  // release(). Honest updates are only looked at.
  std::span<const float> pass(std::size_t k, ClientId id, std::span<const float> delta, std::span<const float> upload,
                              double initial_loss);

  // Collective, after this rank's training: forms the held updates from the
  // honest ones' moments and hands them to `deliver` in member order.
  using Deliver = std::function<void(std::size_t k, std::span<const float> delta, std::span<const float> upload,
                                     double initial_loss)>;
  void release(Comm& comm, const Deliver& deliver);

 private:
  struct Held {
    std::size_t k;
    std::vector<float> upload;
    double initial_loss;
  };
  const RunConfig& config_;
  AdversaryConfig settings_;
  Adversaries adversaries_;
  Dataset triggered_;
  float trigger_ = 1.0f;
  std::size_t dim_;
  Round round_{0};
  std::vector<std::uint8_t> attacking_;
  std::size_t honest_members_ = 0, attacking_members_ = 0;
  Dataset poisoned_;                 // the current attacker's samples
  std::vector<std::int64_t> rows_;   // 0..n-1 into poisoned_
  std::vector<float> update_, squares_;
  SumAccumulator honest_;            // omniscient attacks: honest mean, then mean of squares
  std::vector<Held> held_;

  bool omniscient() const { return needs_honest_updates(settings_.attack); }
  void poison_update(ClientId id, std::span<float> update) const;
};

// A line for the results file's strategy attribute: the attack, its
// options, the adversaries' count, and what omniscient attacks are granted.
std::string describe_attack(const AdversaryConfig& config, const Adversaries& adversaries);

}  // namespace fedhpc
