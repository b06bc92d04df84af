#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
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
const std::vector<double> kWeights{100, 300, 100};
constexpr double kTotal = 500;

std::vector<double> aggregate(ReduceMode mode) {
  SumAccumulator acc(2, mode);
  for (std::size_t k = 0; k < 3; ++k) acc.add(kDeltas[k], kWeights[k], kTotal, static_cast<std::uint32_t>(k));
  return mode == ReduceMode::Exact ? SumAccumulator::mean_from_exact(acc.exact_terms())
                                   : SumAccumulator::mean_from_fast(acc.fast_terms());
}

}  // namespace

TEST(FedAvg, FastModeMatchesTheHandComputedMean) {
  const auto mean = aggregate(ReduceMode::Fast);
  EXPECT_DOUBLE_EQ(mean[0], -0.4);
  EXPECT_DOUBLE_EQ(mean[1], 0.8);
  auto x = kGlobal;
  apply_server_sgd(x, mean, 1.0);
  EXPECT_EQ(x[0], 0.6f);
  EXPECT_EQ(x[1], 2.8f);
}

TEST(FedAvg, ExactModeMatchesTheHandComputedMeanToFixedPointResolution) {
  const auto mean = aggregate(ReduceMode::Exact);
  EXPECT_NEAR(mean[0], -0.4, 3 * std::ldexp(1.0, -40));
  EXPECT_NEAR(mean[1], 0.8, 3 * std::ldexp(1.0, -40));
  auto x = kGlobal;
  apply_server_sgd(x, mean, 1.0);
  EXPECT_EQ(x[0], 0.6f);
  EXPECT_EQ(x[1], 2.8f);
}

TEST(FedAvg, ExactTermsAreTheRoundedWeightedDeltas) {
  SumAccumulator acc(2, ReduceMode::Exact);
  acc.add(kDeltas[0], 100, kTotal, 0);  // 0.2 * [1, 0]
  EXPECT_EQ(acc.exact_terms()[0], std::llround(0.2 * 0x1p40));
  EXPECT_EQ(acc.exact_terms()[1], 0);
}

TEST(FedAvg, ExactSumDoesNotDependOnHowClientsAreGroupedOverRanks) {
  // Rank layouts {0,1,2}, {0}{1,2}, {0,2}{1}: integer sums are identical.
  SumAccumulator all(2, ReduceMode::Exact), r0(2, ReduceMode::Exact), r1(2, ReduceMode::Exact);
  for (std::size_t k = 0; k < 3; ++k) all.add(kDeltas[k], kWeights[k], kTotal, 0);
  r0.add(kDeltas[0], kWeights[0], kTotal, 0);
  r0.add(kDeltas[2], kWeights[2], kTotal, 2);
  r1.add(kDeltas[1], kWeights[1], kTotal, 1);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(all.exact_terms()[i], r0.exact_terms()[i] + r1.exact_terms()[i]);
}

TEST(FedAvg, ServerLearningRateScalesTheStep) {
  auto x = kGlobal;
  apply_server_sgd(x, std::vector<double>{-0.4, 0.8}, 0.5);
  EXPECT_EQ(x[0], 0.8f);
  EXPECT_EQ(x[1], 2.4f);
}

TEST(FedAvg, FastModeCarriesTheWeightTotalInTheLastSlot) {
  SumAccumulator acc(2, ReduceMode::Fast);
  for (std::size_t k = 0; k < 3; ++k) acc.add(kDeltas[k], kWeights[k], 0.0, 0);
  ASSERT_EQ(acc.fast_terms().size(), 3u);
  EXPECT_EQ(acc.fast_terms()[0], -200.0);
  EXPECT_EQ(acc.fast_terms()[1], 400.0);
  EXPECT_EQ(acc.fast_terms()[2], 500.0);
  EXPECT_EQ(acc.reduce_bytes(), 3 * sizeof(double));
}

TEST(FedAvg, ZeroWeightClientsContributeNothing) {
  SumAccumulator acc(2, ReduceMode::Exact);
  acc.add(std::vector<float>{1e30f, 1e30f}, 0.0, 10.0, 0);  // ignored, even out of range
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
}

TEST(FedAvg, NonFiniteUpdatesAreRefusedInBothModes) {
  for (auto mode : {ReduceMode::Exact, ReduceMode::Fast}) {
    SumAccumulator acc(1, mode);
    EXPECT_THROW(acc.add(std::vector<float>{std::nanf("")}, 1.0, 1.0, 3), Error);
  }
}
