// Grouped training (runtime.client_batch) against one client at a time, on
// real LibTorch for every model: the same schedule (steps exactly), the same
// mathematics (updates equal up to float rounding), momentum, weight decay,
// FedProx's term, a step limit, an empty client, and clients of different
// sizes side by side; and the same group twice gives the same bits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "client/group_trainer.hpp"
#include "client/trainer.hpp"
#include "data/dataset.hpp"
#include "model/catalog.hpp"

using namespace fedhpc;

namespace {

Dataset random_images(std::int64_t n, std::uint64_t seed) { return random_dataset(n, {1, 28, 28}, 10, seed); }

struct Client {
  std::uint32_t id;
  std::int64_t samples;
  std::int64_t step_limit;
  std::int64_t expected_steps;  // B=10, E=2: 2 ceil(n / min(10, n)), cut by the limit
};

// Sizes that make every step's batch widths differ across the group.
const Client kClients[] = {
    {4, 23, -1, 6},   // 10, 10, 3 per epoch
    {9, 60, 3, 3},    // a partial client: 3 of its 12 steps
    {17, 7, -1, 2},   // batch = its 7 samples
    {21, 0, -1, 0},   // no samples: a zero update
    {30, 41, -1, 10}, // 10, 10, 10, 10, 1 per epoch
};

class GroupTrainerTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    configure_torch(1);
    config.seed = 5;
    config.model.name = GetParam();
    config.train.batch_size = 10;
    config.train.local_epochs = 2;
    config.train.lr = 0.05;
    config.train.momentum = 0.9;
    config.train.weight_decay = 1e-3;
    std::int64_t total = 0;
    for (const auto& c : kClients) {
      std::vector<std::int64_t> r;
      for (std::int64_t i = 0; i < c.samples; ++i) r.push_back(total + i);
      rows.push_back(std::move(r));
      total += c.samples;
    }
    data = random_images(total, 3);
    test = random_images(10, 4);
  }

  std::vector<TrainStats> grouped(GroupTrainer& g, std::span<const float> global, std::vector<float>& deltas) {
    g.clear();
    for (std::size_t i = 0; i < std::size(kClients); ++i)
      g.add(ClientId{kClients[i].id}, data, rows[i], kClients[i].step_limit);
    deltas.assign(std::size(kClients) * global.size(), -1.0f);
    return g.train(Round{2}, global, deltas, kMu);
  }

  static constexpr double kMu = 0.01;
  RunConfig config;
  Dataset data, test;
  std::vector<std::vector<std::int64_t>> rows;
};

TEST_P(GroupTrainerTest, UpdatesMatchOneClientAtATime) {
  LocalTrainer solo(config, data, test, {});
  GroupTrainer group(config, data, {});
  ASSERT_EQ(group.num_params(), solo.num_params());
  const auto global = solo.initial_params();
  const std::size_t d = global.size();
  std::vector<float> deltas;
  const auto stats = grouped(group, global, deltas);
  ASSERT_EQ(stats.size(), std::size(kClients));

  for (std::size_t i = 0; i < std::size(kClients); ++i) {
    const Client& c = kClients[i];
    ClientHooks hooks;
    hooks.terms = LocalTerms{.anchored = true, .anchor = kMu};
    hooks.step_limit = c.step_limit;
    std::vector<float> expected(d);
    const TrainStats s = solo.train(ClientId{c.id}, Round{2}, rows[i], global, expected, hooks);
    EXPECT_EQ(stats[i].steps, c.expected_steps) << "client " << c.id;
    EXPECT_EQ(s.steps, c.expected_steps) << "client " << c.id;
    EXPECT_EQ(stats[i].num_samples, c.samples);
    const std::span<const float> got(deltas.data() + i * d, d);
    if (c.samples == 0) {
      EXPECT_TRUE(std::all_of(got.begin(), got.end(), [](float v) { return v == 0.0f; })) << "empty client moved";
      continue;
    }
    double scale = 0.0, worst = 0.0;
    for (std::size_t j = 0; j < d; ++j) {
      scale = std::max(scale, static_cast<double>(std::fabs(expected[j])));
      worst = std::max(worst, static_cast<double>(std::fabs(got[j] - expected[j])));
    }
    ASSERT_GT(scale, 1e-4) << "client " << c.id << " did not train";
    // Rounding only: a wrong batch, step or rule moves coordinates by ~scale.
    EXPECT_LE(worst, 1e-4 * scale + 1e-7) << "client " << c.id << ": largest |difference| " << worst
                                          << " against updates of " << scale;
    EXPECT_NEAR(stats[i].loss, s.loss, 1e-4 * std::fabs(s.loss)) << "client " << c.id;
  }
}

TEST_P(GroupTrainerTest, SameGroupSameBits) {
  GroupTrainer group(config, data, {});
  LocalTrainer solo(config, data, test, {});
  const auto global = solo.initial_params();
  std::vector<float> first, second;
  const auto s1 = grouped(group, global, first);
  const auto s2 = grouped(group, global, second);
  ASSERT_EQ(first.size(), second.size());
  EXPECT_EQ(std::memcmp(first.data(), second.data(), first.size() * sizeof(float)), 0);
  for (std::size_t i = 0; i < s1.size(); ++i) EXPECT_EQ(s1[i].loss, s2[i].loss);
}

INSTANTIATE_TEST_SUITE_P(EveryModel, GroupTrainerTest,
                         ::testing::Values("logreg", "mlp_2nn", "cnn_simple", "cnn_mcmahan"),
                         [](const auto& p) { return std::string(p.param); });

TEST(GroupTrainerCatalog, EveryModelTrainsInAGroup) {
  // A model added to the catalog without a stacked forward fails here, not in a run.
  configure_torch(1);
  const Dataset images = random_images(3, 1);
  const std::vector<std::int64_t> rows{0, 1, 2};
  for (const auto& m : model_catalog()) {
    if (!m.groupable) continue;  // refused with runtime.client_batch > 1 (ConfigErrors tests)
    RunConfig config;
    config.model.name = std::string(m.name);
    GroupTrainer group(config, images, {});
    LocalTrainer solo(config, images, images, {});
    const auto global = solo.initial_params();
    std::vector<float> delta(global.size());
    group.add(ClientId{0}, images, rows);
    EXPECT_EQ(group.train(Round{1}, global, delta).at(0).steps, 1) << m.name;
  }
}

}  // namespace
