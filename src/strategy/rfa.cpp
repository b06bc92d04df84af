#include "strategy/rfa.hpp"

#include <algorithm>

#include "strategy/affine_distance.hpp"
#include "strategy/builtin.hpp"
#include "strategy/catalog.hpp"
#include "strategy/coefficients.hpp"
#include "strategy/server_opt.hpp"

namespace fedhpc {

std::vector<double> weiszfeld_weights(std::span<const double> sqdist, std::span<const double> alpha, int iterations,
                                      double smoothing) {
  std::vector<double> w(alpha.begin(), alpha.end());
  for (int t = 0; t < iterations; ++t) {
    const std::vector<double> dist = distances_from_combination(sqdist, w.size(), w);
    double total = 0.0;
    for (std::size_t k = 0; k < w.size(); ++k) {
      w[k] = alpha[k] / std::max(smoothing, dist[k]);
      total += w[k];
    }
    if (total <= 0.0) return std::vector<double>(alpha.begin(), alpha.end());  // no samples at all
    for (double& x : w) x /= total;
  }
  return w;
}

namespace {

std::vector<double> rfa_choose(std::span<const double> sqdist, std::size_t, std::size_t k,
                               std::span<const std::int64_t> samples, const StrategyConfig& o) {
  const std::vector<double> alpha = sample_weights(samples.first(k));
  return weiszfeld_weights(sqdist, alpha, static_cast<int>(extra_option(o, "rfa_iterations")),
                           extra_option(o, "rfa_smoothing"));
}

const AggregationRule kGeometricMedian{
    .name = "geometric_median", .shape = AggregationShape::Selection, .choose = rfa_choose};

constexpr StrategyOption kOptions[] = {
    {.key = "rfa_iterations",
     .min = 1,
     .meaning = "smoothed Weiszfeld iterations of RFA's geometric median",
     .is_integer = true},
    {.key = "rfa_smoothing",
     .min = 0,
     .min_exclusive = true,
     .max = 1,
     .meaning = "RFA's nu: distances below it count as nu (no division by zero)"},
};
constexpr OptionDefault kDefaults[] = {{"rfa_iterations", 3}, {"rfa_smoothing", 1e-6}};

const StrategyRegistrar kRow({"rfa",
                              "RFA (Pillutla et al. 2022): sample-weighted geometric median (smoothed Weiszfeld)",
                              &kGeometricMedian, &kServerSgd, &kLocalSgdClient, kDefaults, kOptions});

}  // namespace

}  // namespace fedhpc
