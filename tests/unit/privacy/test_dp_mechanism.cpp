// DP-FedAvg's arithmetic: clipping, the noise's scale and determinism, the
// noise split of adaptive clipping and its geometric update, the autos.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "fl/aggregation.hpp"
#include "privacy/dp_mechanism.hpp"
#include "privacy/dp_params.hpp"

using namespace fedhpc;

namespace {
RunConfig dp_config(DpMode mode, double clip, double z) {
  RunConfig c;
  c.data.num_clients = 100;
  c.strategy.clients_per_round = 4;
  c.privacy.dp.mode = mode;
  c.privacy.dp.clip_norm = clip;
  c.privacy.dp.noise_multiplier = z;
  return c;
}

double stddev(std::span<const double> v) {
  double m = 0, s = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}
}  // namespace

TEST(DpMechanism, ClipScalesDownToTheNormAndLeavesShortUpdatesAlone) {
  const DpMechanism dp(dp_config(DpMode::Central, 1.0, 1.0));
  std::vector<float> long_one{3.0f, 4.0f}, short_one{0.3f, 0.4f};
  EXPECT_FALSE(dp.clip(long_one));
  EXPECT_EQ(long_one, (std::vector<float>{0.6f, 0.8f}));
  EXPECT_TRUE(dp.clip(short_one));
  EXPECT_EQ(short_one, (std::vector<float>{0.3f, 0.4f}));
}

TEST(DpMechanism, CentralNoiseHasStddevZCOverKAndIsTheSameEachTime) {
  const DpMechanism dp(dp_config(DpMode::Central, 0.5, 2.0));
  std::vector<double> a(100000, 0.0), b(100000, 0.0), other(100000, 0.0);
  dp.add_central_noise(Round{3}, a);
  dp.add_central_noise(Round{3}, b);
  dp.add_central_noise(Round{4}, other);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, other);
  EXPECT_NEAR(stddev(a), 2.0 * 0.5 / 4, 0.01 * 0.25);
}

TEST(DpMechanism, LocalNoiseIsTheClientsOwnDraw) {
  const DpMechanism dp(dp_config(DpMode::Local, 0.5, 2.0));
  std::vector<float> a(100000, 0.0f), b(100000, 0.0f), other(100000, 0.0f);
  dp.add_local_noise(Round{1}, ClientId{7}, a);
  dp.add_local_noise(Round{1}, ClientId{7}, b);
  dp.add_local_noise(Round{1}, ClientId{8}, other);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, other);
  const std::vector<double> wide(a.begin(), a.end());
  EXPECT_NEAR(stddev(wide), 2.0 * 0.5, 0.01);
}

TEST(DpMechanism, AdaptiveClippingStepsGeometricallyTowardsTheQuantile) {
  RunConfig c = dp_config(DpMode::Central, 1.0, 0.0);  // no noise: the step alone
  c.privacy.dp.clip = ClipKind::Adaptive;
  c.privacy.dp.target_quantile = 0.5;
  c.privacy.dp.clip_lr = 0.2;
  const DpMechanism dp(c);
  // All 4 unclipped: share 1, C exp(-0.2 x 0.5); none: C exp(+0.1).
  EXPECT_DOUBLE_EQ(dp.next_clip_norm(Round{1}, 4), std::exp(-0.1));
  EXPECT_DOUBLE_EQ(dp.next_clip_norm(Round{1}, 0), std::exp(0.1));
  EXPECT_DOUBLE_EQ(dp.next_clip_norm(Round{1}, 2), 1.0);
  c.privacy.dp.clip = ClipKind::Fixed;
  EXPECT_EQ(DpMechanism(c).next_clip_norm(Round{1}, 4), 1.0);
}

TEST(DpParams, TheCountsNoiseTakesItsShareOfZ) {
  // (z^-2 - (2 sigma_b)^-2)^(-1/2): z = 1, sigma_b = 1 gives 1 / sqrt(3/4).
  EXPECT_DOUBLE_EQ(*update_noise_multiplier(1.0, 1.0), 1.0 / std::sqrt(0.75));
  EXPECT_FALSE(update_noise_multiplier(2.0, 1.0).has_value());
  EXPECT_EQ(*update_noise_multiplier(0.0, 1.0), 0.0);
}

TEST(DpParams, AutosResolveFromTheCohortAndThePopulation) {
  RunConfig c = dp_config(DpMode::Central, 1.0, 1.0);
  c.strategy.clients_per_round = 40;
  c.privacy.dp.clip = ClipKind::Adaptive;
  DpParams p = dp_params(c);
  EXPECT_EQ(p.count_stddev, 2.0);  // K / 20
  EXPECT_EQ(p.delta, 1e-5);        // min(1e-5, 1 / 100)
  EXPECT_EQ(p.sampling_rate, 0.4);
  EXPECT_EQ(p.denominator, 40.0);
  EXPECT_DOUBLE_EQ(p.update_noise, 1.0 / std::sqrt(1.0 - 1.0 / 16));
  c.data.num_clients = 1000000;
  EXPECT_EQ(dp_params(c).delta, 1e-6);
}

TEST(DpParams, TheFixedDenominatorWeighsEveryMemberOneOverK) {
  EXPECT_EQ(fixed_denominator_weights(3, 5), (std::vector<double>{0.2, 0.2, 0.2}));
}
