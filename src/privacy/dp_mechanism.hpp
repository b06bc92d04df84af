#pragma once
// The per-round arithmetic of DP-FedAvg (McMahan et al. 2018) with adaptive
// clipping (Andrew et al. 2021). Every draw derives from (seed, Privacy,
// round, client), the server's from client 0 of a separate draw, so the
// noise is the same on every rank count. No communication: the round
// reduces the unclipped count and hands the total to next_clip_norm on root.
#include <cstdint>
#include <span>

#include "config/schema.hpp"
#include "core/types.hpp"
#include "privacy/dp_params.hpp"

namespace fedhpc {

class DpMechanism {
 public:
  explicit DpMechanism(const RunConfig& config);

  bool on() const { return params_.mode != DpMode::Off; }
  const DpParams& params() const { return params_; }
  double clip_norm() const { return clip_norm_; }
  void set_clip_norm(double c) { clip_norm_ = c; }

  // Scales `update` down to L2 norm clip_norm() when it is longer; true when
  // it was not (the bit adaptive clipping counts).
  bool clip(std::span<float> update) const;
  // Local mode: N(0, (z_Delta C)^2) in every coordinate, the client's own draw.
  void add_local_noise(Round round, ClientId client, std::span<float> update) const;
  // Central mode, on the server: the sum's noise N(0, (z_Delta C)^2), divided
  // by the denominator like the sum, added to the mean update.
  void add_central_noise(Round round, std::span<double> mean) const;
  // Adaptive clipping: C exp(-clip_lr (b - target)), b the unclipped count
  // plus N(0, sigma_b^2), over the expected cohort. Fixed clipping: C.
  double next_clip_norm(Round round, std::int64_t unclipped) const;

 private:
  std::uint64_t seed_;
  DpParams params_;
  double clip_norm_;
};

}  // namespace fedhpc
