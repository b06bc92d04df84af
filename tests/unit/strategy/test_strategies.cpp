// Every strategy's server-side math on small hand-made client updates, with
// the expected values worked out by hand in the comments (two rounds for the
// stateful ones). Aggregators run through CohortAggregator on a one-rank
// LocalComm: the same code path as a real run, minus MPI (tests/mpi and the
// e2e tests cover the ranks).
#include <gtest/gtest.h>

#include <cmath>

#include "comm/comm.hpp"
#include "fl/aggregation.hpp"
#include "strategy/catalog.hpp"
#include "strategy/coefficients.hpp"
#include "strategy/control_variates.hpp"
#include "strategy/robust.hpp"
#include "strategy/server_opt.hpp"

using namespace fedhpc;

namespace {

// Relative tolerance for results that pass through a square root or division.
void expect_rel(double actual, double expected, double rel = 1e-6) {
  EXPECT_NEAR(actual, expected, rel * std::fabs(expected)) << "expected " << expected;
}

// One round of `strategy` over hand-made updates, on one rank.
struct Round1 {
  RunConfig config;
  std::vector<ClientId> clients;
  std::vector<std::int64_t> samples, steps;
  std::vector<int> owners;

  Round1(const char* strategy, std::vector<std::int64_t> n, std::vector<std::int64_t> tau = {}) : samples(std::move(n)) {
    config.strategy.name = strategy;
    config.data.num_clients = 4;
    for (std::size_t k = 0; k < samples.size(); ++k) clients.push_back(ClientId{static_cast<std::uint32_t>(k)});
    steps = tau.empty() ? std::vector<std::int64_t>(samples.size(), 1) : std::move(tau);
    owners.assign(samples.size(), 0);
  }

  AggregateResult run(const std::vector<std::vector<float>>& deltas, const std::vector<std::vector<float>>& controls = {},
                      const std::vector<double>& losses = {}) {
    auto comm = make_local_comm();
    CohortAggregator agg(*find_strategy(config.strategy.name), config, deltas[0].size());
    agg.begin_round({clients, samples, steps, owners, {}, {}, Round{0}});
    for (std::size_t k = 0; k < deltas.size(); ++k)
      agg.add(k, deltas[k], controls.empty() ? std::span<const float>() : std::span<const float>(controls[k]),
              losses.empty() ? 0.0 : losses[k]);
    return agg.finish(*comm);
  }
};

std::vector<float> step(ServerOptimizer& opt, std::vector<float> x, std::vector<double> delta) {
  opt.step(x, delta);
  return x;
}

}  // namespace

// --- server optimizers -----------------------------------------------------

TEST(FedAvgM, TwoRoundsOfServerMomentum) {
  // beta 0.5, eta 1, x = [1, 2]. Round 1: v = [0.5, -0.25], x = [1.5, 1.75].
  // Round 2, Delta = [0.25, 0.5]: v = 0.5 v + Delta = [0.5, 0.375], x = [2, 2.125].
  StrategyConfig o;
  o.server_lr = 1.0;
  o.server_momentum = 0.5;
  ServerOptimizer opt(ServerRule::Momentum, o, 2);
  const auto x1 = step(opt, {1.0f, 2.0f}, {0.5, -0.25});
  EXPECT_EQ(x1, (std::vector<float>{1.5f, 1.75f}));
  EXPECT_EQ(step(opt, x1, {0.25, 0.5}), (std::vector<float>{2.0f, 2.125f}));
}

TEST(FedAvgM, ZeroMomentumAndUnitLrIsFedAvgToTheBit) {
  StrategyConfig o;
  o.server_lr = 1.0;
  o.server_momentum = 0.0;
  ServerOptimizer m(ServerRule::Momentum, o, 2), sgd(ServerRule::Sgd, o, 2);
  std::vector<float> a{0.1f, -3.7f}, b = a;
  for (auto delta : {std::vector<double>{0.3, -1e-7}, std::vector<double>{-0.123456789, 2.5}}) {
    a = step(m, a, delta);
    b = step(sgd, b, delta);
    EXPECT_EQ(a, b);
  }
}

