// Model poisoning on hand-made updates, against values computed by hand (and
// scipy.stats.norm.ppf for the quantiles).
#include <gtest/gtest.h>

#include <vector>

#include "attack/model_poison.hpp"
#include "core/rng.hpp"

using namespace fedhpc;

TEST(ModelPoison, SignFlipAndBoostScaleTheHonestUpdate) {
  std::vector<float> u{0.5f, -2.0f, 0.0f};
  sign_flip(u, 1.0);
  EXPECT_EQ(u, (std::vector<float>{-0.5f, 2.0f, 0.0f}));
  sign_flip(u, 4.0);
  EXPECT_EQ(u, (std::vector<float>{2.0f, -8.0f, 0.0f}));
  boost(u, 10.0);
  EXPECT_EQ(u, (std::vector<float>{20.0f, -80.0f, 0.0f}));
}

TEST(ModelPoison, SameValueFillsEveryCoordinate) {
  std::vector<float> u{0.5f, -2.0f};
  same_value(u, 100.0);
  EXPECT_EQ(u, (std::vector<float>{100.0f, 100.0f}));
}

TEST(ModelPoison, GaussianNoiseIsTheSeededDraw) {
  std::vector<float> u(3, 7.0f);
  Rng rng(derive_seed(1, Stream::Attack, 3u, 5u));
  gaussian_noise(u, 2.0, rng);
  Rng again(derive_seed(1, Stream::Attack, 3u, 5u));
  for (float v : u) EXPECT_EQ(v, static_cast<float>(2.0 * again.normal()));
}

// Three honest updates: (1, 2), (3, 2), (5, 8). Mean (3, 4); population
// variances (4 + 0 + 4) / 3 = 8/3 and (4 + 4 + 16) / 3 = 8.
TEST(ModelPoison, AlieIsMeanMinusZStdOfThreeHonestUpdates) {
  const std::vector<double> sum{9.0, 12.0}, sum_sq{35.0, 72.0};
  std::vector<double> mean(2), std_dev(2);
  honest_moments(sum, sum_sq, 3.0, mean, std_dev);
  EXPECT_EQ(mean, (std::vector<double>{3.0, 4.0}));
  EXPECT_DOUBLE_EQ(std_dev[0], 1.632993161855452);   // sqrt(8/3)
  EXPECT_DOUBLE_EQ(std_dev[1], 2.8284271247461903);  // sqrt(8)
  std::vector<float> u{0.0f, 0.0f};
  alie(mean, std_dev, 1.0, u);
  EXPECT_EQ(u, (std::vector<float>{1.367006778717041f, 1.1715729236602783f}));
  // z from n = 3 members of which m = 1 attacks: s = floor(3/2 + 1) - 1 = 1,
  // z = Phi^-1(2/3).
  const double z = alie_default_z(3, 1);
  EXPECT_NEAR(z, 0.43072729929545744, 1e-14);
  alie(mean, std_dev, z, u);
  EXPECT_EQ(u, (std::vector<float>{2.2966253757476807f, 2.781719207763672f}));
}

TEST(ModelPoison, AlieDefaultZFollowsBaruchEtAl) {
  EXPECT_NEAR(alie_default_z(20, 4), 0.38532046640756773, 1e-14);  // s = 7, Phi^-1(13/20)
  EXPECT_NEAR(alie_default_z(50, 24), 1.7506860712521692, 1e-14);  // s = 2: the paper's z = 1.75
  // More adversaries than half: s is kept at 1, z stays finite.
  EXPECT_EQ(alie_default_z(10, 9), alie_default_z(10, 5));
}

TEST(ModelPoison, IpmIsMinusEpsilonTimesTheHonestMean) {
  const std::vector<double> mean{3.0, 4.0};
  std::vector<float> u{9.0f, 9.0f};
  inner_product_manipulation(mean, 0.5, u);
  EXPECT_EQ(u, (std::vector<float>{-1.5f, -2.0f}));
}

TEST(ModelPoison, NormalQuantileInvertsTheCdf) {
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-15);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(normal_quantile(0.025), -1.959963984540054, 1e-14);
}
