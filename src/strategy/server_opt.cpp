#include "strategy/server_opt.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace fedhpc {

ServerOptimizer::ServerOptimizer(ServerRule rule, const StrategyConfig& o, std::size_t dim)
    : rule_(rule), lr_(o.server_lr), momentum_(o.server_momentum), beta1_(o.beta1), beta2_(o.beta2), tau_(o.tau) {
  if (rule_ != ServerRule::Sgd) m_.assign(dim, 0.0);
  if (rule_ != ServerRule::Sgd && rule_ != ServerRule::Momentum) v_.assign(dim, 0.0);
}

std::size_t ServerOptimizer::state_size(ServerRule rule, std::size_t dim) {
  if (rule == ServerRule::Sgd) return 0;
  return rule == ServerRule::Momentum ? dim : 2 * dim;
}

std::vector<double> ServerOptimizer::state() const {
  std::vector<double> s(m_);
  s.insert(s.end(), v_.begin(), v_.end());
  return s;
}

void ServerOptimizer::restore(std::span<const double> state) {
  FEDHPC_CHECK(state.size() == m_.size() + v_.size(), "server optimizer state of {} values, expected {}",
               state.size(), m_.size() + v_.size());
  std::copy(state.begin(), state.begin() + static_cast<std::ptrdiff_t>(m_.size()), m_.begin());
  std::copy(state.begin() + static_cast<std::ptrdiff_t>(m_.size()), state.end(), v_.begin());
}

void ServerOptimizer::step(std::span<float> global, std::span<const double> delta) {
  FEDHPC_CHECK(global.size() == delta.size(), "model {} vs update {}", global.size(), delta.size());
  const std::size_t d = global.size();
  auto apply = [&](std::size_t i, double change) {
    global[i] = static_cast<float>(static_cast<double>(global[i]) + change);
  };
  switch (rule_) {
    case ServerRule::Sgd:
      for (std::size_t i = 0; i < d; ++i) apply(i, lr_ * delta[i]);
      return;
    case ServerRule::Momentum:
      for (std::size_t i = 0; i < d; ++i) {
        m_[i] = momentum_ * m_[i] + delta[i];
        apply(i, lr_ * m_[i]);
      }
      return;
    case ServerRule::Adam:
    case ServerRule::Yogi:
    case ServerRule::Adagrad:
      for (std::size_t i = 0; i < d; ++i) {
        const double g = delta[i], g2 = g * g;
        m_[i] = beta1_ * m_[i] + (1.0 - beta1_) * g;
        if (rule_ == ServerRule::Adam) {
          v_[i] = beta2_ * v_[i] + (1.0 - beta2_) * g2;
        } else if (rule_ == ServerRule::Yogi) {
          const double diff = v_[i] - g2;
          const double sign = diff > 0.0 ? 1.0 : (diff < 0.0 ? -1.0 : 0.0);
          v_[i] = v_[i] - (1.0 - beta2_) * g2 * sign;
        } else {
          v_[i] = v_[i] + g2;
        }
        apply(i, lr_ * m_[i] / (std::sqrt(v_[i]) + tau_));
      }
      return;
  }
}

namespace {
template <ServerRule R>
std::unique_ptr<ServerStep> make_optimizer(const StrategyConfig& options, std::size_t dim) {
  return std::make_unique<ServerOptimizer>(R, options, dim);
}
template <ServerRule R>
std::size_t optimizer_state_size(std::size_t dim) {
  return ServerOptimizer::state_size(R, dim);
}
template <ServerRule R>
constexpr ServerStepSpec optimizer_spec() {
  return {to_string(R), make_optimizer<R>, optimizer_state_size<R>};
}
}  // namespace

constinit const ServerStepSpec kServerSgd = optimizer_spec<ServerRule::Sgd>();
constinit const ServerStepSpec kServerMomentum = optimizer_spec<ServerRule::Momentum>();
constinit const ServerStepSpec kServerAdam = optimizer_spec<ServerRule::Adam>();
constinit const ServerStepSpec kServerYogi = optimizer_spec<ServerRule::Yogi>();
constinit const ServerStepSpec kServerAdagrad = optimizer_spec<ServerRule::Adagrad>();

}  // namespace fedhpc
