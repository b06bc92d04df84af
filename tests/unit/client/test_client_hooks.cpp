// The strategies' client-side rules, checked against relations derived by
// hand from their update equations, on real LibTorch training (logistic
// regression on synthetic data, plain SGD, one full batch per step).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "client/trainer.hpp"
#include "core/rng.hpp"
#include "data/synthetic.hpp"

using namespace fedhpc;

namespace {

class ClientHooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    configure_torch(1);
    config.seed = 11;
    config.model.name = "logreg";
    config.train.batch_size = 40;  // = the client's samples: every step sees the full batch
    config.train.lr = 0.1;
    config.train.local_epochs = 1;
    data = make_synthetic(SyntheticConfig{}, 3, 5);
    for (std::int64_t i = 0; i < 40; ++i) indices.push_back(i);
  }

  // Trains client 3 in round 1 from the initial model with `steps` steps.
  std::vector<float> delta(int steps, const ClientHooks& hooks = {}, TrainStats* stats = nullptr) {
    config.train.local_steps = steps;
    LocalTrainer t(config, data.train, data.test, {});
    const auto x = t.initial_params();
    std::vector<float> d(x.size());
    const TrainStats s = t.train(ClientId{3}, Round{1}, indices, x, d, hooks);
    if (stats) *stats = s;
    return d;
  }

  RunConfig config;
  DataSplit data;
  std::vector<std::int64_t> indices;
};

double max_abs(const std::vector<float>& v) {
  double m = 0;
  for (float x : v) m = std::max(m, static_cast<double>(std::fabs(x)));
  return m;
}

}  // namespace

TEST_F(ClientHooksTest, ProximalTermPullsTheSecondStepBackByLrMuTimesTheFirst) {
  // Step 1 is the same with or without the term (y = x). Step 2 from y1:
  //   FedProx: y2' = y1 - lr (g(y1) + mu (y1 - x)),  FedAvg: y2 = y1 - lr g(y1)
  // so delta'_2 - delta_2 = -lr mu delta_1.
  const double mu = 0.5;
  const auto d1 = delta(1);
  const auto d2 = delta(2);
  const auto p2 = delta(2, ClientHooks{LocalTerms{.anchored = true, .anchor = mu}});
  ASSERT_GT(max_abs(d1), 1e-3);
  for (std::size_t i = 0; i < d1.size(); ++i)
    EXPECT_NEAR(p2[i] - d2[i], -config.train.lr * mu * d1[i], 1e-6) << "coordinate " << i;
  EXPECT_NE(p2, d2);
  // mu = 0 runs the same code path and changes nothing.
  EXPECT_EQ(delta(2, ClientHooks{LocalTerms{.anchored = true, .anchor = 0.0}}), d2);
}

TEST_F(ClientHooksTest, ScaffoldCorrectionShiftsEachStepByLrTimesCMinusCi) {
  // One step: y1 = x - lr (g(x) - c_i + c), so delta_scaffold - delta_fedavg = -lr (c - c_i).
  const auto d1 = delta(1);
  std::vector<float> correction(d1.size());
  Rng rng(7);
  for (auto& v : correction) v = static_cast<float>(0.1 * rng.normal());
  const auto s1 = delta(1, ClientHooks{LocalTerms{.shift = correction}});
  for (std::size_t i = 0; i < d1.size(); ++i)
    EXPECT_NEAR(s1[i] - d1[i], -config.train.lr * correction[i], 1e-6) << "coordinate " << i;
}

TEST_F(ClientHooksTest, LinearTermAddsLrTimesItToEachStep) {
  // One step with grad - linear: y1 = x - lr (g(x) - l), so delta_l - delta = lr l.
  const auto d1 = delta(1);
  std::vector<float> linear(d1.size());
  Rng rng(11);
  for (auto& v : linear) v = static_cast<float>(0.1 * rng.normal());
  const auto l1 = delta(1, ClientHooks{LocalTerms{.linear = linear}});
  for (std::size_t i = 0; i < d1.size(); ++i)
    EXPECT_NEAR(l1[i] - d1[i], config.train.lr * linear[i], 1e-6) << "coordinate " << i;
  // With an anchor as well, step 1 is unchanged by it (y = x), step 2 is not.
  const auto both = delta(1, ClientHooks{LocalTerms{.anchored = true, .anchor = 0.5, .linear = linear}});
  EXPECT_EQ(both, l1);
}

TEST_F(ClientHooksTest, FedSgdIsOneFullBatchGradientStepWhateverTheChunking) {
  // One SGD step on the mean loss over all 40 samples: the same as a single
  // local step with batch 40, even when the gradient is summed over chunks of 7.
  TrainStats full{}, one{};
  config.runtime.eval_batch_size = 7;
  const auto fedsgd = delta(0, ClientHooks{LocalTerms{.full_batch = true}}, &full);
  config.train.local_epochs = 1;
  const auto fedavg = delta(1, {}, &one);
  EXPECT_EQ(full.steps, 1);
  EXPECT_EQ(LocalTrainer::planned_steps(config, /*full_batch=*/true, 40), 1);
  for (std::size_t i = 0; i < fedsgd.size(); ++i) EXPECT_NEAR(fedsgd[i], fedavg[i], 1e-6) << "coordinate " << i;
  EXPECT_NEAR(full.loss, one.loss, 1e-6);
}

TEST_F(ClientHooksTest, InitialLossIsTheMeanLossAtTheGlobalModel) {
  // q-FFL's F_k(x): the loss before any step equals FedSGD's loss (also at x).
  TrainStats q{}, sgd{};
  delta(3, ClientHooks{LocalTerms{.initial_loss = true}}, &q);
  delta(0, ClientHooks{LocalTerms{.full_batch = true}}, &sgd);
  EXPECT_DOUBLE_EQ(q.initial_loss, sgd.loss);
  EXPECT_GT(q.initial_loss, 0.0);
  // And asking for it does not change the update.
  EXPECT_EQ(delta(3, ClientHooks{LocalTerms{.initial_loss = true}}), delta(3));
}

TEST_F(ClientHooksTest, PlannedStepsMatchTheStepsTaken) {
  config.train.batch_size = 15;  // 40 samples: 3 batches per epoch
  config.train.local_epochs = 2;
  EXPECT_EQ(LocalTrainer::planned_steps(config, /*full_batch=*/false, 40), 6);
  TrainStats s{};
  delta(0, {}, &s);
  EXPECT_EQ(s.steps, 6);
  EXPECT_EQ(LocalTrainer::planned_steps(config, /*full_batch=*/false, 0), 0);
}

TEST_F(ClientHooksTest, ADivergedModelsLossIsCountedApartNotAddedAsANumber) {
  LocalTrainer t(config, data.train, data.test, {});
  const auto x = t.initial_params();
  const EvalStats fine = t.evaluate(x, 0, 40, 10, /*on_train=*/true);
  EXPECT_GT(fine.loss_fixed, 0);
  EXPECT_EQ(fine.nan_batches + fine.overflow_batches, 0);
  const std::vector<float> exploded(x.size(), 1e30f);
  const EvalStats bad = t.evaluate(exploded, 0, 40, 10, /*on_train=*/true);
  EXPECT_EQ(bad.nan_batches + bad.overflow_batches, 4);  // every batch of 10
  EXPECT_EQ(bad.loss_fixed, 0);
  EXPECT_EQ(bad.count, 40);
}
