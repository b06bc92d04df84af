#include "strategy/server_opt.hpp"

#include "core/error.hpp"

namespace fedhpc {

void apply_server_sgd(std::span<float> global, std::span<const double> mean_delta, double server_lr) {
  FEDHPC_CHECK(global.size() == mean_delta.size(), "model {} vs update {}", global.size(), mean_delta.size());
  for (std::size_t i = 0; i < global.size(); ++i)
    global[i] = static_cast<float>(static_cast<double>(global[i]) + server_lr * mean_delta[i]);
}

}  // namespace fedhpc
