#include "data/dataset.hpp"

#include <functional>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace fedhpc {

std::int64_t Dataset::feature_size() const {
  return std::accumulate(sample_shape.begin(), sample_shape.end(), std::int64_t{1}, std::multiplies<>());
}

Dataset random_dataset(std::int64_t num_samples, std::vector<std::int64_t> sample_shape, int num_classes,
                       std::uint64_t seed) {
  Dataset d;
  d.sample_shape = std::move(sample_shape);
  d.num_classes = num_classes;
  Rng rng(seed);
  d.features.resize(static_cast<std::size_t>(num_samples * d.feature_size()));
  for (auto& v : d.features) v = static_cast<float>(rng.uniform());
  d.labels.resize(static_cast<std::size_t>(num_samples));
  for (auto& y : d.labels) y = static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(num_classes)));
  return d;
}

}  // namespace fedhpc