// Reddi et al. 2021, Algorithm 2, with eta 0.1, beta1 0.9, beta2 0.99,
// tau 1e-3, x = [1, 2], Delta_1 = [0.5, -0.25], Delta_2 = [0.25, 0.5].
// Round 1 (all three): m = 0.1 Delta = [0.05, -0.025].
//   adam/yogi: v = 0.01 Delta^2 = [0.0025, 0.000625], sqrt v = [0.05, 0.025]
//     x = [1 + 0.1*0.05/0.051, 2 - 0.1*0.025/0.026] = [1.0980392157, 1.9038461538]
//   adagrad: v = Delta^2 = [0.25, 0.0625]: x = [1 + 0.005/0.501, 2 - 0.0025/0.251]
// Round 2: m = 0.9 m + 0.1 Delta_2 = [0.07, 0.0275].
//   adam:    v = 0.99 v + 0.01 Delta_2^2 = [0.0031, 0.00311875]
//   yogi:    v - Delta_2^2 < 0, so v = v + 0.01 Delta_2^2 = [0.003125, 0.003125]
//   adagrad: v = v + Delta_2^2 = [0.3125, 0.3125]
//   x += 0.1 m / (sqrt v + 1e-3)
struct AdaptiveCase {
  ServerRule rule;
  double x1[2], x2[2];
};

class Adaptive : public ::testing::TestWithParam<AdaptiveCase> {};

TEST_P(Adaptive, TwoRoundsMatchTheHandComputedSteps) {
  const auto& c = GetParam();
  StrategyConfig o;
  o.server_lr = 0.1;
  o.beta1 = 0.9;
  o.beta2 = 0.99;
  o.tau = 1e-3;
  ServerOptimizer opt(c.rule, o, 2);
  const auto x1 = step(opt, {1.0f, 2.0f}, {0.5, -0.25});
  expect_rel(x1[0], c.x1[0]);
  expect_rel(x1[1], c.x1[1]);
  const auto x2 = step(opt, x1, {0.25, 0.5});
  expect_rel(x2[0], c.x2[0]);
  expect_rel(x2[1], c.x2[1]);
}

INSTANTIATE_TEST_SUITE_P(
    FedOpt, Adaptive,
    ::testing::Values(AdaptiveCase{ServerRule::Adam, {1.0980392156862744, 1.903846153846154},
                                   {1.2215447030686886, 1.9522226647395418}},
                      AdaptiveCase{ServerRule::Yogi, {1.0980392156862744, 1.903846153846154},
                                   {1.2210583885615827, 1.9521751146185964}},
                      AdaptiveCase{ServerRule::Adagrad, {1.0099800399201597, 1.9900398406374502},
                                   {1.0224796605929447, 1.9949504059017586}}),
    [](const auto& test) { return std::string(to_string(test.param.rule)); });

// --- mean-family aggregators ----------------------------------------------

TEST(FedAvgAggregator, SampleWeightedMeanThroughTheAggregator) {
  // The test_aggregation.cpp numbers: [-0.4, 0.8] with weights [0.2, 0.6, 0.2].
  Round1 r("fedavg", {100, 300, 100});
  const auto out = r.run({{1.0f, 0.0f}, {-1.0f, 2.0f}, {0.0f, -2.0f}});
  EXPECT_NEAR(out.model_delta[0], -0.4, 1e-11);
  EXPECT_NEAR(out.model_delta[1], 0.8, 1e-11);
  EXPECT_EQ(out.weights, (std::vector<double>{0.2, 0.6, 0.2}));
  EXPECT_EQ(out.aggregated, 3u);
}

