// Every aggregation shape through the real MPI collectives: the hand-computed
// FedAvg numbers of tests/unit/fl/test_aggregation.cpp, and for each strategy a
// result bitwise equal to the single-process one (LocalComm) on any rank
// count and either layout (P in {1, 2, 3, 4} agree).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/rng.hpp"
#include "fl/aggregation.hpp"
#include "fl/collective.hpp"
#include "fl/placement.hpp"
#include "mpi_world.hpp"
#include "strategy/server_opt.hpp"

using namespace fedhpc;
using fedhpc::test::world;

namespace {

struct Cohort {
  std::vector<std::vector<float>> deltas;
  std::vector<std::int64_t> samples;
  std::vector<double> losses;
};

// One round of `strategy` over `cohort` on `comm`; members are owned round-robin
// by the trainer ranks of `layout`. Returns root's aggregate (empty elsewhere).
AggregateResult aggregate(Comm& comm, const RunConfig& config, const Cohort& cohort, AggregatorLayout layout) {
  const auto trainers = trainer_ranks(comm.size(), layout);
  const std::size_t k_total = cohort.deltas.size();
  std::vector<ClientId> ids;
  std::vector<int> owners;
  for (std::size_t k = 0; k < k_total; ++k) {
    ids.push_back(ClientId{static_cast<std::uint32_t>(k)});
    owners.push_back(trainers[k % trainers.size()]);
  }
  const std::vector<std::int64_t> steps(k_total, 1);
  CohortAggregator agg(*find_strategy(config.strategy.name), config, cohort.deltas[0].size());
  agg.begin_round({ids, cohort.samples, steps, owners, {}, {}, Round{0}});
  for (std::size_t k = 0; k < k_total; ++k)
    if (owners[k] == comm.rank()) agg.add(k, cohort.deltas[k], {}, cohort.losses[k]);
  return agg.finish(comm);
}

Cohort random_cohort(std::size_t k_total, std::size_t dim) {
  Rng rng(derive_seed(99, Stream::Train, 0, 0));
  Cohort c;
  c.deltas.assign(k_total, std::vector<float>(dim));
  for (std::size_t k = 0; k < k_total; ++k) {
    c.samples.push_back(static_cast<std::int64_t>(1 + rng.uniform_int(600)));
    c.losses.push_back(0.5 + rng.uniform());
    for (auto& v : c.deltas[k]) v = static_cast<float>(0.01 * rng.normal());
  }
  return c;
}

}  // namespace

TEST(AggregationOverMpi, HandComputedFedAvg) {
  // x = [1, 2]; y = [2,2] (n=100), [0,4] (n=300), [1,0] (n=100) -> [0.6, 2.8].
  Cohort c{{{1.0f, 0.0f}, {-1.0f, 2.0f}, {0.0f, -2.0f}}, {100, 300, 100}, {0, 0, 0}};
  for (auto mode : {ReduceMode::Exact, ReduceMode::Fast}) {
    for (auto layout : {AggregatorLayout::Colocated, AggregatorLayout::Dedicated}) {
      if (layout == AggregatorLayout::Dedicated && world().size() < 2) continue;
      RunConfig config;
      config.runtime.reduce = mode;
      const auto agg = aggregate(world(), config, c, layout);
      std::vector<float> x{1.0f, 2.0f};
      if (world().rank() == 0) ServerOptimizer(ServerRule::Sgd, config.strategy, 2).step(x, agg.model_delta);
      broadcast_model(world(), x);
      EXPECT_EQ(x, (std::vector<float>{0.6f, 2.8f})) << to_string(mode) << " " << to_string(layout);
    }
  }
}

class EveryStrategy : public ::testing::TestWithParam<const char*> {};

TEST_P(EveryStrategy, RanksGiveTheSingleProcessBits) {
  // 9 clients x 5000 coordinates: slices of the robust transposes land on
  // several ranks (blocks of 1024 coordinates).
  const Cohort c = random_cohort(9, 5000);
  RunConfig config;
  config.strategy.name = GetParam();
  config.strategy.trim_fraction = 0.2;
  config.strategy.byzantine_f = 2;
  config.strategy.multikrum_m = 4;
  config.data.num_clients = 20;
  auto local = make_local_comm();
  const auto expected = aggregate(*local, config, c, AggregatorLayout::Colocated);
  for (auto layout : {AggregatorLayout::Colocated, AggregatorLayout::Dedicated}) {
    if (layout == AggregatorLayout::Dedicated && world().size() < 2) continue;
    const auto got = aggregate(world(), config, c, layout);
    if (world().rank() == 0) {
      ASSERT_EQ(got.model_delta.size(), expected.model_delta.size());
      EXPECT_EQ(0, std::memcmp(got.model_delta.data(), expected.model_delta.data(),
                               expected.model_delta.size() * sizeof(double)))
          << GetParam() << " " << to_string(layout);
    }
    EXPECT_EQ(got.aggregated, expected.aggregated);
    if (!std::isnan(expected.weights[0])) {
      EXPECT_EQ(got.weights, expected.weights);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Strategies, EveryStrategy,
                         ::testing::Values("fedavg", "fednova", "qfedavg", "median", "trimmed_mean", "krum",
                                           "multikrum"));
