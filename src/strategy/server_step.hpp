#pragma once
// A strategy's server step: what root does with the round's aggregate Delta
// (the combined client update y - x). Runs on root only; the model stays
// float and every rank receives it by broadcast, so its state (kept in
// double) is never replicated. state()/restore() carry it through
// checkpoints.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "config/schema.hpp"

namespace fedhpc {

// The round facts a server step may need besides the aggregate.
struct RoundFacts {
  std::size_t aggregated = 0;   // members with a non-zero coefficient
  std::size_t num_clients = 0;  // the federation's N
};

class ServerStep {
 public:
  virtual ~ServerStep() = default;
  virtual void step(std::span<float> global, std::span<const double> aggregate, const RoundFacts& facts) = 0;
  virtual std::vector<double> state() const { return {}; }
  virtual void restore(std::span<const double> /*state*/) {}
  // Recorded per round as server_lr.
  virtual double learning_rate() const = 0;
  // A vector the aggregation measures updates against (centered clipping's
  // previous aggregate); empty when the step keeps none.
  virtual std::span<const double> center() const { return {}; }
};

struct ServerStepSpec {
  std::string_view name;
  std::unique_ptr<ServerStep> (*make)(const StrategyConfig& options, std::size_t dim);
  std::size_t (*state_size)(std::size_t dim);
};

}  // namespace fedhpc
