#include "privacy/dp_params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace fedhpc {

std::optional<double> update_noise_multiplier(double z, double count_stddev) {
  if (z == 0.0) return 0.0;
  const double rest = 1.0 / (z * z) - 1.0 / (4.0 * count_stddev * count_stddev);
  if (!(rest > 0.0)) return std::nullopt;
  return 1.0 / std::sqrt(rest);
}

DpParams dp_params(const RunConfig& c) {
  const DpConfig& d = c.privacy.dp;
  DpParams p;
  p.mode = d.mode;
  p.adaptive = d.clip == ClipKind::Adaptive;
  p.clip_norm = d.clip_norm;
  p.target_quantile = d.target_quantile;
  p.clip_lr = d.clip_lr;
  p.denominator = static_cast<double>(c.strategy.clients_per_round);
  p.sampling_rate = p.denominator / static_cast<double>(std::max(c.data.num_clients, 1));
  p.count_stddev = d.count_stddev_auto ? p.denominator / 20.0 : d.count_stddev;
  p.noise_multiplier = d.noise_multiplier;
  p.update_noise = p.adaptive ? update_noise_multiplier(d.noise_multiplier, p.count_stddev).value_or(NAN)
                              : d.noise_multiplier;
  p.delta = d.delta_auto ? std::min(1e-5, 1.0 / static_cast<double>(std::max(c.data.num_clients, 1))) : d.delta;
  return p;
}

std::string describe_dp(const RunConfig& c) {
  if (c.privacy.dp.mode == DpMode::Off) return "off";
  const DpParams p = dp_params(c);
  const std::string clip =
      p.adaptive ? fmt::format("adaptive clipping from {:g} (target quantile {:g}, clip_lr {:g}, count noise {:g}; "
                               "updates' noise multiplier {:.6g})",
                               p.clip_norm, p.target_quantile, p.clip_lr, p.count_stddev, p.update_noise)
                 : fmt::format("clip norm {:g}", p.clip_norm);
  const bool poisson = c.strategy.sampling == SamplingKind::Poisson;
  return fmt::format(
      "DP-FedAvg, {} noise, noise multiplier {:g}, {}; sum / {:g} (the expected cohort, a fixed denominator); "
      "accountant: RDP of the Poisson-subsampled Gaussian, q = {:g}, delta = {:g}{}",
      to_string(p.mode), p.noise_multiplier, clip, p.denominator, p.sampling_rate, p.delta,
      poisson ? "" : " (cohorts are drawn at a fixed size: the Poisson analysis is an approximation)");
}

}  // namespace fedhpc
