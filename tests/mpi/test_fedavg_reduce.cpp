// FedAvg through the real MPI reduction: the hand-computed numbers of
// tests/unit/test_aggregation.cpp, and bitwise equality with a single-process
// sum on any rank count.
#include <gtest/gtest.h>

#include <cstring>

#include "core/rng.hpp"
#include "fl/collective.hpp"
#include "fl/placement.hpp"
#include "mpi_world.hpp"
#include "strategy/server_opt.hpp"

using namespace fedhpc;
using fedhpc::test::world;

namespace {

// Accumulates the clients this rank owns under `layout` and reduces.
std::vector<float> federated_step(const std::vector<float>& global, const std::vector<std::vector<float>>& deltas,
                                  const std::vector<double>& weights, ReduceMode mode, AggregatorLayout layout) {
  Comm& c = world();
  double total = 0;
  for (double w : weights) total += w;
  const auto trainers = trainer_ranks(c.size(), layout);
  SumAccumulator acc(global.size(), mode);
  for (std::size_t k = 0; k < deltas.size(); ++k)
    if (trainers[k % trainers.size()] == c.rank()) acc.add(deltas[k], weights[k], total, static_cast<std::uint32_t>(k));
  auto mean = reduce_weighted_mean(c, acc);
  auto x = global;
  if (c.rank() == 0) apply_server_sgd(x, mean, 1.0);
  broadcast_model(c, x);
  return x;
}

}  // namespace

TEST(FedAvgOverMpi, HandComputedWeightedAverage) {
  // x = [1, 2]; y = [2,2] (n=100), [0,4] (n=300), [1,0] (n=100) -> [0.6, 2.8].
  const std::vector<float> x{1.0f, 2.0f};
  const std::vector<std::vector<float>> deltas{{1.0f, 0.0f}, {-1.0f, 2.0f}, {0.0f, -2.0f}};
  const std::vector<double> w{100, 300, 100};
  for (auto mode : {ReduceMode::Exact, ReduceMode::Fast}) {
    for (auto layout : {AggregatorLayout::Colocated, AggregatorLayout::Dedicated}) {
      if (layout == AggregatorLayout::Dedicated && world().size() < 2) continue;
      const auto out = federated_step(x, deltas, w, mode, layout);
      EXPECT_EQ(out, (std::vector<float>{0.6f, 2.8f})) << to_string(mode) << " " << to_string(layout);
    }
  }
}

TEST(FedAvgOverMpi, ExactModeIsBitwiseTheSingleProcessSum) {
  // 23 clients, 1000 coordinates of random deltas and sample counts.
  Rng rng(derive_seed(99, Stream::Train, 0, 0));
  const std::size_t d = 1000;
  std::vector<float> x(d);
  for (auto& v : x) v = static_cast<float>(rng.normal());
  std::vector<std::vector<float>> deltas(23, std::vector<float>(d));
  std::vector<double> w(23);
  for (std::size_t k = 0; k < 23; ++k) {
    w[k] = static_cast<double>(1 + rng.uniform_int(600));
    for (auto& v : deltas[k]) v = static_cast<float>(0.01 * rng.normal());
  }
  // The reference: every client in one accumulator, no MPI.
  double total = 0;
  for (double v : w) total += v;
  SumAccumulator one(d, ReduceMode::Exact);
  for (std::size_t k = 0; k < 23; ++k) one.add(deltas[k], w[k], total, 0);
  auto expected = x;
  apply_server_sgd(expected, SumAccumulator::mean_from_exact(one.exact_terms()), 1.0);

  const auto out = federated_step(x, deltas, w, ReduceMode::Exact, AggregatorLayout::Colocated);
  ASSERT_EQ(out.size(), d);
  EXPECT_EQ(0, std::memcmp(out.data(), expected.data(), d * sizeof(float)));
}
