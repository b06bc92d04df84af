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
#include "core/local_terms.hpp"
#include "core/types.hpp"
#include "data/dataset.hpp"

namespace fedhpc {

struct TrainStats {
  std::int64_t num_samples = 0;
  double loss = 0.0;      // mean training loss over every sample seen
  std::int64_t steps = 0;  // minibatch SGD steps taken
  double wall_seconds = 0.0;
  double initial_loss = 0.0;  // F_k(x) over the client's data, when terms.initial_loss
};

// One client's training: the strategy's local terms (core/local_terms.hpp)
// and how much of the planned work it gets to do.
struct ClientHooks {
  LocalTerms terms;
  // >= 0: stop after this many steps, the work that fit before a deadline
  // (scenario.straggler_policy: partial, FedProx's variable local work).
  std::int64_t step_limit = -1;
};

struct EvalStats {
  std::int64_t loss_fixed = 0;  // sum of per-sample losses, fixed point (kLossFixedBits)
  std::int64_t correct = 0;
  std::int64_t count = 0;
  // Batches whose loss is NaN, or infinite or beyond the fixed point's
  // range (a diverged model): kept out of loss_fixed, so the mean loss is
  // recorded as NaN or inf, never as a wrapped or zero number.
  std::int64_t nan_batches = 0;
  std::int64_t overflow_batches = 0;
  // With per_sample: 1 for each evaluated sample the model classified right.
  std::vector<std::uint8_t> hits;
};

struct DeviceSpec {
  bool cuda = false;
  int index = 0;
  // Copy each client's samples to the device once and take every batch from
  // there (one transfer per client and one small permutation per epoch, not
  // one per batch). Always on for CUDA; on the CPU it only lets tests check
  // that staged and per-batch training give the same bits.
  bool stage_client_data = false;
  std::string describe() const { return cuda ? "cuda:" + std::to_string(index) : "cpu"; }
};

class LocalTrainer {
 public:
  LocalTrainer(const RunConfig& config, const Dataset& train, const Dataset& test, DeviceSpec device);
  ~LocalTrainer();
  LocalTrainer(const LocalTrainer&) = delete;
  LocalTrainer& operator=(const LocalTrainer&) = delete;

  std::int64_t num_params() const;
  // Of num_params(), the values in buffers (the end of the flat vector).
  std::int64_t num_buffer_values() const;

  // The model's initial weights, drawn from (seed, Stream::Init) only.
  std::vector<float> initial_params();

  // Trains one client from `global` and writes (local - global) to delta_out.
  // Batches are shuffled with a permutation from (seed, Train, round, client).
  // full_batch (FedSGD): one step on the gradient of the mean loss over all
  // the client's samples, accumulated over chunks of eval_batch_size samples.
  TrainStats train(ClientId client, Round round, std::span<const std::int64_t> indices,
                   std::span<const float> global, std::span<float> delta_out, const ClientHooks& hooks = {});
  // The same on rows of another data set: a client whose samples were
  // generated on demand (data.synthetic.on_demand).
  TrainStats train(ClientId client, Round round, const Dataset& data, std::span<const std::int64_t> indices,
                   std::span<const float> global, std::span<float> delta_out, const ClientHooks& hooks = {});

  // The number of optimizer steps train() takes for a client of n samples,
  // known before training (a normalized average's step counts, placement cost).
  static std::int64_t planned_steps(const RunConfig& config, bool full_batch, std::int64_t num_samples);

  // A minibatch client's schedule, shared with GroupTrainer: batches of
  // min(batch_size, n) samples, a new permutation every batches_per_epoch
  // steps, planned_steps cut to step_limit when that is >= 0. All 0 for n = 0.
  struct BatchSchedule {
    std::int64_t batch_size = 0;
    std::int64_t batches_per_epoch = 0;
    std::int64_t steps = 0;
  };
  static BatchSchedule batch_schedule(const RunConfig& config, bool full_batch, std::int64_t num_samples,
                                      std::int64_t step_limit);

  // Evaluates samples [begin, end) of the test set (or, with on_train, of the
  // training set) in batches of batch_size. Callers keep begin on a batch
  // boundary so every batch is the same on any rank count.
  EvalStats evaluate(std::span<const float> params, std::int64_t begin, std::int64_t end, int batch_size,
                     bool on_train = false, bool per_sample = false);
  // The same on samples [begin, end) of another data set of the same shape
  // (the backdoor's triggered test set).
  EvalStats evaluate_on(const Dataset& data, std::span<const float> params, std::int64_t begin, std::int64_t end,
                        int batch_size, bool per_sample = false);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Deterministic kernels and a fixed thread count: same inputs, same bits.
void configure_torch(int threads);
int cuda_device_count();
std::string torch_version();

// LibTorch's CPU vector kernels in use: "default", "avx2" or "avx512".
std::string aten_kernels();
// Asks LibTorch for a kernel family (ATEN_CPU_CAPABILITY); takes effect only
// before its first CPU operation, so call it first (aten_kernels() tells).
void request_aten_kernels(const std::string& family);

}  // namespace fedhpc
