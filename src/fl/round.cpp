#include "fl/round.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/fixed_point.hpp"
#include "fl/collective.hpp"
#include "strategy/control_variates.hpp"
#include "fl/placement.hpp"
#include "metrics/timer.hpp"
#include "strategy/selector.hpp"

namespace fedhpc {

RoundRunner::RoundRunner(const RunConfig& config, Comm& comm, const Partition& partition, LocalTrainer& trainer,
                         std::int64_t test_size)
    : config_(config),
      comm_(comm),
      partition_(partition),
      trainer_(trainer),
      test_size_(test_size),
      trainers_(trainer_ranks(comm.size(), config.runtime.aggregator)),
      strategy_(*find_strategy(config.strategy.name)),
      aggregator_(strategy_, config, static_cast<std::size_t>(trainer.num_params())),
      client_controls_(static_cast<std::size_t>(trainer.num_params())),
      delta_(static_cast<std::size_t>(trainer.num_params())) {
  const std::size_t dim = delta_.size();
  if (comm.rank() == 0) server_opt_ = std::make_unique<ServerOptimizer>(strategy_.server, config.strategy, dim);
  if (strategy_.client == ClientRule::Scaffold) {
    control_.assign(dim, 0.0f);  // c = 0 at the start (Karimireddy et al. 2020, Alg. 1)
    control_delta_.resize(dim);
    correction_.resize(dim);
  }
}

bool RoundRunner::evaluates(Round round) const {
  const auto r = to_int(round);
  return r % static_cast<std::uint32_t>(config_.output.eval_every) == 0 ||
         r == static_cast<std::uint32_t>(config_.train.rounds);
}

RoundOutcome RoundRunner::run(Round round, std::vector<float>& global) {
  Stopwatch round_watch;
  const bool root = comm_.rank() == 0;

  // Replicated decisions: the same cohort, steps and plan on every rank.
  const auto cohort = select_uniform(config_.seed, round, config_.data.num_clients, config_.strategy.clients_per_round);
  std::vector<std::int64_t> samples(cohort.size()), steps(cohort.size()), cost(cohort.size());
  std::int64_t total_samples = 0;
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    samples[i] = static_cast<std::int64_t>(partition_.clients[to_int(cohort[i])].size());
    steps[i] = LocalTrainer::planned_steps(config_, strategy_.client, samples[i]);
    total_samples += samples[i];
    // Expected sample-passes: steps x batch, or samples for one full-batch step.
    cost[i] = strategy_.client == ClientRule::FullBatch
                  ? samples[i]
                  : (config_.train.local_steps > 0 ? steps[i] * config_.train.batch_size
                                                   : samples[i] * config_.train.local_epochs);
  }
  const auto owners = place_clients(cohort, cost, trainers_, config_.runtime.placement);
  aggregator_.begin_round({cohort, samples, steps, owners});

  // Local training, each update handed to the aggregator as it is made.
  Stopwatch phase;
  ClientHooks hooks;
  hooks.rule = strategy_.client;
  hooks.mu = config_.strategy.mu;
  hooks.initial_loss = strategy_.needs_initial_loss;
  const bool scaffold = strategy_.client == ClientRule::Scaffold;
  std::vector<ClientRecord> mine;
  std::vector<std::size_t> mine_member;
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    if (owners[i] != comm_.rank()) continue;
    const ClientId id = cohort[i];
    std::span<float> c_local;
    if (scaffold) {
      c_local = client_controls_.of(id);
      control_correction(c_local, control_, correction_);
      hooks.correction = correction_;
    }
    const TrainStats s = trainer_.train(id, round, partition_.clients[to_int(id)], global, delta_, hooks);
    if (scaffold) update_control_variate(c_local, control_, delta_, s.steps, config_.train.lr, control_delta_);
    aggregator_.add(i, delta_, control_delta_, s.initial_loss);
    mine.push_back({to_int(round), to_int(id), comm_.rank(), s.num_samples, s.loss, s.steps, s.wall_seconds, 0.0});
    mine_member.push_back(i);
  }
  const double train_seconds = phase.seconds();

  // Waiting for the slowest trainer is timed apart from the collective itself,
  // so load imbalance does not masquerade as communication cost.
  phase.restart();
  comm_.barrier();
  const double wait_seconds = phase.seconds();

  // The aggregation collectives, then the server step and the broadcast.
  phase.restart();
  AggregateResult agg = aggregator_.finish(comm_);
  double update_norm = 0.0;
  if (root && total_samples > 0) {
    for (double v : agg.model_delta) update_norm += v * v;
    update_norm = std::sqrt(update_norm);
    server_opt_->step(global, agg.model_delta);
    for (std::size_t j = 0; j < control_.size(); ++j)
      control_[j] = static_cast<float>(static_cast<double>(control_[j]) + agg.control_delta[j]);
  }
  broadcast_model(comm_, global);
  if (scaffold) broadcast_model(comm_, control_);
  const double reduce_seconds = phase.seconds();
  for (std::size_t r = 0; r < mine.size(); ++r) mine[r].weight = agg.weights[mine_member[r]];

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
      if (total_samples > 0)
        loss += static_cast<double>(c.num_samples) / static_cast<double>(total_samples) * c.loss;
    rec.round = to_int(round);
    rec.train_loss = loss;
    rec.clients_selected = static_cast<std::uint32_t>(cohort.size());
    rec.clients_completed = static_cast<std::uint32_t>(out.clients.size());
    rec.clients_dropped = rec.clients_selected - rec.clients_completed;
    rec.bytes_reduced = agg.bytes * static_cast<std::uint64_t>(comm_.size());
    rec.server_lr = server_opt_->learning_rate();
    rec.update_norm = update_norm;
    rec.clients_aggregated = agg.aggregated;
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