TEST(FedSgd, ServerSideIsTheSampleWeightedMean) {
  // FedSGD differs from FedAvg on the client (one full-batch step, see
  // test_client_hooks.cpp); its aggregate is the same weighted mean.
  Round1 r("fedsgd", {100, 300, 100});
  EXPECT_EQ(r.run({{1.0f, 0.0f}, {-1.0f, 2.0f}, {0.0f, -2.0f}}).weights, (std::vector<double>{0.2, 0.6, 0.2}));
}

TEST(FedNova, EffectiveStepsForSgdMomentumAndProximal) {
  EXPECT_EQ(fednova_effective_steps(4, 0.0, 0.1, 0.0), 4.0);
  // rho 0.5, tau 2: [2 - 0.5 (1 - 0.25) / 0.5] / 0.5 = 2.5; by hand: v = 1, 1.5 -> 2.5 steps.
  EXPECT_DOUBLE_EQ(fednova_effective_steps(2, 0.5, 0.1, 0.0), 2.5);
  // lr 0.1, mu 1, tau 2: [1 - 0.9^2] / 0.1 = 1.9.
  EXPECT_DOUBLE_EQ(fednova_effective_steps(2, 0.0, 0.1, 1.0), 1.9);
  // rho 0.5, mu 1, lr 0.1, tau 2: v1 = 1, d1 = -0.1; v2 = 0.5 + 1 - 0.1 = 1.4, d2 = -0.24 -> 2.4.
  EXPECT_NEAR(fednova_effective_steps(2, 0.5, 0.1, 1.0), 2.4, 1e-12);
  // NIID-Bench's momentum 0.9 over 10 steps: [10 - 0.9 (1 - 0.9^10) / 0.1] / 0.1.
  expect_rel(fednova_effective_steps(10, 0.9, 0.01, 0.0), (10 - 0.9 * (1 - std::pow(0.9, 10)) / 0.1) / 0.1, 1e-12);
  EXPECT_EQ(fednova_effective_steps(0, 0.9, 0.01, 0.0), 0.0);
}

TEST(FedNova, NormalizedAverageByHand) {
  // n = [100, 300], tau = [2, 4] plain SGD: p = [0.25, 0.75], tau_eff = 3.5,
  // coef = p tau_eff / a = [0.4375, 0.65625];
  // Delta = 0.4375 [-1, 0.5] + 0.65625 [0.5, 0.5] = [-0.109375, 0.546875].
  Round1 r("fednova", {100, 300}, {2, 4});
  r.config.train.momentum = 0.0;
  const auto out = r.run({{-1.0f, 0.5f}, {0.5f, 0.5f}});
  EXPECT_EQ(out.weights, (std::vector<double>{0.4375, 0.65625}));
  EXPECT_NEAR(out.model_delta[0], -0.109375, 1e-11);
  EXPECT_NEAR(out.model_delta[1], 0.546875, 1e-11);
}

TEST(FedNova, EqualIntegerStepsGiveExactlyTheSampleWeights) {
  const std::vector<std::int64_t> n{7, 13, 29};
  EXPECT_EQ(fednova_coefficients(n, std::vector<double>{6, 6, 6}), sample_weights(n));
}

TEST(QFedAvg, FairnessWeightsByHand) {
  // lr 0.5 (L = 2), q = 1, F = [1, 3], Delta = [-1, 0.5], [0.5, 0.5].
  // Paper form: dw = L (x - y) = [2, -1], [-1, -1]; Delta_k = F dw = [2, -1], [-3, -3];
  // h = |dw|^2 + L F = [5 + 2, 2 + 6] = [7, 8]; x - sum Delta / sum h = x + [1, 4] / 15.
  Round1 r("qfedavg", {100, 300});
  r.config.train.lr = 0.5;
  r.config.strategy.q = 1.0;
  const auto out = r.run({{-1.0f, 0.5f}, {0.5f, 0.5f}}, {}, {1.0, 3.0});
  expect_rel(out.weights[0], 1.0 / 7.5);
  expect_rel(out.weights[1], 3.0 / 7.5);
  expect_rel(out.model_delta[0], 1.0 / 15.0);
  expect_rel(out.model_delta[1], 4.0 / 15.0);
}

