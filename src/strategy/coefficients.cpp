#include "strategy/coefficients.hpp"

#include <cmath>

#include "core/error.hpp"

namespace fedhpc {

std::vector<double> sample_weights(std::span<const std::int64_t> samples) {
  std::vector<double> p(samples.size(), 0.0);
  double total = 0.0;
  for (auto n : samples) total += static_cast<double>(n);
  if (total > 0.0)
    for (std::size_t k = 0; k < samples.size(); ++k) p[k] = static_cast<double>(samples[k]) / total;
  return p;
}

std::vector<double> sample_weights_of(std::span<const std::int64_t> samples, std::span<const std::uint8_t> keep) {
  FEDHPC_CHECK(samples.size() == keep.size(), "{} sample counts vs {} flags", samples.size(), keep.size());
  std::vector<std::int64_t> kept(samples.begin(), samples.end());
  for (std::size_t k = 0; k < kept.size(); ++k)
    if (!keep[k]) kept[k] = 0;
  return sample_weights(kept);
}

double fednova_effective_steps(std::int64_t tau, double momentum, double lr, double mu) {
  if (tau <= 0) return 0.0;
  const double t = static_cast<double>(tau);
  if (momentum == 0.0 && mu == 0.0) return t;
  if (mu == 0.0) {
    const double r = momentum;
    return (t - r * (1.0 - std::pow(r, t)) / (1.0 - r)) / (1.0 - r);
  }
  if (momentum == 0.0) {
    const double s = lr * mu;
    return (1.0 - std::pow(1.0 - s, t)) / s;
  }
  double v = 0.0, d = 0.0;  // momentum buffer and displacement y - x, per unit gradient
  for (std::int64_t k = 0; k < tau; ++k) {
    v = momentum * v + 1.0 + mu * d;
    d -= lr * v;
  }
  return -d / lr;
}

std::vector<double> fednova_coefficients(std::span<const std::int64_t> samples, std::span<const double> steps) {
  FEDHPC_CHECK(samples.size() == steps.size(), "{} sample counts vs {} step counts", samples.size(), steps.size());
  double n = 0.0, weighted_steps = 0.0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    n += static_cast<double>(samples[i]);
    weighted_steps += static_cast<double>(samples[i]) * steps[i];
  }
  const std::vector<double> p = sample_weights(samples);
  std::vector<double> coef(samples.size(), 0.0);
  if (n <= 0.0) return coef;
  const double tau_eff = weighted_steps / n;
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (steps[i] > 0.0) coef[i] = p[i] * (tau_eff / steps[i]);
  return coef;
}

std::vector<double> qffl_coefficients(std::span<const double> initial_loss, std::span<const double> delta_sqnorm,
                                      double q, double lr) {
  FEDHPC_CHECK(initial_loss.size() == delta_sqnorm.size(), "{} losses vs {} norms", initial_loss.size(),
               delta_sqnorm.size());
  const double lipschitz = 1.0 / lr;
  std::vector<double> fq(initial_loss.size());
  double h_over_l = 0.0;
  for (std::size_t k = 0; k < initial_loss.size(); ++k) {
    const double f = initial_loss[k] + 1e-10;
    fq[k] = std::pow(f, q);
    h_over_l += q * std::pow(f, q - 1.0) * lipschitz * delta_sqnorm[k] + fq[k];
  }
  std::vector<double> coef(fq.size(), 0.0);
  if (h_over_l > 0.0)
    for (std::size_t k = 0; k < fq.size(); ++k) coef[k] = fq[k] / h_over_l;
  return coef;
}

}  // namespace fedhpc
