#pragma once
// Local training of virtual clients. One LocalTrainer per rank owns one model
// replica and reuses it for every client it trains: load the global flat
// vector, run the local SGD, write the delta, move on. LibTorch stays behind
// this header (pimpl) so the rest of the code compiles in seconds.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "config/schema.hpp"
#include "core/types.hpp"
#include "data/dataset.hpp"

namespace fedhpc {

struct TrainStats {
  std::int64_t num_samples = 0;
  double loss = 0.0;      // mean training loss over every sample seen
  std::int64_t steps = 0;  // minibatch SGD steps taken
  double wall_seconds = 0.0;
};

struct EvalStats {
  std::int64_t loss_fixed = 0;  // sum of per-sample losses, fixed point (kLossFixedBits)
  std::int64_t correct = 0;
  std::int64_t count = 0;
};

struct DeviceSpec {
  bool cuda = false;
  int index = 0;
  std::string describe() const { return cuda ? "cuda:" + std::to_string(index) : "cpu"; }
};

class LocalTrainer {
 public:
  LocalTrainer(const RunConfig& config, const Dataset& train, const Dataset& test, DeviceSpec device);
  ~LocalTrainer();
  LocalTrainer(const LocalTrainer&) = delete;
  LocalTrainer& operator=(const LocalTrainer&) = delete;

  std::int64_t num_params() const;

  // The model's initial weights, drawn from (seed, Stream::Init) only.
  std::vector<float> initial_params();

  // Trains one client from `global` and writes (local - global) to delta_out.
  // Batches are shuffled with a permutation from (seed, Train, round, client).
  TrainStats train(ClientId client, Round round, std::span<const std::int64_t> indices,
                   std::span<const float> global, std::span<float> delta_out);

  // Evaluates test samples [begin, end) in batches of batch_size. Callers keep
  // begin on a batch boundary so every batch is the same on any rank count.
  EvalStats evaluate(std::span<const float> params, std::int64_t begin, std::int64_t end, int batch_size);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Deterministic kernels and a fixed thread count: same inputs, same bits.
void configure_torch(int threads);
int cuda_device_count();
std::string torch_version();

}  // namespace fedhpc