TEST(QFedAvg, QZeroIsThePlainMean) {
  const std::vector<double> w = qffl_coefficients(std::vector<double>{0.3, 2.0, 9.0}, std::vector<double>{5, 0, 1}, 0.0, 0.01);
  EXPECT_EQ(w, (std::vector<double>{1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0}));
  EXPECT_EQ(w, sample_weights(std::vector<std::int64_t>{40, 40, 40}));
}

// --- SCAFFOLD ----------------------------------------------------------------

TEST(Scaffold, TwoRoundsOfControlVariatesByHand) {
  // N = 4 clients in all; clients a (n=100) and b (n=300) train K = 2 steps
  // with lr 0.5, so (x - y) / (K lr) = -(y - x).
  // Round 1, c = c_a = c_b = 0, Delta_a = [-1, 0.5], Delta_b = [0.5, 0.5]:
  //   c_a+ = [1, -0.5], c_b+ = [-0.5, -0.5] (= delta_c);
  //   c = 0 + (1/4)(delta_c_a + delta_c_b) = [0.125, -0.25];
  //   model Delta = 0.25 [-1, 0.5] + 0.75 [0.5, 0.5] = [0.125, 0.5].
  Round1 r("scaffold", {100, 300}, {2, 2});
  const double lr = 0.5;
  std::vector<float> c{0.0f, 0.0f};
  ControlVariateStore store(2);
  std::vector<std::vector<float>> deltas{{-1.0f, 0.5f}, {0.5f, 0.5f}}, dc(2, std::vector<float>(2));
  std::vector<float> correction(2);
  for (std::size_t k = 0; k < 2; ++k) {
    control_correction(store.of(ClientId{static_cast<std::uint32_t>(k)}), c, correction);
    EXPECT_EQ(correction, (std::vector<float>{0.0f, 0.0f}));  // first round: no correction
    update_control_variate(store.of(ClientId{static_cast<std::uint32_t>(k)}), c, deltas[k], 2, lr, dc[k]);
  }
  EXPECT_EQ(dc[0], (std::vector<float>{1.0f, -0.5f}));
  EXPECT_EQ(dc[1], (std::vector<float>{-0.5f, -0.5f}));
  const auto out = r.run(deltas, dc);
  EXPECT_NEAR(out.model_delta[0], 0.125, 1e-11);
  EXPECT_NEAR(out.model_delta[1], 0.5, 1e-11);
  ASSERT_EQ(out.upload_sum.size(), 2u);
  EXPECT_NEAR(out.upload_sum[0], 0.125, 1e-11);
  EXPECT_NEAR(out.upload_sum[1], -0.25, 1e-11);
  for (std::size_t j = 0; j < 2; ++j) c[j] = static_cast<float>(c[j] + out.upload_sum[j]);

  // Round 2, client a alone, Delta_a = [0.25, -0.5]: its correction is
  // c - c_a = [0.125 - 1, -0.25 + 0.5] = [-0.875, 0.25];
  //   c_a+ = c_a - c - Delta = [1 - 0.125 - 0.25, -0.5 + 0.25 + 0.5] = [0.625, 0.25];
  //   delta_c = [-0.375, 0.75]; c = c + delta_c / 4 = [0.03125, -0.0625].
  Round1 r2("scaffold", {100}, {2});
  auto c_a = store.of(ClientId{0});
  control_correction(c_a, c, correction);
  EXPECT_EQ(correction, (std::vector<float>{-0.875f, 0.25f}));
  std::vector<float> dca(2);
  update_control_variate(c_a, c, std::vector<float>{0.25f, -0.5f}, 2, lr, dca);
  EXPECT_EQ(std::vector<float>(c_a.begin(), c_a.end()), (std::vector<float>{0.625f, 0.25f}));
  EXPECT_EQ(dca, (std::vector<float>{-0.375f, 0.75f}));
  const auto out2 = r2.run({{0.25f, -0.5f}}, {dca});
  EXPECT_NEAR(c[0] + out2.upload_sum[0], 0.03125, 1e-11);
  EXPECT_NEAR(c[1] + out2.upload_sum[1], -0.0625, 1e-11);
  EXPECT_EQ(store.clients(), 2u);
}

