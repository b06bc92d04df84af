// FedDyn's two rounds by hand: the client rule's terms and gradient memory,
// the plain mean, the server's h.
#include "strategy/feddyn.hpp"

#include <gtest/gtest.h>

#include "unit/strategy/aggregate_once.hpp"

using namespace fedhpc;
using fedhpc::testing::aggregate_once;
using fedhpc::testing::config_for;

TEST(FedDyn, TwoRoundsByHand) {
  // alpha = 0.1, m = 4 clients, x0 = (1, 2).
  RunConfig c = config_for("feddyn");
  c.strategy.extra["alpha"] = 0.1;
  c.data.num_clients = 4;
  const StrategyInfo& row = *find_strategy("feddyn");
  const auto rule = row.client->make(c, 2);
  const auto server = row.server->make(c.strategy, 2);
  std::vector<float> x{1.0f, 2.0f};

  // Round 1, clients 0 and 1. Both start with g = 0: the terms are the
  // proximal pull alpha (y - x) and a zero linear term.
  const LocalTerms t0 = rule->before(ClientId{0});
  EXPECT_TRUE(t0.anchored);
  EXPECT_EQ(t0.anchor, 0.1);
  EXPECT_EQ(std::vector<float>(t0.linear.begin(), t0.linear.end()), (std::vector<float>{0, 0}));
  const std::vector<float> d0{0.5f, -1.0f}, d1{-0.25f, 0.5f};
  rule->after(ClientId{0}, d0, 5, {});
  rule->before(ClientId{1});
  rule->after(ClientId{1}, d1, 5, {});
  // g_k <- g_k - alpha delta_k: g0 = (-0.05, 0.1), g1 = (0.025, -0.05).
  auto g0 = rule->states()->of(ClientId{0}), g1 = rule->states()->of(ClientId{1});
  EXPECT_FLOAT_EQ(g0[0], -0.05f);
  EXPECT_FLOAT_EQ(g0[1], 0.1f);
  EXPECT_FLOAT_EQ(g1[0], 0.025f);
  EXPECT_FLOAT_EQ(g1[1], -0.05f);
  // The plain mean, whatever the sample counts: (0.125, -0.25).
  const auto agg1 = aggregate_once(c, {d0, d1}, {10, 30});
  EXPECT_EQ(agg1.model_delta, (std::vector<double>{0.125, -0.25}));
  // h1 = -alpha (2/4) mean = (-0.00625, 0.0125); x1 = x0 + mean - h1/alpha
  //    = (1 + 0.125 + 0.0625, 2 - 0.25 - 0.125) = (1.1875, 1.625).
  server->step(x, agg1.model_delta, RoundFacts{agg1.aggregated, 4});
  EXPECT_FLOAT_EQ(x[0], 1.1875f);
  EXPECT_FLOAT_EQ(x[1], 1.625f);
  EXPECT_NEAR(server->state()[0], -0.00625, 1e-15);
  EXPECT_NEAR(server->state()[1], 0.0125, 1e-15);

  // Round 2, client 0 alone: its linear term is its memory g0.
  const LocalTerms t0b = rule->before(ClientId{0});
  EXPECT_EQ(std::vector<float>(t0b.linear.begin(), t0b.linear.end()), (std::vector<float>{g0[0], g0[1]}));
  const std::vector<float> d0b{0.25f, 0.25f};
  rule->after(ClientId{0}, d0b, 5, {});
  // g0 = (-0.05 - 0.025, 0.1 - 0.025) = (-0.075, 0.075).
  EXPECT_FLOAT_EQ(g0[0], -0.075f);
  EXPECT_FLOAT_EQ(g0[1], 0.075f);
  const auto agg2 = aggregate_once(c, {d0b}, {10});
  // h2 = h1 - alpha (1/4) (0.25, 0.25) = (-0.0125, 0.00625);
  // x2 = x1 + (0.25, 0.25) - h2/alpha = (1.1875 + 0.25 + 0.125, 1.625 + 0.25 - 0.0625) = (1.5625, 1.8125).
  server->step(x, agg2.model_delta, RoundFacts{agg2.aggregated, 4});
  EXPECT_FLOAT_EQ(x[0], 1.5625f);
  EXPECT_FLOAT_EQ(x[1], 1.8125f);
  EXPECT_NEAR(server->state()[0], -0.0125, 1e-15);
  EXPECT_NEAR(server->state()[1], 0.00625, 1e-15);
  // The memory is per client and only for those that trained.
  EXPECT_EQ(rule->states()->ids(), (std::vector<std::uint32_t>{0, 1}));
}

TEST(FedDyn, KeepsPerClientStateSoPlacementIsStatic) {
  EXPECT_TRUE(per_client_state(*find_strategy("feddyn")));
  EXPECT_EQ(find_strategy("feddyn")->server->state_size(7), 7u);
}
