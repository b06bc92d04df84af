#include "fl/round.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/fixed_point.hpp"
#include "fl/collective.hpp"
#include "fl/placement.hpp"
#include "metrics/timer.hpp"
#include "strategy/selector.hpp"
#include "strategy/server_opt.hpp"

namespace fedhpc {

RoundRunner::RoundRunner(const RunConfig& config, Comm& comm, const Partition& partition, LocalTrainer& trainer,
                         std::int64_t test_size)
    : config_(config),
      comm_(comm),
      partition_(partition),
      trainer_(trainer),
      test_size_(test_size),
      trainers_(trainer_ranks(comm.size(), config.runtime.aggregator)),
      acc_(static_cast<std::size_t>(trainer.num_params()), config.runtime.reduce),
      delta_(static_cast<std::size_t>(trainer.num_params())) {}

bool RoundRunner::evaluates(Round round) const {
  const auto r = to_int(round);
  return r % static_cast<std::uint32_t>(config_.output.eval_every) == 0 ||
         r == static_cast<std::uint32_t>(config_.train.rounds);
}

RoundOutcome RoundRunner::run(Round round, std::vector<float>& global) {
  Stopwatch round_watch;
  const bool root = comm_.rank() == 0;

  // Replicated decisions: the same cohort, weights and plan on every rank.
  const auto cohort = select_uniform(config_.seed, round, config_.data.num_clients, config_.strategy.clients_per_round);
  std::vector<std::int64_t> samples(cohort.size());
  double total_weight = 0.0;
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    samples[i] = static_cast<std::int64_t>(partition_.clients[to_int(cohort[i])].size());
    total_weight += static_cast<double>(samples[i]);
  }
  // Expected sample-passes: fixed steps x batch, or epochs x samples.
  std::vector<std::int64_t> cost(samples);
  for (auto& c : cost)
    if (c > 0)  // an empty client trains nothing
      c = config_.train.local_steps > 0 ? std::int64_t{config_.train.local_steps} * config_.train.batch_size
                                        : c * config_.train.local_epochs;
  const auto owners = place_clients(cohort, cost, trainers_, config_.runtime.placement);

  // Local training, streamed into the accumulator one client at a time.
  Stopwatch phase;
  acc_.reset();
  std::vector<ClientRecord> mine;
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    if (owners[i] != comm_.rank()) continue;
    const ClientId id = cohort[i];
    const TrainStats s = trainer_.train(id, round, partition_.clients[to_int(id)], global, delta_);
    acc_.add(delta_, static_cast<double>(samples[i]), total_weight, to_int(id));
    mine.push_back({to_int(round), to_int(id), comm_.rank(), s.num_samples, s.loss, s.steps, s.wall_seconds});
  }
  const double train_seconds = phase.seconds();

  // Waiting for the slowest trainer is timed apart from the collective itself,
  // so load imbalance does not masquerade as communication cost.
  phase.restart();
  comm_.barrier();
  const double wait_seconds = phase.seconds();

  // The one aggregation collective, then the server step and the broadcast.
  phase.restart();
  const std::vector<double> mean = reduce_weighted_mean(comm_, acc_);
  if (root && total_weight > 0.0) apply_server_sgd(global, mean, config_.strategy.server_lr);
  broadcast_model(comm_, global);
  const double reduce_seconds = phase.seconds();

  // Evaluation, sharded over all ranks in whole batches; sums are integers.
  phase.restart();
  RoundRecord rec;
  rec.test_loss = rec.test_accuracy = std::numeric_limits<double>::quiet_NaN();
  if (evaluates(round)) {
    const auto [begin, end] = eval_shard(test_size_, config_.runtime.eval_batch_size, comm_.rank(), comm_.size());
    const EvalStats e = trainer_.evaluate(global, begin, end, config_.runtime.eval_batch_size);
    const std::int64_t local[3] = {e.loss_fixed, e.correct, e.count};
    std::int64_t total[3] = {0, 0, 0};
    comm_.reduce_sum(local, root ? std::span<std::int64_t>(total) : std::span<std::int64_t>(), 0);
    if (root && total[2] > 0) {
      rec.test_loss = from_fixed(total[0], kLossFixedBits) / static_cast<double>(total[2]);
      rec.test_accuracy = static_cast<double>(total[1]) / static_cast<double>(total[2]);
    }
  }
  const double eval_seconds = phase.seconds();

  // Client records and phase maxima to rank 0.
  auto bytes = comm_.gatherv(std::as_bytes(std::span(mine)), 0);
  const double phases[4] = {train_seconds, reduce_seconds, eval_seconds, wait_seconds};
  double phase_max[4] = {0, 0, 0, 0};
  comm_.reduce_max(phases, root ? std::span<double>(phase_max) : std::span<double>(), 0);

  RoundOutcome out;
  if (root) {
    out.clients.resize(bytes.size() / sizeof(ClientRecord));
    std::memcpy(out.clients.data(), bytes.data(), bytes.size());
    std::sort(out.clients.begin(), out.clients.end(),
              [](const ClientRecord& a, const ClientRecord& b) { return a.client < b.client; });
    // Train loss in cohort order: the same double for any rank count.
    double loss = 0.0;
    for (const auto& c : out.clients)
      if (total_weight > 0.0) loss += static_cast<double>(c.num_samples) / total_weight * c.loss;
    rec.round = to_int(round);
    rec.train_loss = loss;
    rec.clients_selected = static_cast<std::uint32_t>(cohort.size());
    rec.clients_completed = static_cast<std::uint32_t>(out.clients.size());
    rec.clients_dropped = rec.clients_selected - rec.clients_completed;
    rec.bytes_reduced = static_cast<std::uint64_t>(acc_.reduce_bytes()) * static_cast<std::uint64_t>(comm_.size());
    rec.train_seconds = phase_max[0];
    rec.reduce_seconds = phase_max[1];
    rec.eval_seconds = phase_max[2];
    rec.wait_seconds = phase_max[3];
    rec.wall_seconds = round_watch.seconds();
  }
  out.record = rec;
  return out;
}

}  // namespace fedhpc