// --- robust aggregators --------------------------------------------------

namespace {
// Four clients, two coordinates: columns are {1, 3, -1, 10} and {-2, 0, 5, 1}.
const std::vector<std::vector<float>> kRobustRows{{1.0f, -2.0f}, {3.0f, 0.0f}, {-1.0f, 5.0f}, {10.0f, 1.0f}};
}  // namespace

TEST(Median, CoordinateWiseByHand) {
  // Sorted columns {-1, 1, 3, 10} and {-2, 0, 1, 5}: medians (1+3)/2 = 2 and (0+1)/2 = 0.5.
  Round1 r("median", {10, 10, 10, 10});
  const auto out = r.run(kRobustRows);
  EXPECT_EQ(out.model_delta, (std::vector<double>{2.0, 0.5}));
  EXPECT_EQ(out.aggregated, 2u);
  EXPECT_TRUE(std::isnan(out.weights[0]));
  // Odd K: the first three rows, columns {1, 3, -1} and {-2, 0, 5} -> 1 and 0.
  std::vector<float> flat{1.0f, -2.0f, 3.0f, 0.0f, -1.0f, 5.0f};
  std::vector<double> med(2);
  coordinate_median(flat, 3, med);
  EXPECT_EQ(med, (std::vector<double>{1.0, 0.0}));
}

TEST(TrimmedMean, CoordinateWiseByHand) {
  // beta 0.25, K = 4: one value cut from each end: mean(1, 3) = 2, mean(0, 1) = 0.5.
  Round1 r("trimmed_mean", {10, 10, 10, 10});
  r.config.strategy.trim_fraction = 0.25;
  const auto out = r.run(kRobustRows);
  EXPECT_EQ(out.model_delta, (std::vector<double>{2.0, 0.5}));
  EXPECT_EQ(out.aggregated, 2u);
  // beta 0.2, K = 5 (a fifth row [0, 0]): {-1, 0, 1, 3, 10} -> mean(0, 1, 3) = 4/3;
  // {-2, 0, 0, 1, 5} -> mean(0, 0, 1) = 1/3.
  Round1 r5("trimmed_mean", {10, 10, 10, 10, 10});
  r5.config.strategy.trim_fraction = 0.2;
  auto rows = kRobustRows;
  rows.push_back({0.0f, 0.0f});
  const auto out5 = r5.run(rows);
  EXPECT_DOUBLE_EQ(out5.model_delta[0], 4.0 / 3.0);
  EXPECT_DOUBLE_EQ(out5.model_delta[1], 1.0 / 3.0);
  EXPECT_EQ(trimmed_count(10, 0.1), 1u);
  EXPECT_EQ(trimmed_count(9, 0.1), 0u);
}

namespace {
// Points a = [0,0], b = [1,0], c = [0,1], d = [10,10]. Squared distances:
// ab 1, ac 1, ad 200, bc 2, bd 181, cd 181. With f = 0 each score sums the
// K - 2 = 2 nearest: a 1+1 = 2, b 1+2 = 3, c 1+2 = 3, d 181+181 = 362.
const std::vector<std::vector<float>> kKrumRows{{0.0f, 0.0f}, {1.0f, 0.0f}, {0.0f, 1.0f}, {10.0f, 10.0f}};
}  // namespace

