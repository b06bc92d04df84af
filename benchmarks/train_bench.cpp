// Local training through fedhpc's trainer against a bare LibTorch loop on the
// same tensors, in one run. One client of -s samples (random
// images 1x28x28 and labels), E=1, for each model and batch size:
//   bare:    make_net, one SGD optimizer, per step index_select of a batch from
//            the whole-data tensors, forward, cross-entropy, backward, step
//   fedhpc:  LocalTrainer::train (load the global vector, fresh optimizer,
//            our own shuffle, batch staging, loss bookkeeping, the delta)
// Each repeat times bare then fedhpc back to back; printed: samples/s of each
// (medians) and the median ratio fedhpc/bare (target >= 0.95).
//   build/benchmarks/train_bench [-m cnn_mcmahan,mlp_2nn] [-B 10,64] [-s 600] [-t 1] [-w 1] [-n 7]
// With -c C it also times the bare loop over C clients of -s samples each
// (a fresh optimizer per client, the model reset to the same weights): the
// "sum of the bare training times" of the overhead benchmark, printed as a BARE_ROUND line.
#include <vector>

#include <fmt/format.h>
#include <torch/torch.h>

#include "client/trainer.hpp"
#include "common.hpp"
#include "comm/mpi_session.hpp"
#include "core/rng.hpp"
#include "model/net.hpp"

using namespace fedhpc;

int main(int argc, char** argv) {
  MpiSession mpi(&argc, &argv);
  auto world = mpi.world();
  Comm& comm = *world;
  bench::Flags flags(argc, argv);
  const auto models = bench::split_list(flags.text("-m", "cnn_mcmahan,mlp_2nn", "models"));
  const auto batches = bench::split_list(flags.text("-B", "10,64", "batch sizes"));
  const int samples = flags.integer("-s", 600, "samples of the client (one epoch)");
  const int threads = flags.integer("-t", 1, "LibTorch threads");
  const int clients = flags.integer("-c", 0, "also time C bare clients of -s samples in a row (0: no)");
  const bench::Repeats reps = bench::read_repeats(flags, 7, "repeats");
  flags.finish("train_bench", comm.rank() == 0);
  configure_torch(threads);

  const Dataset data = random_dataset(samples, {1, 28, 28}, 10, 11);
  const Dataset test = random_dataset(10, {1, 28, 28}, 10, 12);
  std::vector<std::int64_t> indices(static_cast<std::size_t>(samples));
  for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<std::int64_t>(i);
  auto X = torch::from_blob(const_cast<float*>(data.features.data()), {samples, 1, 28, 28}, torch::kFloat);
  auto Y = torch::from_blob(const_cast<std::int64_t*>(data.labels.data()), {samples}, torch::kLong);

  fmt::print("# train_bench: 1 client of {} samples, E=1, {} thread(s); samples/s, ratio = fedhpc / bare (median "
             "over {} interleaved repeats)\n",
             samples, threads, reps.measured);
  fmt::print("{:<12} {:>4} {:>12} {:>12} {:>8}\n", "model", "B", "bare", "fedhpc", "ratio");
  for (const auto& model : models) {
    for (const auto& b : batches) {
      RunConfig cfg;
      cfg.model.name = model;
      cfg.train.batch_size = std::stoi(b);
      cfg.train.local_epochs = 1;
      cfg.train.lr = 0.01;
      cfg.train.momentum = 0.0;
      LocalTrainer trainer(cfg, data, test, DeviceSpec{});
      const std::vector<float> global = trainer.initial_params();
      std::vector<float> delta(global.size());

      auto net = make_net(model, 784, 10);
      load_flat(*net, global);
      net->train();
      const std::int64_t bs = cfg.train.batch_size;
      auto bare = [&] {
        torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(cfg.train.lr));
        auto perm = torch::randperm(samples, torch::kLong);
        for (std::int64_t lo = 0; lo < samples; lo += bs) {
          auto idx = perm.slice(0, lo, std::min<std::int64_t>(samples, lo + bs));
          opt.zero_grad();
          auto loss = torch::nn::functional::cross_entropy(net->forward(X.index_select(0, idx)), Y.index_select(0, idx));
          loss.backward();
          opt.step();
        }
      };
      std::uint32_t round = 0;
      auto ours = [&] { trainer.train(ClientId{0}, Round{++round}, indices, global, delta); };
      const auto r = bench::interleaved(comm, reps, bare, {ours});
      fmt::print("{:<12} {:>4} {:>12.0f} {:>12.0f} {:>8.3f}\n", model, bs, samples / r.baseline_seconds,
                 samples / r.seconds[0], r.ratio[0]);
      if (clients > 0) {
        const double t = bench::median_seconds(comm, reps, [&] {
          for (int c = 0; c < clients; ++c) {
            load_flat(*net, global);
            bare();
          }
        });
        fmt::print("BARE_ROUND model={} batch={} clients={} samples={} seconds={:.6f}\n", model, bs, clients, samples, t);
      }
    }
  }
  return 0;
}
