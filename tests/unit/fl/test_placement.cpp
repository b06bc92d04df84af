#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>


#include "fl/placement.hpp"
#include "strategy/selector.hpp"

using namespace fedhpc;

TEST(TrainerRanks, DedicatedLeavesRankZeroOut) {
  EXPECT_EQ(trainer_ranks(3, AggregatorLayout::Colocated), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(trainer_ranks(3, AggregatorLayout::Dedicated), (std::vector<int>{1, 2}));
}

TEST(Placement, StaticIsIdModTrainers) {
  const std::vector<ClientId> cohort{ClientId{3}, ClientId{4}, ClientId{10}};
  const std::vector<std::int64_t> cost{1, 1, 1};
  const std::vector<int> trainers{1, 2};
  EXPECT_EQ(place_clients(cohort, cost, trainers, PlacementKind::Static), (std::vector<int>{2, 1, 1}));
}

TEST(Placement, BalancedIsLongestProcessingTimeFirst) {
  const std::vector<ClientId> cohort{ClientId{0}, ClientId{1}, ClientId{2}, ClientId{3}, ClientId{4}};
  const std::vector<std::int64_t> cost{3, 5, 1, 4, 3};
  const std::vector<int> trainers{0, 1};
  // order by cost desc, id asc: c1(5) c3(4) c0(3) c4(3) c2(1)
  // c1->r0 (0,0), c3->r1 (5,0), c0->r1 (5,4), c4->r0 (5,7), c2->r1 (8,7)
  EXPECT_EQ(place_clients(cohort, cost, trainers, PlacementKind::Balanced), (std::vector<int>{1, 0, 1, 1, 0}));
}

TEST(GroupPlacement, ConsecutiveGroupsTheLastShorter) {
  EXPECT_EQ(group_bounds(7, 3), (std::vector<std::size_t>{0, 3, 6, 7}));
  EXPECT_EQ(group_bounds(6, 3), (std::vector<std::size_t>{0, 3, 6}));
  EXPECT_EQ(group_bounds(2, 1), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(group_bounds(0, 4), (std::vector<std::size_t>{0}));
}

TEST(GroupPlacement, WholeGroupsGoWhereTheirFirstIdOrSummedCostSendsThem) {
  const std::vector<ClientId> cohort{ClientId{1}, ClientId{2}, ClientId{5}, ClientId{6}, ClientId{8}, ClientId{9},
                                     ClientId{11}};
  const std::vector<std::int64_t> cost{4, 4, 1, 1, 9, 0, 2};
  const std::vector<int> trainers{0, 1};
  const auto bounds = group_bounds(cohort.size(), 2);  // {1,2} {5,6} {8,9} {11}
  // static: the first ids 1, 5, 8, 11 mod 2 -> ranks 1, 1, 0, 1
  EXPECT_EQ(place_groups(bounds, cohort, cost, trainers, PlacementKind::Static),
            (std::vector<int>{1, 1, 1, 1, 0, 0, 1}));
  // balanced on group costs 8, 2, 10 (an empty client costs 1), 2:
  // g2(10)->r0, g0(8)->r1, g1(2, id 5)->r1 (load 8 < 10), g3(2, id 11)->r0 (10 = 10: the lower rank)
  EXPECT_EQ(place_groups(bounds, cohort, cost, trainers, PlacementKind::Balanced),
            (std::vector<int>{1, 1, 1, 1, 0, 0, 0}));
}

TEST(EvalShard, WholeBatchesCoverTheTestSetForAnyRankCount) {
  for (int p = 1; p <= 5; ++p) {
    std::int64_t next = 0;
    for (int r = 0; r < p; ++r) {
      auto [b, e] = eval_shard(10000, 500, r, p);
      EXPECT_EQ(b, next);
      EXPECT_EQ(b % 500, 0);
      next = e;
    }
    EXPECT_EQ(next, 10000);
  }
  // 1050 samples in batches of 500 on 2 ranks: batches {0,1} and {2}.
  EXPECT_EQ(eval_shard(1050, 500, 0, 2), (std::pair<std::int64_t, std::int64_t>{0, 1000}));
  EXPECT_EQ(eval_shard(1050, 500, 1, 2), (std::pair<std::int64_t, std::int64_t>{1000, 1050}));
  // More ranks than batches: the extra ranks get nothing.
  EXPECT_EQ(eval_shard(400, 500, 1, 2), (std::pair<std::int64_t, std::int64_t>{400, 400}));
}

TEST(Selector, DistinctSortedDeterministicPerRound) {
  auto a = select_uniform(1, Round{1}, 100, 10);
  ASSERT_EQ(a.size(), 10u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::adjacent_find(a.begin(), a.end()), a.end());
  for (auto c : a) EXPECT_LT(to_int(c), 100u);
  EXPECT_EQ(a, select_uniform(1, Round{1}, 100, 10));
  EXPECT_NE(a, select_uniform(1, Round{2}, 100, 10));
  EXPECT_NE(a, select_uniform(2, Round{1}, 100, 10));
  auto all = select_uniform(5, Round{3}, 7, 7);
  for (std::uint32_t i = 0; i < 7; ++i) EXPECT_EQ(to_int(all[i]), i);
}

// The sparse draw selects exactly what the dense partial Fisher-Yates over
// the pool [0, N) (select_from, the algorithm runs were made with) selects:
// cohorts of every run stay the same.
TEST(Selector, SparseUniformDrawEqualsTheDenseOne) {
  for (const int n : {1, 2, 7, 100, 1000, 100003})
    for (const int k : {0, 1, n / 3, n - 1, n}) {
      if (k < 0 || k > n) continue;
      for (const std::uint64_t seed : {1u, 42u})
        for (const std::uint32_t r : {1u, 2u, 17u}) {
          std::vector<std::uint32_t> pool(static_cast<std::size_t>(n));
          for (std::size_t i = 0; i < pool.size(); ++i) pool[i] = static_cast<std::uint32_t>(i);
          EXPECT_EQ(select_uniform(seed, Round{r}, n, k), select_from(seed, Round{r}, pool, k))
              << "N " << n << ", K " << k << ", seed " << seed << ", round " << r;
        }
    }
}

// 10^8 clients: a cohort costs O(K), not a pool of N.
TEST(Selector, HundredMillionClients) {
  const auto cohort = select_uniform(3, Round{1}, 100'000'000, 100);
  ASSERT_EQ(cohort.size(), 100u);
  EXPECT_TRUE(std::is_sorted(cohort.begin(), cohort.end()));
  EXPECT_EQ(std::adjacent_find(cohort.begin(), cohort.end()), cohort.end());
  EXPECT_LT(to_int(cohort.back()), 100'000'000u);
  EXPECT_GT(to_int(cohort.back()), 50'000'000u);  // not crowded at the start of the range
}

TEST(Selector, PoissonDrawsEachClientOnItsOwnCoin) {
  std::vector<std::uint32_t> pool(100000);
  for (std::uint32_t i = 0; i < pool.size(); ++i) pool[i] = i;
  EXPECT_TRUE(select_poisson(1, Round{1}, pool, 0.0).empty());
  EXPECT_EQ(select_poisson(1, Round{1}, pool, 1.0).size(), pool.size());
  // The size is Binomial(100000, 0.2): within 5 standard deviations (126) of 20000.
  const auto cohort = select_poisson(1, Round{1}, pool, 0.2);
  EXPECT_NEAR(static_cast<double>(cohort.size()), 20000.0, 5 * std::sqrt(100000 * 0.2 * 0.8));
  EXPECT_TRUE(std::is_sorted(cohort.begin(), cohort.end()));
  EXPECT_NE(cohort, select_poisson(1, Round{2}, pool, 0.2));
  // A client's coin does not depend on who else is in the pool (availability).
  const std::vector<std::uint32_t> some{5, 17, 99, 1234, 77777};
  std::vector<ClientId> expected;
  for (auto c : some)
    if (std::binary_search(cohort.begin(), cohort.end(), ClientId{c})) expected.push_back(ClientId{c});
  EXPECT_EQ(select_poisson(1, Round{1}, some, 0.2), expected);
}
