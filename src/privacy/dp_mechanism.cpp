#include "privacy/dp_mechanism.hpp"

#include <cmath>

#include "core/rng.hpp"

namespace fedhpc {

namespace {
// The server's draws: the update noise and the count noise, apart.
constexpr std::uint32_t kServerNoise = 0;
constexpr std::uint32_t kCountNoise = 1;
}  // namespace

DpMechanism::DpMechanism(const RunConfig& config)
    : seed_(config.seed), params_(dp_params(config)), clip_norm_(params_.clip_norm) {}

bool DpMechanism::clip(std::span<float> update) const {
  double sq = 0.0;
  for (float v : update) sq += static_cast<double>(v) * static_cast<double>(v);
  const double norm = std::sqrt(sq);
  if (norm <= clip_norm_) return true;
  const double scale = clip_norm_ / norm;
  for (float& v : update) v = static_cast<float>(static_cast<double>(v) * scale);
  return false;
}

void DpMechanism::add_local_noise(Round round, ClientId client, std::span<float> update) const {
  const double stddev = params_.update_noise * clip_norm_;
  if (stddev == 0.0) return;
  Rng rng(derive_seed(seed_, Stream::Privacy, round, client));
  for (float& v : update) v = static_cast<float>(static_cast<double>(v) + stddev * rng.normal());
}

void DpMechanism::add_central_noise(Round round, std::span<double> mean) const {
  const double stddev = params_.update_noise * clip_norm_ / params_.denominator;
  if (stddev == 0.0) return;
  Rng rng(derive_seed(seed_, Stream::Privacy, to_int(round), kServerNoise) ^ 0x5345525645520000ULL);
  for (double& v : mean) v += stddev * rng.normal();
}

double DpMechanism::next_clip_norm(Round round, std::int64_t unclipped) const {
  if (!params_.adaptive) return clip_norm_;
  double noise = 0.0;
  if (params_.noise_multiplier > 0.0) {
    Rng rng(derive_seed(seed_, Stream::Privacy, to_int(round), kCountNoise) ^ 0x5345525645520000ULL);
    noise = params_.count_stddev * rng.normal();
  }
  const double share = (static_cast<double>(unclipped) + noise) / params_.denominator;
  return clip_norm_ * std::exp(-params_.clip_lr * (share - params_.target_quantile));
}

}  // namespace fedhpc
