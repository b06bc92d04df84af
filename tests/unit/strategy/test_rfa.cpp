// RFA's geometric median, by hand, through its row.
#include "strategy/rfa.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "unit/strategy/aggregate_once.hpp"

using namespace fedhpc;
using fedhpc::testing::aggregate_once;
using fedhpc::testing::config_for;

TEST(Rfa, OneClientIsThatClientsUpdateExactly) {
  EXPECT_EQ(weiszfeld_weights(std::vector<double>{0.0}, std::vector<double>{1.0}, 3, 1e-6), std::vector<double>{1.0});
  const std::vector<float> u{0.123456789f, -3.5e-7f, 2.0f};
  for (auto mode : {ReduceMode::Fast, ReduceMode::Exact}) {
    RunConfig c = config_for("rfa");
    c.runtime.reduce = mode;
    const auto out = aggregate_once(c, {u}, {17});
    ASSERT_EQ(out.model_delta.size(), u.size());
    // Fast: coefficient 1 times the float, exactly. Exact: within the fixed
    // point's 2^-40, as for every Sum.
    for (std::size_t i = 0; i < u.size(); ++i) {
      if (mode == ReduceMode::Fast) {
        EXPECT_EQ(out.model_delta[i], static_cast<double>(u[i]));
      }
      EXPECT_NEAR(out.model_delta[i], static_cast<double>(u[i]), std::ldexp(1.0, -40));
    }
    EXPECT_EQ(out.weights, std::vector<double>{1.0});
  }
}

TEST(Rfa, OneWeiszfeldStepFromTheMeanOfThreePoints) {
  // u = (0,0), (2,0), (0,2), equal samples. z0 = (2/3, 2/3);
  // |z0 - u1| = sqrt(8)/3, |z0 - u2| = |z0 - u3| = sqrt(20)/3, so
  // beta ~ (1/sqrt(8), 1/sqrt(20), 1/sqrt(20)) and
  // z1 = 2 beta_2 / (beta_1 + 2 beta_2) in both coordinates.
  RunConfig c = config_for("rfa");
  c.strategy.extra["rfa_iterations"] = 1;
  const auto out = aggregate_once(c, {{0, 0}, {2, 0}, {0, 2}}, {10, 10, 10});
  const double b1 = 1 / std::sqrt(8.0), b2 = 1 / std::sqrt(20.0);
  const double z = 2 * b2 / (b1 + 2 * b2);  // 0.558481...
  EXPECT_NEAR(out.model_delta[0], z, 1e-6);
  EXPECT_NEAR(out.model_delta[1], z, 1e-6);
  EXPECT_NEAR(out.weights[0], b1 / (b1 + 2 * b2), 1e-6);
}

TEST(Rfa, SampleWeightsPullTowardTheHeavierPointAsInTheWeightedMedian) {
  // Points 0 (n = 1) and 1 (n = 3) on a line: z0 = 3/4, then z1 = 9/10,
  // z2 = 27/28, z3 = 567/574 (beta_k = alpha_k / |z - u_k|), toward the
  // weighted median 1.
  RunConfig c = config_for("rfa");
  const auto out = aggregate_once(c, {{0.0f}, {1.0f}}, {1, 3});
  EXPECT_NEAR(out.model_delta[0], 567.0 / 574.0, 1e-9);
  c.strategy.extra["rfa_iterations"] = 1;
  EXPECT_NEAR(aggregate_once(c, {{0.0f}, {1.0f}}, {1, 3}).model_delta[0], 0.9, 1e-9);
}

TEST(Rfa, AnOutlierMovesTheMedianFarLessThanTheMean) {
  // Four honest updates around (1, 1) and one at (100, 100): the mean moves
  // by about 20, the geometric median by less than 1.
  RunConfig c = config_for("rfa");
  c.strategy.extra["rfa_iterations"] = 10;
  const auto out = aggregate_once(c, {{1.1f, 1}, {0.9f, 1}, {1, 1.1f}, {1, 0.9f}, {100, 100}}, {1, 1, 1, 1, 1});
  EXPECT_LT(std::fabs(out.model_delta[0] - 1.0), 1.0);
  EXPECT_LT(std::fabs(out.model_delta[1] - 1.0), 1.0);
  EXPECT_LT(out.weights[4], 0.05);
}
