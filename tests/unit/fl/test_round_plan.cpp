// The round's plan on hand-made partitions: no LibTorch, no MPI, only the
// configuration, the round, the partition's sizes and the scenario.
#include "fl/round_plan.hpp"

#include <gtest/gtest.h>

#include "strategy/catalog.hpp"

using namespace fedhpc;

namespace {

// Six clients of 10, 20, 0, 30, 40 and 50 samples; all six selected each
// round; one epoch of batch 10, so the planned steps are n / 10.
struct PlanFixture {
  RunConfig config;
  Partition partition;
  std::vector<int> trainers{0, 1};
  std::unique_ptr<Scenario> scenario;
  CostModel cost;
  DeadlineRule deadline;

  PlanFixture() {
    config.data.num_clients = 6;
    config.strategy.clients_per_round = 6;
    config.train.local_epochs = 1;
    config.train.batch_size = 10;
    config.runtime.placement = PlacementKind::Balanced;
    for (int n : {10, 20, 0, 30, 40, 50}) partition.clients.emplace_back(static_cast<std::size_t>(n), 0);
  }
  RoundPlan plan(const char* strategy = "fedavg", bool grouped = false) {
    config.strategy.name = strategy;
    scenario = std::make_unique<Scenario>(config.scenario, config.seed, config.data.num_clients);
    deadline = deadline_rule(config.scenario, config.strategy.clients_per_round);
    const PlanInputs in{config,   partition, *scenario, cost, deadline, trainers, *find_strategy(strategy)->aggregation,
                        false,    grouped};
    return plan_round(in, Round{1}, 0.0);
  }
};

}  // namespace

TEST(RoundPlan, EveryoneSelectedCompletesAndIsPlacedByLongestWorkFirst) {
  PlanFixture f;
  const RoundPlan p = f.plan();
  ASSERT_EQ(p.cohort.size(), 6u);
  EXPECT_TRUE(p.aggregating);
  EXPECT_EQ(p.samples, (std::vector<std::int64_t>{10, 20, 0, 30, 40, 50}));
  EXPECT_EQ(p.steps, (std::vector<std::int64_t>{1, 2, 0, 3, 4, 5}));
  EXPECT_EQ(p.cost, (std::vector<std::int64_t>{10, 20, 0, 30, 40, 50}));
  EXPECT_EQ(p.total_samples, 150);
  // Longest first: 50 -> rank 0; 40 -> 1; 30 -> 1 (40 < 50); 20 -> 0 (50 < 70);
  // 10 -> 0 (70 = 70, the lower rank); 0 -> 1 (70 < 80).
  EXPECT_EQ(p.owners, (std::vector<int>{0, 0, 1, 1, 1, 0}));
  EXPECT_EQ(p.step_limit(3), -1);
  EXPECT_EQ(p.start_seconds, 0.0);
}

TEST(RoundPlan, StaticPlacementIsByIdAndGroupsArePlacedWhole) {
  PlanFixture f;
  f.config.runtime.placement = PlacementKind::Static;
  EXPECT_EQ(f.plan().owners, (std::vector<int>{0, 1, 0, 1, 0, 1}));
  f.config.runtime.client_batch = 4;
  const RoundPlan g = f.plan("fedavg", /*grouped=*/true);
  EXPECT_EQ(g.group_bounds, (std::vector<std::size_t>{0, 4, 6}));
  // A group goes where its first member's id would: 0 -> rank 0, 4 -> rank 0.
  EXPECT_EQ(g.owners, (std::vector<int>{0, 0, 0, 0, 0, 0}));
}

TEST(RoundPlan, NobodyAggregatedWhenTheRuleIsUndefinedForTheSurvivors) {
  PlanFixture f;
  f.config.strategy.byzantine_f = 2;  // Krum needs K > 2f + 2 = 6
  const RoundPlan p = f.plan("krum");
  EXPECT_FALSE(p.aggregating);
  EXPECT_TRUE(p.members.empty());
  EXPECT_TRUE(p.owners.empty());
  EXPECT_EQ(p.cohort.size(), 6u);  // still selected and recorded
}

TEST(RoundPlan, DroppedClientsAreSelectedButNotMembers) {
  PlanFixture f;
  f.config.scenario.dropout_probability = 1.0;
  const RoundPlan p = f.plan();
  EXPECT_FALSE(p.aggregating);  // no survivor
  for (const auto& o : p.timing.clients) EXPECT_EQ(o.status, ClientStatus::Dropped);
}
