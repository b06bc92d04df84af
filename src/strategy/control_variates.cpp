#include "strategy/control_variates.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace fedhpc {

void control_correction(std::span<const float> c_local, std::span<const float> c_global, std::span<float> out) {
  FEDHPC_CHECK(c_local.size() == c_global.size() && out.size() == c_global.size(), "control variates of {}/{}/{}",
               c_local.size(), c_global.size(), out.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = c_global[i] - c_local[i];
}

void update_control_variate(std::span<float> c_local, std::span<const float> c_global, std::span<const float> delta,
                            std::int64_t steps, double lr, std::span<float> delta_c_out) {
  FEDHPC_CHECK(c_local.size() == c_global.size() && delta.size() == c_global.size() &&
                   delta_c_out.size() == c_global.size(),
               "control variates of {}/{}/{}/{}", c_local.size(), c_global.size(), delta.size(), delta_c_out.size());
  if (steps <= 0) {  // no local work: nothing learned about the client's drift
    std::fill(delta_c_out.begin(), delta_c_out.end(), 0.0f);
    return;
  }
  const double scale = 1.0 / (static_cast<double>(steps) * lr);
  for (std::size_t i = 0; i < c_local.size(); ++i) {
    const double updated = static_cast<double>(c_local[i]) - static_cast<double>(c_global[i]) -
                           static_cast<double>(delta[i]) * scale;
    const auto next = static_cast<float>(updated);
    delta_c_out[i] = next - c_local[i];
    c_local[i] = next;
  }
}

}  // namespace fedhpc
