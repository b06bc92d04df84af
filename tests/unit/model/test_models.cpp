#include <gtest/gtest.h>

#include <cmath>

#include "client/trainer.hpp"
#include "data/synthetic.hpp"
#include "core/blas_info.hpp"
#include "core/error.hpp"
#include "model/catalog.hpp"

using namespace fedhpc;

namespace {

Dataset images() {
  Dataset d;
  d.sample_shape = {1, 28, 28};
  d.num_classes = 10;
  return d;
}

std::int64_t params_of(const std::string& name, const Dataset& d) {
  RunConfig c;
  c.model.name = name;
  LocalTrainer t(c, d, d, DeviceSpec{});
  return t.num_params();
}

}  // namespace

TEST(Models, ParameterCountsMatchThePapers) {
  configure_torch(1);
  const Dataset d = images();
  EXPECT_EQ(params_of("logreg", d), 7850);
  EXPECT_EQ(params_of("mlp_2nn", d), 199210);      // McMahan et al. 2NN
  EXPECT_EQ(params_of("cnn_mcmahan", d), 1663370);  // McMahan et al. CNN
  EXPECT_EQ(params_of("cnn_simple", d), 44426);     // NIID-Bench simple-cnn
  Dataset synth;
  synth.sample_shape = {60};
  synth.num_classes = 10;
  EXPECT_EQ(params_of("logreg", synth), 610);  // FedProx synthetic MCLR
  Dataset text;
  text.sample_shape = {80};
  text.num_classes = 80;
  // LEAF's Shakespeare LSTM with an 80-character vocabulary: embedding
  // 80 x 8, LSTM layers 4*256*(8+256) + 2*4*256 and 4*256*(256+256) + 2*4*256,
  // FC 256 x 80 + 80.
  EXPECT_EQ(params_of("char_lstm", text), 640 + 272384 + 526336 + 20560);
}

TEST(Models, CatalogAndFactoryAgree) {
  Dataset text;
  text.sample_shape = {80};
  text.num_classes = 30;
  for (const auto& m : model_catalog()) {
    const Dataset d = m.input == ModelInput::Characters ? text : images();
    EXPECT_GT(params_of(std::string(m.name), d), 0) << m.name;
  }
}

TEST(Models, BuiltInModelsRefuseDataOfAnotherShape) {
  Dataset vectors;
  vectors.sample_shape = {784};
  vectors.num_classes = 10;
  const auto message = [&](const char* name) {
    try {
      params_of(name, vectors);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("cnn_simple"), "model.name: cnn_simple needs 1x28x28 images, but the data's samples are [784]");
  EXPECT_EQ(params_of("mlp_2nn", vectors), 199210);  // flat models take any shape
  Dataset grid;
  grid.sample_shape = {2, 40};
  grid.num_classes = 10;
  try {
    params_of("char_lstm", grid);
    ADD_FAILURE() << "char_lstm accepted [2, 40] samples";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "model.name: char_lstm needs sequences of character indices (samples [length]), "
                                     "but the data's samples are [2, 40]");
  }
}

class TrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    configure_torch(1);
    config.seed = 5;
    config.model.name = "logreg";
    config.train.local_epochs = 2;
    config.train.batch_size = 10;
    config.train.lr = 0.1;
    data = make_synthetic(SyntheticConfig{}, 3, 5);
    for (std::int64_t i = 0; i < 40; ++i) indices.push_back(i);
  }
  RunConfig config;
  DataSplit data;
  std::vector<std::int64_t> indices;
};

TEST_F(TrainerTest, SameClientAndRoundGiveTheSameBits) {
  LocalTrainer a(config, data.train, data.test, {}), b(config, data.train, data.test, {});
  const auto init = a.initial_params();
  EXPECT_EQ(init, b.initial_params());
  std::vector<float> d1(init.size()), d2(init.size()), d3(init.size());
  const auto s1 = a.train(ClientId{3}, Round{2}, indices, init, d1);
  b.train(ClientId{9}, Round{2}, indices, init, d3);  // another client first: no state may leak
  const auto s2 = b.train(ClientId{3}, Round{2}, indices, init, d2);
  EXPECT_EQ(d1, d2);
  EXPECT_EQ(s1.loss, s2.loss);
  EXPECT_NE(d1, d3);  // a different client shuffles differently
  EXPECT_EQ(s1.steps, 2 * 4);  // 2 epochs x ceil(40 / 10)
  EXPECT_EQ(s1.num_samples, 40);
  EXPECT_TRUE(std::isfinite(s1.loss));
}

