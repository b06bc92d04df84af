#pragma once
// A strategy's client rule: what it changes in local training and what it
// remembers between rounds. The round calls it for every client it trains
// on this rank, in cohort order:
//   terms = rule.before(client)        the local terms (core/local_terms.hpp)
//   ... local training from x to y ...
//   rule.after(client, y - x, steps, upload)
// `upload` (upload_size() floats) travels with the update and is summed over
// the cohort as (1/upload_divisor()) sum_i upload_i; root hands the sum to
// apply_upload() and every rank then receives shared() by broadcast. Rules
// with per-client state keep it in states(), which checkpoints save and
// restore. Torch-free: the rule works on flat float vectors.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "config/schema.hpp"
#include "core/local_terms.hpp"
#include "core/types.hpp"
#include "strategy/client_state.hpp"

namespace fedhpc {

class ClientRule {
 public:
  virtual ~ClientRule() = default;
  // The terms for training `client` now; spans stay valid until after().
  virtual LocalTerms before(ClientId client) = 0;
  virtual void after(ClientId /*client*/, std::span<const float> /*delta*/, std::int64_t /*steps*/,
                     std::span<float> /*upload*/) {}
  virtual std::size_t upload_size() const { return 0; }
  virtual double upload_divisor() const { return 1.0; }
  // Root: the summed upload of a round that aggregated someone.
  virtual void apply_upload(std::span<const double> /*sum*/) {}
  // Server-side state every rank holds (empty when none).
  virtual std::span<float> shared() { return {}; }
  // Per-client state on the owning rank (nullptr when none).
  virtual ClientStateStore* states() { return nullptr; }
};

// A row's client part: how to make the rule for a run, and the facts about
// it that validation and placement need before anything is built.
struct ClientRuleSpec {
  std::string_view name;
  std::unique_ptr<ClientRule> (*make)(const RunConfig& config, std::size_t dim);
  bool per_client_state = false;  // needs static placement
  bool shared_state = false;      // shared() is a model-sized vector
  // Grouped training (runtime.client_batch > 1) stacks clients whose terms
  // are at most a proximal anchor that is the same for every client; this
  // gives that anchor (nullptr: the rule cannot be grouped).
  double (*group_anchor)(const StrategyConfig& options) = nullptr;
  bool full_batch = false;  // before() always sets full_batch
};

// A stateless rule whose terms are the same for every client.
class FixedTermsRule : public ClientRule {
 public:
  explicit FixedTermsRule(LocalTerms terms) : terms_(terms) {}
  LocalTerms before(ClientId) override { return terms_; }

 private:
  LocalTerms terms_;
};

}  // namespace fedhpc
