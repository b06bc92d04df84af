#include "attack/model_poison.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace fedhpc {

void sign_flip(std::span<float> update, double scale) {
  for (float& v : update) v = static_cast<float>(-scale * static_cast<double>(v));
}

void boost(std::span<float> update, double scale) {
  for (float& v : update) v = static_cast<float>(scale * static_cast<double>(v));
}

void gaussian_noise(std::span<float> update, double sigma, Rng& rng) {
  for (float& v : update) v = static_cast<float>(rng.normal(0.0, sigma));
}

void same_value(std::span<float> update, double value) { std::fill(update.begin(), update.end(), static_cast<float>(value)); }

void honest_moments(std::span<const double> sum, std::span<const double> sum_sq, double n, std::span<double> mean,
                    std::span<double> std_dev) {
  FEDHPC_CHECK(n > 0 && sum.size() == sum_sq.size() && mean.size() == sum.size() && std_dev.size() == sum.size(),
               "honest_moments: {} updates, {} sums", n, sum.size());
  for (std::size_t i = 0; i < sum.size(); ++i) {
    mean[i] = sum[i] / n;
    // Rounding can leave E[x^2] - mean^2 a hair below 0 for equal values.
    std_dev[i] = std::sqrt(std::max(0.0, sum_sq[i] / n - mean[i] * mean[i]));
  }
}

void alie(std::span<const double> honest_mean, std::span<const double> honest_std, double z, std::span<float> update) {
  FEDHPC_CHECK(honest_mean.size() == update.size() && honest_std.size() == update.size(),
               "alie: {} means and {} deviations for {} coordinates", honest_mean.size(), honest_std.size(),
               update.size());
  for (std::size_t i = 0; i < update.size(); ++i) update[i] = static_cast<float>(honest_mean[i] - z * honest_std[i]);
}

double normal_quantile(double p) {
  FEDHPC_CHECK(p > 0.0 && p < 1.0, "normal_quantile of {}", p);
  // Phi(x) = erfc(-x / sqrt 2) / 2 rises with x: bisect until the interval
  // stops shrinking.
  double lo = -40.0, hi = 40.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid == lo || mid == hi) break;
    (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double alie_default_z(std::size_t n, std::size_t m) {
  FEDHPC_CHECK(n >= 2, "alie_default_z needs two clients or more, found {}", n);
  const auto half = static_cast<long long>(n / 2 + 1);
  const long long s = std::clamp<long long>(half - static_cast<long long>(m), 1, static_cast<long long>(n) - 1);
  return normal_quantile(static_cast<double>(static_cast<long long>(n) - s) / static_cast<double>(n));
}

void inner_product_manipulation(std::span<const double> honest_mean, double epsilon, std::span<float> update) {
  FEDHPC_CHECK(honest_mean.size() == update.size(), "ipm: {} means for {} coordinates", honest_mean.size(),
               update.size());
  for (std::size_t i = 0; i < update.size(); ++i) update[i] = static_cast<float>(-epsilon * honest_mean[i]);
}

}  // namespace fedhpc
