// FedAvg's aggregation, computed by hand: the sample weights, the fixed-point
// terms of the exact mode and the server step.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "strategy/coefficients.hpp"
#include "strategy/server_opt.hpp"
#include "strategy/sum_accumulator.hpp"

using namespace fedhpc;

namespace {

// Hand-computed FedAvg: global x = [1, 2]; clients return
//   y1 = [2, 2] (n=100), y2 = [0, 4] (n=300), y3 = [1, 0] (n=100)
// so p = [0.2, 0.6, 0.2], deltas [1,0], [-1,2], [0,-2] and
//   mean delta = [0.2 - 0.6 + 0, 0 + 1.2 - 0.4] = [-0.4, 0.8]
//   x' = sum p_k y_k = [0.4 + 0 + 0.2, 0.4 + 2.4 + 0] = [0.6, 2.8].
const std::vector<float> kGlobal{1.0f, 2.0f};
const std::vector<std::vector<float>> kDeltas{{1.0f, 0.0f}, {-1.0f, 2.0f}, {0.0f, -2.0f}};
const std::vector<std::int64_t> kSamples{100, 300, 100};

std::vector<double> aggregate(ReduceMode mode) {
  const auto p = sample_weights(kSamples);
  SumAccumulator acc(2, mode);
  for (std::size_t k = 0; k < 3; ++k) acc.add(kDeltas[k], p[k], 1.0, static_cast<std::uint32_t>(k));
  if (mode == ReduceMode::Exact) return SumAccumulator::from_exact(acc.exact_terms());
  return {acc.fast_terms().begin(), acc.fast_terms().end()};
}

std::vector<float> server_sgd(std::vector<float> x, const std::vector<double>& delta, double lr) {
  StrategyConfig o;
  o.server_lr = lr;
  ServerOptimizer(ServerRule::Sgd, o, x.size()).step(x, delta);
  return x;
}

}  // namespace

TEST(FedAvg, SampleWeightsAreSampleShares) {
  EXPECT_EQ(sample_weights(kSamples), (std::vector<double>{0.2, 0.6, 0.2}));
  EXPECT_EQ(sample_weights(std::vector<std::int64_t>{0, 0}), (std::vector<double>{0.0, 0.0}));
}

TEST(FedAvg, FastModeMatchesTheHandComputedMean) {
  const auto mean = aggregate(ReduceMode::Fast);
  EXPECT_DOUBLE_EQ(mean[0], -0.4);
  EXPECT_DOUBLE_EQ(mean[1], 0.8);
  EXPECT_EQ(server_sgd(kGlobal, mean, 1.0), (std::vector<float>{0.6f, 2.8f}));
}

TEST(FedAvg, ExactModeMatchesTheHandComputedMeanToFixedPointResolution) {
  const auto mean = aggregate(ReduceMode::Exact);
  EXPECT_NEAR(mean[0], -0.4, 3 * std::ldexp(1.0, -40));
  EXPECT_NEAR(mean[1], 0.8, 3 * std::ldexp(1.0, -40));
  EXPECT_EQ(server_sgd(kGlobal, mean, 1.0), (std::vector<float>{0.6f, 2.8f}));
}

TEST(FedAvg, ExactTermsAreTheRoundedWeightedDeltas) {
  SumAccumulator acc(2, ReduceMode::Exact);
  acc.add(kDeltas[0], 0.2, 1.0, 0);
  EXPECT_EQ(acc.exact_terms()[0], std::llround(0.2 * 0x1p40));
  EXPECT_EQ(acc.exact_terms()[1], 0);
}

TEST(FedAvg, ExactSumDoesNotDependOnHowClientsAreGroupedOverRanks) {
  // Rank layouts {0,1,2}, {0}{1,2}, {0,2}{1}: integer sums are identical.
  const auto p = sample_weights(kSamples);
  SumAccumulator all(2, ReduceMode::Exact), r0(2, ReduceMode::Exact), r1(2, ReduceMode::Exact);
  for (std::size_t k = 0; k < 3; ++k) all.add(kDeltas[k], p[k], 1.0, 0);
  r0.add(kDeltas[0], p[0], 1.0, 0);
  r0.add(kDeltas[2], p[2], 1.0, 2);
  r1.add(kDeltas[1], p[1], 1.0, 1);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(all.exact_terms()[i], r0.exact_terms()[i] + r1.exact_terms()[i]);
}

TEST(FedAvg, ServerLearningRateScalesTheStep) {
  EXPECT_EQ(server_sgd(kGlobal, {-0.4, 0.8}, 0.5), (std::vector<float>{0.8f, 2.4f}));
}

TEST(FedAvg, SegmentsAccumulateAtTheirOffset) {
  SumAccumulator acc(4, ReduceMode::Fast);
  acc.add(kDeltas[1], 0.5, 1.0, 0, 2);
  EXPECT_EQ(std::vector<double>(acc.fast_terms().begin(), acc.fast_terms().end()),
            (std::vector<double>{0.0, 0.0, -0.5, 1.0}));
  EXPECT_EQ(acc.reduce_bytes(), 4 * sizeof(double));
  EXPECT_THROW(acc.add(kDeltas[1], 0.5, 1.0, 0, 3), Error);
}

TEST(FedAvg, ZeroWeightClientsContributeNothing) {
  SumAccumulator acc(2, ReduceMode::Exact);
  acc.add(std::vector<float>{1e30f, 1e30f}, 0.0, 1.0, 0);  // ignored, even out of range
  EXPECT_EQ(acc.exact_terms()[0], 0);
}

TEST(FedAvg, ExactModeRefusesUpdatesOutsideItsRange) {
  SumAccumulator acc(2, ReduceMode::Exact);
  try {
    acc.add(std::vector<float>{0.0f, 1.0e7f}, 1.0, 1.0, 42);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("client 42 returned an update of 10000000 at coordinate 1"), std::string::npos)
        << e.what();
  }
  // The bound shrinks with the coefficients' sum: 2^22 / 4 = 1048576.
  EXPECT_THROW(acc.add(std::vector<float>{0.0f, 2.0e6f}, 0.25, 4.0, 1), Error);
  EXPECT_NO_THROW(acc.add(std::vector<float>{0.0f, 1.0e6f}, 0.25, 4.0, 1));
}

TEST(FedAvg, NonFiniteUpdatesAreRefusedInBothModes) {
  for (auto mode : {ReduceMode::Exact, ReduceMode::Fast}) {
    SumAccumulator acc(1, mode);
    EXPECT_THROW(acc.add(std::vector<float>{std::nanf("")}, 1.0, 1.0, 3), Error);
  }
}
