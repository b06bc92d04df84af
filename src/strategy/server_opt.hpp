#pragma once
// Server optimizers: what root does with the round's aggregate Delta (the
// combined client update y - x, a "negative pseudo-gradient"). State is kept
// in double on root only; the model stays float and every rank receives it by
// broadcast, so none of this needs to be replicated.
#include <span>
#include <vector>

#include "config/schema.hpp"
#include "strategy/server_step.hpp"

namespace fedhpc {

// The optimizer family of the built-in rows.
enum class ServerRule { Sgd, Momentum, Adam, Yogi, Adagrad };
constexpr const char* to_string(ServerRule rule) {
  switch (rule) {
    case ServerRule::Sgd: return "sgd";
    case ServerRule::Momentum: return "momentum";
    case ServerRule::Adam: return "adam";
    case ServerRule::Yogi: return "yogi";
    case ServerRule::Adagrad: return "adagrad";
  }
  return "?";
}

class ServerOptimizer : public ServerStep {
 public:
  ServerOptimizer(ServerRule rule, const StrategyConfig& options, std::size_t dim);

  // x <- x + update(Delta), each coordinate computed in double and rounded
  // once to float. Rules (eta = server_lr, as in the papers):
  //   sgd       x += eta Delta                                  (McMahan et al. 2017)
  //   momentum  v = beta v + Delta;  x += eta v                 (Hsu et al. 2019, FedAvgM)
  //   adam      m = b1 m + (1-b1) Delta; v = b2 v + (1-b2) Delta^2
  //   yogi      m as adam; v = v - (1-b2) Delta^2 sign(v - Delta^2)
  //   adagrad   m as adam; v = v + Delta^2
  //             x += eta m / (sqrt(v) + tau)                    (Reddi et al. 2021, Alg. 2; no bias correction)
  // m and v start at zero.
  void step(std::span<float> global, std::span<const double> aggregate);
  void step(std::span<float> global, std::span<const double> aggregate, const RoundFacts&) override {
    step(global, aggregate);
  }

  ServerRule rule() const { return rule_; }

  // The moments (m then v) for a checkpoint, and back.
  static std::size_t state_size(ServerRule rule, std::size_t dim);
  std::vector<double> state() const override;
  void restore(std::span<const double> state) override;
  double learning_rate() const override { return lr_; }

 private:
  ServerRule rule_;
  double lr_, momentum_, beta1_, beta2_, tau_;
  std::vector<double> m_, v_;
};

// The built-in rows' server parts, one per rule.
extern const ServerStepSpec kServerSgd, kServerMomentum, kServerAdam, kServerYogi, kServerAdagrad;

}  // namespace fedhpc
