// Data poisoning on hand-made samples.
#include <gtest/gtest.h>

#include <vector>

#include "attack/data_poison.hpp"
#include "core/rng.hpp"

using namespace fedhpc;

namespace {
// n images of 1 x 5 x 5 with every pixel 0.1 and labels 0, 1, 2, ...
Dataset tiny_images(int n, int num_classes) {
  Dataset d;
  d.sample_shape = {1, 5, 5};
  d.num_classes = num_classes;
  d.features.assign(static_cast<std::size_t>(n) * 25, 0.1f);
  for (int i = 0; i < n; ++i) d.labels.push_back(i % num_classes);
  return d;
}
}  // namespace

TEST(DataPoison, LabelFlipMapsYToCMinus1MinusYOrThePermutation) {
  std::vector<std::int64_t> y{0, 1, 2, 9};
  flip_labels(y, 10, {});
  EXPECT_EQ(y, (std::vector<std::int64_t>{9, 8, 7, 0}));
  const std::vector<std::int64_t> perm{1, 2, 0};
  std::vector<std::int64_t> z{0, 1, 2, 2};
  flip_labels(z, 3, perm);
  EXPECT_EQ(z, (std::vector<std::int64_t>{1, 2, 0, 0}));
}

TEST(DataPoison, TheTriggerIsA3x3SquareOnePixelFromTheCorner) {
  std::vector<float> img(25, 0.0f);
  const std::vector<std::int64_t> shape{1, 5, 5};
  apply_trigger(img, shape, 1.0f);
  // Rows 1..3, columns 1..3 of the 5 x 5 image.
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 5; ++x) EXPECT_EQ(img[static_cast<std::size_t>(y * 5 + x)], (y >= 1 && y <= 3 && x >= 1 && x <= 3) ? 1.0f : 0.0f) << y << "," << x;
  std::vector<float> vec{0, 0, 0, 0, 0};
  const std::vector<std::int64_t> vshape{5};
  apply_trigger(vec, vshape, 2.0f);
  EXPECT_EQ(vec, (std::vector<float>{0, 0, 2, 2, 2}));
}

TEST(DataPoison, ABackdooredCopyTriggersAndRelabelsTheChosenShare) {
  const Dataset d = tiny_images(8, 4);
  const std::vector<std::int64_t> rows{1, 3, 5, 7};  // labels 1, 3, 1, 3
  Rng rng(derive_seed(7, Stream::Attack, 2u, 5u));
  const Dataset b = backdoored_copy(d, rows, 0.5, 0, 1.0f, rng);
  ASSERT_EQ(b.size(), 4);
  // round(0.5 x 4) = 2 samples, the first two of the seeded permutation.
  Rng again(derive_seed(7, Stream::Attack, 2u, 5u));
  const auto order = again.permutation(4);
  for (std::size_t i = 0; i < 4; ++i) {
    const bool poisoned = i == static_cast<std::size_t>(order[0]) || i == static_cast<std::size_t>(order[1]);
    EXPECT_EQ(b.labels[i], poisoned ? 0 : d.labels[static_cast<std::size_t>(rows[i])]) << i;
    EXPECT_EQ(b.features[i * 25 + 6], poisoned ? 1.0f : 0.1f) << i;  // pixel (1, 1)
    EXPECT_EQ(b.features[i * 25 + 0], 0.1f) << i;                     // pixel (0, 0): untouched
  }
}

TEST(DataPoison, TheTriggeredTestSetLeavesOutTheTargetClass) {
  const Dataset test = tiny_images(6, 3);  // labels 0, 1, 2, 0, 1, 2
  const Dataset t = triggered_test_set(test, 2, 1.0f);
  ASSERT_EQ(t.size(), 4);
  EXPECT_EQ(t.labels, (std::vector<std::int64_t>{2, 2, 2, 2}));
  EXPECT_EQ(t.features[6], 1.0f);
  EXPECT_EQ(trigger_value(test), 0.1f);
}

TEST(DataPoison, ALabelFlippedCopyKeepsTheFeatures) {
  const Dataset d = tiny_images(4, 4);
  const std::vector<std::int64_t> rows{2, 3};
  const Dataset f = label_flipped_copy(d, rows, {});
  EXPECT_EQ(f.labels, (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(f.features, std::vector<float>(50, 0.1f));
}
