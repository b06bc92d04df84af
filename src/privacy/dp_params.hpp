#pragma once
// DP-FedAvg's parameters as a run uses them: the configuration's autos
// resolved, and the split of the noise between the updates and the
// adaptive clipping's count (Andrew et al. 2021, Theorem 1). Pure; the
// validation and the round read the same numbers from here.
#include <optional>
#include <string>

#include "config/schema.hpp"

namespace fedhpc {

struct DpParams {
  DpMode mode = DpMode::Off;
  bool adaptive = false;
  double clip_norm = 0.0;         // C of the first round
  double target_quantile = 0.0;   // adaptive
  double clip_lr = 0.0;           // adaptive
  double count_stddev = 0.0;      // adaptive: sigma_b, noise on the unclipped count
  double noise_multiplier = 0.0;  // z of the whole mechanism: what the accountant sees
  double update_noise = 0.0;      // z_Delta: the updates' share (= z without adaptive clipping)
  double denominator = 1.0;       // the expected cohort size K: the sum is divided by it
  double sampling_rate = 0.0;     // q = K / N
  double delta = 0.0;
};

DpParams dp_params(const RunConfig& config);

// z_Delta = (z^-2 - (2 sigma_b)^-2)^(-1/2): the updates' noise multiplier
// that, with the count's noise sigma_b, makes one round the Gaussian
// mechanism with multiplier z. Empty when the count alone would need more
// than z allows (2 sigma_b <= z); 0 for z = 0.
std::optional<double> update_noise_multiplier(double z, double count_stddev);

// One line for the results file and `fedhpc report`.
std::string describe_dp(const RunConfig& config);

}  // namespace fedhpc
