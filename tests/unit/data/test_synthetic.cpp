#include <gtest/gtest.h>

#include <set>

#include "data/client_samples.hpp"
#include "data/partition.hpp"
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

// On-demand data: a device generated alone is the device of the
// whole set, bit for bit; the partition knows only sizes; the test set pools
// the first test_devices devices.
TEST(SyntheticOnDemand, EachClientIsItsDeviceOfTheWholeSet) {
  SyntheticConfig cfg;
  cfg.test_devices = 3;
  const auto whole = make_synthetic(cfg, 6, 8);
  PartitionConfig natural;
  natural.kind = PartitionKind::Natural;
  const Partition eager = make_partition(natural, 6, whole.train.labels,
                                         whole.train.num_classes, whole.train.natural_owner, 8);
  const SyntheticGenerator gen(cfg, 8);
  const Partition lazy = make_on_demand_partition(gen, 6);
  EXPECT_TRUE(lazy.on_demand());
  EXPECT_EQ(lazy.num_clients(), 6);
  EXPECT_EQ(lazy.sizes(), eager.sizes());
  EXPECT_EQ(lazy.class_counts({}, 10), std::vector<std::int64_t>(60, -1));
  const Dataset none = gen.empty();
  ClientSamples samples(none, lazy, &gen);
  const std::int64_t fs = whole.train.feature_size();
  for (std::uint32_t k = 0; k < 6; ++k) {
    const auto view = samples.of(k);
    ASSERT_EQ(view.rows.size(), eager.clients[k].size());
    for (std::size_t i = 0; i < view.rows.size(); ++i) {
      const auto row = eager.clients[k][i];
      ASSERT_EQ(view.data.labels[static_cast<std::size_t>(view.rows[i])], whole.train.labels[static_cast<std::size_t>(row)]);
      for (std::int64_t j = 0; j < fs; ++j)
        ASSERT_EQ(view.data.features[static_cast<std::size_t>(view.rows[i] * fs + j)],
                  whole.train.features[static_cast<std::size_t>(row * fs + j)]);
    }
  }
  // The test set: devices 0..2's test samples, in order.
  const auto on_demand = make_synthetic_on_demand(cfg, 6, 8);
  const auto first3 = make_synthetic(cfg, 3, 8);
  EXPECT_EQ(on_demand.train.size(), 0);
  EXPECT_EQ(on_demand.test.labels, first3.test.labels);
  EXPECT_EQ(on_demand.test.features, first3.test.features);
}
