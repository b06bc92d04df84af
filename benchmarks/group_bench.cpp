// Many small clients at once (runtime.client_batch): client updates
// per second of GroupTrainer (groups of K clients, one stacked forward and
// backward per step) against LocalTrainer one client at a time, on the same
// clients in the same run. C clients of -s samples each (random data; images
// for the CNNs, -F features otherwise), E=1, batch -B, plain SGD.
// Each repeat trains all C clients one at a time, then in groups of each K;
// printed: client updates/s (medians), the median ratio grouped/one-at-a-time,
// and the largest |difference| between a grouped and a one-at-a-time update
// (the same mathematics through other kernels: rounding only) with the number
// of clients off by more than 1e-6 (in a CNN, rounding can flip a max-pool's
// choice between near-equal values, and that client's update then drifts).
//   build/benchmarks/group_bench [-m logreg,mlp_2nn,cnn_simple] [-K 8,32,128] [-C 128] [-s 60] [-B 10]
//                                [-F 784] [-d cpu|cuda] [-t 1] [-w 1] [-n 5]
#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "client/group_trainer.hpp"
#include "client/trainer.hpp"
#include "common.hpp"
#include "comm/mpi_session.hpp"
#include "core/rng.hpp"
#include "model/catalog.hpp"

using namespace fedhpc;

int main(int argc, char** argv) {
  MpiSession mpi(&argc, &argv);
  auto world = mpi.world();
  Comm& comm = *world;
  bench::Flags flags(argc, argv);
  const auto models = bench::split_list(flags.text("-m", "logreg,mlp_2nn,cnn_simple", "models"));
  const auto group_sizes = bench::split_list(flags.text("-K", "8,32,128", "group sizes"));
  const int clients = flags.integer("-C", 128, "clients trained per repeat");
  const int samples = flags.integer("-s", 60, "samples per client");
  const int batch = flags.integer("-B", 10, "batch size");
  const int features = flags.integer("-F", 784, "features per sample of the non-convolutional models");
  const std::string device_name = flags.text("-d", "cpu", "device: cpu or cuda");
  const int threads = flags.integer("-t", 1, "LibTorch threads");
  const bench::Repeats reps = bench::read_repeats(flags, 5, "repeats");
  flags.finish("group_bench", comm.rank() == 0);
  configure_torch(threads);
  DeviceSpec device;
  device.cuda = device_name == "cuda";
  if (device.cuda && cuda_device_count() == 0) {
    fmt::print(stderr, "group_bench: -d cuda, but LibTorch sees no CUDA device\n");
    return 2;
  }

  fmt::print("# group_bench: {} clients of {} samples, E=1, B={}, on {} with {} thread(s); client updates/s, ratio = "
             "grouped / one at a time (median over {} interleaved repeats)\n",
             clients, samples, batch, device.describe(), threads, reps.measured);
  fmt::print("{:<12} {:>5} {:>14} {:>14} {:>8} {:>12} {:>10}\n", "model", "K", "one-at-a-time", "grouped", "ratio",
             "max |diff|", "> 1e-6");
  for (const auto& model : models) {
    const ModelInfo* info = find_model(model);
    if (info == nullptr || !info->groupable) {
      fmt::print(stderr, "group_bench: '{}' is not a model with a grouped form\n", model);
      return 2;
    }
    const std::vector<std::int64_t> shape =
        info->input == ModelInput::Images ? std::vector<std::int64_t>{1, 28, 28} : std::vector<std::int64_t>{features};
    const Dataset data = random_dataset(static_cast<std::int64_t>(clients) * samples, shape, 10, 11);
    const Dataset test = random_dataset(10, shape, 10, 12);
    RunConfig cfg;
    cfg.model.name = model;
    cfg.train.batch_size = batch;
    cfg.train.local_epochs = 1;
    cfg.train.lr = 0.05;
    cfg.train.momentum = 0.0;
    LocalTrainer solo(cfg, data, test, device);
    GroupTrainer grouped(cfg, data, device);
    const std::vector<float> global = solo.initial_params();
    const auto d = global.size();
    std::vector<std::vector<std::int64_t>> rows(static_cast<std::size_t>(clients));
    for (int c = 0; c < clients; ++c)
      for (int i = 0; i < samples; ++i) rows[static_cast<std::size_t>(c)].push_back(std::int64_t{c} * samples + i);
    std::vector<float> solo_deltas(static_cast<std::size_t>(clients) * d), group_deltas(solo_deltas.size());

    const Round round{1};
    auto one_at_a_time = [&] {
      for (int c = 0; c < clients; ++c)
        solo.train(ClientId{static_cast<std::uint32_t>(c)}, round, rows[static_cast<std::size_t>(c)], global,
                   std::span<float>(solo_deltas).subspan(static_cast<std::size_t>(c) * d, d));
    };
    std::vector<std::function<void()>> candidates;
    for (const auto& k_text : group_sizes) {
      const int k = std::stoi(k_text);
      candidates.emplace_back([&, k] {
        for (int first = 0; first < clients; first += k) {
          grouped.clear();
          const int last = std::min(clients, first + k);
          for (int c = first; c < last; ++c)
            grouped.add(ClientId{static_cast<std::uint32_t>(c)}, data, rows[static_cast<std::size_t>(c)]);
          grouped.train(round, global, std::span<float>(group_deltas).subspan(static_cast<std::size_t>(first) * d));
        }
      });
    }
    const auto r = bench::interleaved(comm, reps, one_at_a_time, candidates);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      candidates[i]();  // this K's updates, to compare with the one-at-a-time ones
      one_at_a_time();
      float diff = 0.0f;
      int apart = 0;  // clients whose update differs by more than 1e-6
      for (std::size_t c = 0; c < static_cast<std::size_t>(clients); ++c) {
        float worst = 0.0f;
        for (std::size_t j = c * d; j < (c + 1) * d; ++j) worst = std::max(worst, std::abs(solo_deltas[j] - group_deltas[j]));
        diff = std::max(diff, worst);
        apart += worst > 1e-6f;
      }
      fmt::print("{:<12} {:>5} {:>14.0f} {:>14.0f} {:>8.2f} {:>12.2e} {:>10}\n", model, group_sizes[i],
                 clients / r.baseline_seconds, clients / r.seconds[i], r.ratio[i], diff, apart);
    }
  }
  return 0;
}
