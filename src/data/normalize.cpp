#include "data/normalize.hpp"

#include "core/error.hpp"

namespace fedhpc {

void normalize(Dataset& data, const NormalizeConfig& config) {
  if (config.mean.empty()) return;
  const std::int64_t channels = data.sample_shape.size() >= 3 ? data.sample_shape[0] : 1;
  const auto n = static_cast<std::int64_t>(config.mean.size());
  if (n != 1 && n != channels)
    throw InputError(channels == 1 ? fmt::format("data.normalize.mean: expected 1 value (the data has one channel), "
                                                 "found {}",
                                                 n)
                                   : fmt::format("data.normalize.mean: expected 1 or {} values (the data's channels), "
                                                 "found {}",
                                                 channels, n));
  if (data.size() == 0) return;
  const std::int64_t per_channel = data.feature_size() / channels;
  std::size_t at = 0;
  for (std::int64_t i = 0; i < data.size(); ++i) {
    for (std::int64_t c = 0; c < channels; ++c) {
      const auto k = static_cast<std::size_t>(n == 1 ? 0 : c);
      const auto mean = static_cast<float>(config.mean[k]);
      const auto std = static_cast<float>(config.std[k]);
      for (std::int64_t j = 0; j < per_channel; ++j, ++at) data.features[at] = (data.features[at] - mean) / std;
    }
  }
}

}  // namespace fedhpc
