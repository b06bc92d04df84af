// Centered clipping, by hand, through its row and its server step.
#include "strategy/centered_clip.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "unit/strategy/aggregate_once.hpp"

using namespace fedhpc;
using fedhpc::testing::aggregate_once;
using fedhpc::testing::config_for;

TEST(CenteredClip, InfiniteRadiusAndOneIterationIsTheUnweightedMean) {
  // From any center, v + (1/K) sum_k (u_k - v) = the plain mean, whatever
  // the sample counts.
  RunConfig c = config_for("centered_clip");
  c.strategy.extra["clip_radius"] = std::numeric_limits<double>::infinity();
  const std::vector<std::vector<float>> u{{0.5f, -1.0f, 3.0f}, {0.25f, 2.0f, -1.0f}, {-0.75f, 0.5f, 0.0f}};
  const auto out = aggregate_once(c, u, {10, 300, 7}, {4.0, -2.0, 9.0});
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_NEAR(out.model_delta[i], (u[0][i] + u[1][i] + u[2][i]) / 3.0, 1e-6) << "coordinate " << i;
  EXPECT_EQ(out.aggregated, 3u);
}

TEST(CenteredClip, OneAndTwoClippingStepsByHand) {
  // Center 0, u1 = (3, 4) (|u1| = 5), u2 = (0, 1), tau = 2:
  //   L = 1: v1 = (1/2)(2/5 (3, 4) + (0, 1)) = (0.6, 1.3).
  //   L = 2: u1 - v1 = (2.4, 2.7), |.| = sqrt(13.05), clipped by 2/sqrt(13.05);
  //          u2 - v1 = (-0.6, -0.3), |.| < 2, not clipped:
  //          v2 = v1 + (1/2)(2/sqrt(13.05) (2.4, 2.7) + (-0.6, -0.3)).
  RunConfig c = config_for("centered_clip");
  c.strategy.extra["clip_radius"] = 2.0;
  const std::vector<std::vector<float>> u{{3, 4}, {0, 1}};
  const auto one = aggregate_once(c, u, {1, 1}, {0.0, 0.0});
  EXPECT_NEAR(one.model_delta[0], 0.6, 1e-6);
  EXPECT_NEAR(one.model_delta[1], 1.3, 1e-6);
  c.strategy.extra["clip_iterations"] = 2;
  const auto two = aggregate_once(c, u, {1, 1}, {0.0, 0.0});
  const double s = 2 / std::sqrt(13.05);
  EXPECT_NEAR(two.model_delta[0], 0.6 + 0.5 * (s * 2.4 - 0.6), 1e-6);
  EXPECT_NEAR(two.model_delta[1], 1.3 + 0.5 * (s * 2.7 - 0.3), 1e-6);
}

TEST(CenteredClip, TheServerStepKeepsTheAggregateAsTheNextCenter) {
  RunConfig c = config_for("centered_clip");
  const auto step = find_strategy("centered_clip")->server->make(c.strategy, 2);
  auto center = [](const ServerStep& s) { return std::vector<double>(s.center().begin(), s.center().end()); };
  EXPECT_EQ(center(*step), (std::vector<double>{0.0, 0.0}));  // zero before the first round
  std::vector<float> x{1.0f, 2.0f};
  step->step(x, std::vector<double>{0.5, -0.25}, RoundFacts{2, 10});
  EXPECT_EQ(x, (std::vector<float>{1.5f, 1.75f}));
  EXPECT_EQ(center(*step), (std::vector<double>{0.5, -0.25}));
  // Through a checkpoint.
  const auto again = find_strategy("centered_clip")->server->make(c.strategy, 2);
  again->restore(step->state());
  EXPECT_EQ(center(*again), center(*step));
  // A far-off update is clipped to radius 1 around that center (u2 is 4 away).
  const auto out = aggregate_once(c, {{0.5f, -0.25f}, {4.5f, -0.25f}}, {1, 1}, step->state());
  EXPECT_NEAR(out.model_delta[0], 0.5 + 0.5 * 1.0, 1e-6);
  EXPECT_NEAR(out.model_delta[1], -0.25, 1e-6);
}

TEST(CenteredClip, WeightsOfCenterAndUpdatesSumToOne) {
  // v stays an affine combination: D for center 0, u1 = 1, u2 = 3 on a line.
  const std::vector<double> d{0, 4, 1, 4, 0, 9, 1, 9, 0};  // rows u1, u2, center
  const auto w = centered_clip_weights(d, 2, 0.5, 3);
  EXPECT_NEAR(w[0] + w[1] + w[2], 1.0, 1e-12);
}
