#include "attack/data_poison.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace fedhpc {

namespace {

// rows of `data`, copied, as a data set of their own (rows 0..n-1).
Dataset copy_rows(const Dataset& data, std::span<const std::int64_t> rows) {
  Dataset out;
  out.sample_shape = data.sample_shape;
  out.num_classes = data.num_classes;
  const auto width = static_cast<std::size_t>(data.feature_size());
  out.features.resize(rows.size() * width);
  out.labels.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto r = static_cast<std::size_t>(rows[i]);
    std::copy_n(data.features.begin() + static_cast<std::ptrdiff_t>(r * width), width,
                out.features.begin() + static_cast<std::ptrdiff_t>(i * width));
    out.labels[i] = data.labels[r];
  }
  return out;
}

std::span<float> sample_of(Dataset& d, std::size_t i) {
  const auto width = static_cast<std::size_t>(d.feature_size());
  return std::span<float>(d.features).subspan(i * width, width);
}

}  // namespace

void flip_labels(std::span<std::int64_t> labels, int num_classes, std::span<const std::int64_t> permutation) {
  for (auto& y : labels) {
    FEDHPC_CHECK(y >= 0 && y < num_classes, "label {} outside [0, {})", y, num_classes);
    y = permutation.empty() ? num_classes - 1 - y : permutation[static_cast<std::size_t>(y)];
  }
}

void apply_trigger(std::span<float> sample, std::span<const std::int64_t> shape, float value) {
  constexpr std::int64_t kSide = 3;
  if (shape.size() == 3 && shape[1] >= kSide + 1 && shape[2] >= kSide + 1) {
    const std::int64_t channels = shape[0], h = shape[1], w = shape[2];
    for (std::int64_t ch = 0; ch < channels; ++ch)
      for (std::int64_t y = h - 1 - kSide; y < h - 1; ++y)
        for (std::int64_t x = w - 1 - kSide; x < w - 1; ++x) sample[static_cast<std::size_t>((ch * h + y) * w + x)] = value;
    return;
  }
  const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(kSide), sample.size());
  std::fill(sample.end() - static_cast<std::ptrdiff_t>(n), sample.end(), value);
}

float trigger_value(const Dataset& data) {
  return data.features.empty() ? 1.0f : *std::max_element(data.features.begin(), data.features.end());
}

Dataset backdoored_copy(const Dataset& data, std::span<const std::int64_t> rows, double poison_fraction,
                        int target_class, float value, Rng& rng) {
  Dataset out = copy_rows(data, rows);
  const auto n = static_cast<std::int64_t>(rows.size());
  const auto poisoned = std::min<std::int64_t>(n, std::llround(poison_fraction * static_cast<double>(n)));
  const std::vector<std::int64_t> order = rng.permutation(n);
  for (std::int64_t j = 0; j < poisoned; ++j) {
    const auto i = static_cast<std::size_t>(order[static_cast<std::size_t>(j)]);
    apply_trigger(sample_of(out, i), out.sample_shape, value);
    out.labels[i] = target_class;
  }
  return out;
}

Dataset label_flipped_copy(const Dataset& data, std::span<const std::int64_t> rows,
                           std::span<const std::int64_t> permutation) {
  Dataset out = copy_rows(data, rows);
  flip_labels(out.labels, out.num_classes, permutation);
  return out;
}

Dataset triggered_test_set(const Dataset& test, int target_class, float value) {
  std::vector<std::int64_t> rows;
  for (std::int64_t i = 0; i < test.size(); ++i)
    if (test.labels[static_cast<std::size_t>(i)] != target_class) rows.push_back(i);
  Dataset out = copy_rows(test, rows);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    apply_trigger(sample_of(out, i), out.sample_shape, value);
    out.labels[i] = target_class;
  }
  return out;
}

}  // namespace fedhpc
