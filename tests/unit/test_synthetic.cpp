#include <gtest/gtest.h>

#include <set>

#include "data/synthetic.hpp"

using namespace fedhpc;

TEST(Synthetic, FollowsTheFedProxRecipeShape) {
  const auto s = make_synthetic(SyntheticConfig{}, 30, 1);
  EXPECT_EQ(s.train.sample_shape, std::vector<std::int64_t>{60});
  EXPECT_EQ(s.train.num_classes, 10);
  EXPECT_EQ(s.train.feature_size(), 60);
  EXPECT_EQ(static_cast<std::int64_t>(s.train.features.size()), s.train.size() * 60);
  // Every device has n_k >= 50 samples, 90% of them (floored) for training.
  std::vector<std::int64_t> per_device(30, 0);
  for (auto o : s.train.natural_owner) ++per_device[static_cast<std::size_t>(o)];
  for (auto n : per_device) EXPECT_GE(n, 45);
  EXPECT_TRUE(s.test.natural_owner.empty());
  std::set<std::int64_t> labels(s.train.labels.begin(), s.train.labels.end());
  for (auto y : labels) EXPECT_LT(y, 10);
}

TEST(Synthetic, IsAPureFunctionOfTheSeed) {
  const auto a = make_synthetic(SyntheticConfig{}, 5, 3), b = make_synthetic(SyntheticConfig{}, 5, 3);
  const auto c = make_synthetic(SyntheticConfig{}, 5, 4);
  EXPECT_EQ(a.train.features, b.train.features);
  EXPECT_EQ(a.train.labels, b.train.labels);
  EXPECT_NE(a.train.features, c.train.features);
}

TEST(Synthetic, IidSharesOneModel) {
  SyntheticConfig cfg;
  cfg.iid = true;
  const auto s = make_synthetic(cfg, 4, 2);
  EXPECT_GT(s.train.size(), 4 * 45);
}
