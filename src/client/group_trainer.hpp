#pragma once
// Many small clients trained at once (runtime.client_batch). A client of 60
// samples costs what LibTorch's per-call dispatch costs, not arithmetic
// (results/BENCHMARKS.md); a GPU runs one such client at a few percent of its
// width. GroupTrainer stacks the parameters of K clients into one tensor per
// layer, so one step of all K is one forward and one backward call
// (model/net.hpp: stacked_forward).
//
// Each client keeps everything LocalTrainer::train gives it: its own batch
// order (its Rng stream), batch size, step count (step_limit included) and
// SGD state (momentum, weight decay, FedProx's proximal term). A client that
// has taken its steps stops changing while the others go on; its slots in the
// shared batch are padding with weight 0. The update is the same mathematics
// as LocalTrainer's; its bits differ (other kernels) and depend only on the
// group, which RoundRunner forms the same way on any rank count.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "client/trainer.hpp"

namespace fedhpc {

class GroupTrainer {
 public:
  // `shape_of` gives the sample shape and class count (the training set).
  GroupTrainer(const RunConfig& config, const Dataset& shape_of, DeviceSpec device);
  ~GroupTrainer();
  GroupTrainer(const GroupTrainer&) = delete;
  GroupTrainer& operator=(const GroupTrainer&) = delete;

  std::int64_t num_params() const;

  // Starts a new group.
  void clear();
  // Adds a client to the group. Its samples are copied now, so `rows` of a
  // ClientSamples view need only last this call. step_limit as in ClientHooks.
  void add(ClientId client, const Dataset& data, std::span<const std::int64_t> rows, std::int64_t step_limit = -1);
  std::size_t size() const;

  // Trains the group from `global`: client i's (local - global) goes to
  // deltas_out[i * num_params(), (i + 1) * num_params()). `mu` > 0 adds
  // FedProx's proximal gradient mu (y - x). Returns the clients' stats in the
  // order they were added; wall_seconds is the group's time shared equally.
  std::vector<TrainStats> train(Round round, std::span<const float> global, std::span<float> deltas_out,
                                double mu = 0.0);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fedhpc