// Staging a client's samples on the device once (what CUDA does) must train
// the same batches as gathering each batch on the host: checked on the CPU,
// bit for bit, with scattered rows, a last short batch, momentum, and steps
// that run into a third epoch.
TEST_F(TrainerTest, StagedClientDataTrainsTheSameBits) {
  config.train.momentum = 0.5;
  config.train.batch_size = 7;
  config.train.local_steps = 15;  // 15 steps over batches of 6 per epoch: 3 epochs, the last partial
  std::vector<std::int64_t> rows;
  for (std::int64_t i = 0; i < 120; i += 3) rows.push_back(i);  // 40 scattered rows
  DeviceSpec staged;
  staged.stage_client_data = true;
  LocalTrainer a(config, data.train, data.test, {}), b(config, data.train, data.test, staged);
  const auto init = a.initial_params();
  std::vector<float> d1(init.size()), d2(init.size());
  const auto s1 = a.train(ClientId{4}, Round{3}, rows, init, d1);
  const auto s2 = b.train(ClientId{4}, Round{3}, rows, init, d2);
  EXPECT_EQ(s1.steps, 15);
  EXPECT_EQ(s1.steps, s2.steps);
  EXPECT_EQ(s1.loss, s2.loss);
  EXPECT_EQ(d1, d2);
  std::vector<float> d3(init.size());
  b.train(ClientId{5}, Round{3}, rows, init, d3);  // and the permutation is the client's own
  EXPECT_NE(d2, d3);
}

// On a GPU (skipped without one, as in CI): the same client trains to the
// same update as on the CPU up to float rounding, and twice to the same bits.
TEST_F(TrainerTest, CudaTrainsLikeTheCpuAndRepeatsItself) {
  if (cuda_device_count() == 0) GTEST_SKIP() << "no CUDA device";
  DeviceSpec gpu;
  gpu.cuda = true;
  LocalTrainer cpu(config, data.train, data.test, {}), a(config, data.train, data.test, gpu),
      b(config, data.train, data.test, gpu);
  const auto init = cpu.initial_params();
  std::vector<float> dc(init.size()), d1(init.size()), d2(init.size());
  const auto sc = cpu.train(ClientId{4}, Round{3}, indices, init, dc);
  const auto s1 = a.train(ClientId{4}, Round{3}, indices, init, d1);
  b.train(ClientId{4}, Round{3}, indices, init, d2);
  EXPECT_EQ(d1, d2);
  EXPECT_EQ(sc.steps, s1.steps);
  EXPECT_NEAR(sc.loss, s1.loss, 1e-4 * std::max(1.0, std::abs(sc.loss)));
  for (std::size_t i = 0; i < dc.size(); ++i) ASSERT_NEAR(dc[i], d1[i], 1e-4f) << "coordinate " << i;
}

TEST_F(TrainerTest, FixedStepsOverrideEpochs) {
  config.train.local_steps = 3;
  LocalTrainer t(config, data.train, data.test, {});
  const auto init = t.initial_params();
  std::vector<float> d(init.size());
  EXPECT_EQ(t.train(ClientId{0}, Round{1}, indices, init, d).steps, 3);
}

TEST_F(TrainerTest, EmptyClientReturnsAZeroDelta) {
  LocalTrainer t(config, data.train, data.test, {});
  const auto init = t.initial_params();
  std::vector<float> d(init.size(), 1.0f);
  const auto s = t.train(ClientId{0}, Round{1}, {}, init, d);
  EXPECT_EQ(s.steps, 0);
  EXPECT_EQ(d, std::vector<float>(init.size(), 0.0f));
}

TEST_F(TrainerTest, EvaluationCountsAndSplitsExactly) {
  LocalTrainer t(config, data.train, data.test, {});
  const auto init = t.initial_params();
  const auto n = data.test.size();
  const auto whole = t.evaluate(init, 0, n, 7);
  EXPECT_EQ(whole.count, n);
  EXPECT_GE(whole.correct, 0);
  EXPECT_LE(whole.correct, n);
  // Two halves split on a batch boundary add up to the whole, bit for bit.
  const std::int64_t mid = (n / 2 / 7) * 7;
  const auto lo = t.evaluate(init, 0, mid, 7), hi = t.evaluate(init, mid, n, 7);
  EXPECT_EQ(lo.loss_fixed + hi.loss_fixed, whole.loss_fixed);
  EXPECT_EQ(lo.correct + hi.correct, whole.correct);
}

// LibTorch pulls in the system BLAS; the start-up line and the results file
// name it. With OpenBLAS (what setup installs) its version and
// thread count come from OpenBLAS itself: ctest runs with OMP_NUM_THREADS=1.
TEST(Blas, NamesTheLibraryThisProcessLoaded) {
  const std::string blas = fedhpc::describe_blas();
  EXPECT_EQ(blas.find("no BLAS"), std::string::npos) << blas;
  EXPECT_NE(blas.find("blas"), std::string::npos) << blas;  // the mapped file's path
  if (blas.rfind("OpenBLAS", 0) == 0) {
    EXPECT_NE(blas.find("), 1 thread(s)"), std::string::npos) << blas;
  }
}

// The thread count reaches OpenBLAS itself, whichever of its builds is loaded
// (its pthread build does not follow LibTorch's setting).
TEST(Blas, SetsOpenBlasThreads) {
  const std::string before = fedhpc::describe_blas();
  if (before.rfind("OpenBLAS", 0) != 0) GTEST_SKIP() << "not OpenBLAS: " << before;
  fedhpc::set_blas_threads(3);
  EXPECT_NE(fedhpc::describe_blas().find("), 3 thread(s)"), std::string::npos) << fedhpc::describe_blas();
  fedhpc::set_blas_threads(1);
  EXPECT_NE(fedhpc::describe_blas().find("), 1 thread(s)"), std::string::npos) << fedhpc::describe_blas();
}