TEST(Krum, ScoresAndSelectionByHand) {
  const std::vector<double> sq{0, 1, 1, 200, 1, 0, 2, 181, 1, 2, 0, 181, 200, 181, 181, 0};
  EXPECT_EQ(krum_scores(sq, 4, 0), (std::vector<double>{2, 3, 3, 362}));
  EXPECT_EQ(krum_scores(sq, 4, 1), (std::vector<double>{1, 1, 1, 181}));  // K - f - 2 = 1 neighbour
  EXPECT_EQ(krum_select(std::vector<double>{2, 3, 3, 362}, 2), (std::vector<std::uint8_t>{1, 1, 0, 0}));  // tie: b
  std::vector<float> flat;
  for (const auto& r : kKrumRows) flat.insert(flat.end(), r.begin(), r.end());
  std::vector<std::int64_t> fixed(16, 0);
  add_pairwise_sqdist(flat, 4, 0, fixed);
  EXPECT_EQ(fixed[0 * 4 + 3], 200LL << kDistanceFixedBits);
  EXPECT_EQ(fixed[2 * 4 + 1], 2LL << kDistanceFixedBits);
}

TEST(Krum, PicksTheUpdateClosestToItsNeighbours) {
  Round1 r("krum", {100, 100, 100, 100});
  const auto out = r.run(kKrumRows);
  EXPECT_EQ(out.model_delta, (std::vector<double>{0.0, 0.0}));
  EXPECT_EQ(out.weights, (std::vector<double>{1.0, 0.0, 0.0, 0.0}));
  EXPECT_EQ(out.aggregated, 1u);
}

TEST(MultiKrum, AveragesTheMBestScoresBySamples) {
  // m = 2: a and b (b before c on the tie), n = [100, 300] -> 0.25 a + 0.75 b = [0.75, 0].
  Round1 r("multikrum", {100, 300, 100, 100});
  r.config.strategy.multikrum_m = 2;
  const auto out = r.run(kKrumRows);
  EXPECT_EQ(out.weights, (std::vector<double>{0.25, 0.75, 0.0, 0.0}));
  EXPECT_NEAR(out.model_delta[0], 0.75, 1e-11);
  EXPECT_NEAR(out.model_delta[1], 0.0, 1e-11);
  // m = 0 means K - f: every client, i.e. FedAvg's weights.
  r.config.strategy.multikrum_m = 0;
  EXPECT_EQ(r.run(kKrumRows).weights, sample_weights(r.samples));
}

// --- registry ------------------------------------------------------------------

TEST(StrategyRegistry, EveryStrategyIsThereWithItsParts) {
  for (const char* name : {"fedsgd", "fedavg", "fedavgm", "fedprox", "scaffold", "fednova", "fedadam", "fedyogi",
                           "fedadagrad", "qfedavg", "median", "trimmed_mean", "krum", "multikrum"})
    EXPECT_NE(find_strategy(name), nullptr) << name;
  EXPECT_EQ(builtin_strategies().size(), 14u);
  EXPECT_EQ(find_strategy("scaffold")->client->name, "scaffold");
  EXPECT_TRUE(per_client_state(*find_strategy("scaffold")));
  EXPECT_EQ(find_strategy("krum")->aggregation->shape, AggregationShape::Selection);
  EXPECT_EQ(find_strategy("median")->aggregation->shape, AggregationShape::Coordinate);
  EXPECT_EQ(find_strategy("qfedavg")->aggregation->shape, AggregationShape::DeferredSum);
  // Every option a row names exists in the option table.
  for (const auto& s : strategy_catalog())
    for (const auto& d : s.options) EXPECT_NE(find_strategy_option(d.key), nullptr) << s.name << "." << d.key;
}

TEST(Aggregation, SlicesStartOnDistanceBlocksAndCoverTheModel) {
  for (std::size_t dim : {std::size_t{610}, std::size_t{54410}, std::size_t{1663370}}) {
    for (int p : {1, 2, 3, 4, 7}) {
      std::size_t expected_begin = 0;
      for (int j = 0; j < p; ++j) {
        const auto [b, e] = CohortAggregator::slice(dim, j, p);
        EXPECT_EQ(b, expected_begin);
        EXPECT_EQ(b % kDistanceBlock, 0u);
        EXPECT_LE(b, e);
        expected_begin = e;
      }
      EXPECT_EQ(expected_begin, dim);
    }
  }
}
