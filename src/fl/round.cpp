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

namespace fedhpc {

RoundRunner::RoundRunner(const RunConfig& config, Comm& comm, const Partition& partition, ClientSamples& samples,
                         LocalTrainer& trainer, std::int64_t test_size, std::int64_t train_size,
                         const Scenario& scenario, const CostModel& cost, GroupTrainer* groups)
    : config_(config),
      comm_(comm),
      partition_(partition),
      samples_(samples),
      trainer_(trainer),
      groups_(config.runtime.client_batch > 1 ? groups : nullptr),
      test_size_(test_size),
      train_size_(train_size),
      scenario_(scenario),
      cost_(cost),
      deadline_(deadline_rule(config.scenario, config.strategy.clients_per_round)),
      trainers_(trainer_ranks(comm.size(), config.runtime.aggregator)),
      strategy_(*find_strategy(config.strategy.name)),
      aggregator_(strategy_, config, static_cast<std::size_t>(trainer.num_params())),
      rule_(strategy_.client->make(config, static_cast<std::size_t>(trainer.num_params()))),
      delta_(static_cast<std::size_t>(trainer.num_params())),
      upload_(rule_->upload_size()) {
  if (comm.rank() == 0) server_ = strategy_.server->make(config.strategy, delta_.size());
}

bool RoundRunner::evaluates(Round round) const {
  const auto r = to_int(round);
  return r % static_cast<std::uint32_t>(config_.output.eval_every) == 0 ||
         r == static_cast<std::uint32_t>(config_.train.rounds);
}

// The cohort: clients_per_round (times the over-commitment) drawn from the
// clients online at the round's simulated start. When nobody is online the
// server idles until someone is.
std::vector<ClientId> RoundRunner::select(Round round) {
  const ScenarioConfig& sc = config_.scenario;
  const int wanted = static_cast<int>(std::ceil(sc.overcommit * config_.strategy.clients_per_round - 1e-9));
  if (sc.availability == AvailabilityPattern::Always)
    return select_uniform(config_.seed, round, config_.data.num_clients, std::min(wanted, config_.data.num_clients));
  auto pool = scenario_.online_pool(sim_time_);
  if (pool.empty()) {
    sim_time_ = scenario_.next_online(sim_time_);
    pool = scenario_.online_pool(sim_time_);
  }
  const int count = std::min(wanted, static_cast<int>(pool.size()));
  return select_from(config_.seed, round, std::move(pool), count);
}

RoundOutcome RoundRunner::run(Round round, std::vector<float>& global) {
  Stopwatch round_watch;
  const bool root = comm_.rank() == 0;

  // Replicated decisions: the same cohort, outcomes, steps and plan on every
  // rank, from (seed, round, client) and the virtual clock alone.
  const auto cohort = select(round);
  std::vector<ClientWork> work(cohort.size());
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    const auto n = partition_.size_of(to_int(cohort[i]));
    work[i].steps = LocalTrainer::planned_steps(config_, strategy_.client->full_batch, n);
    // Sample passes: steps x batch, or samples x epochs, or one full pass.
    work[i].sample_passes = strategy_.client->full_batch
                                ? n
                                : (config_.train.local_steps > 0 ? work[i].steps * config_.train.batch_size
                                                                 : n * config_.train.local_epochs);
  }
  const RoundTiming timing = resolve_round(scenario_.conditions(round, cohort), work, cost_, deadline_);

  // The aggregated members: survivors with the steps they get to do. A rule
  // undefined for so few (Krum, trimming) aggregates nobody this round.
  const auto survivors = static_cast<std::size_t>(std::count_if(
      timing.clients.begin(), timing.clients.end(), [](const ClientOutcome& o) { return o.aggregated(); }));
  const bool aggregating = !check_feasible(*strategy_.aggregation, survivors, config_.strategy);
  std::vector<std::size_t> member_of;  // member -> cohort position
  std::vector<ClientId> members;
  std::vector<std::int64_t> samples, steps, cost;
  std::int64_t total_samples = 0;
  for (std::size_t i = 0; aggregating && i < cohort.size(); ++i) {
    if (!timing.clients[i].aggregated()) continue;
    member_of.push_back(i);
    members.push_back(cohort[i]);
    samples.push_back(partition_.size_of(to_int(cohort[i])));
    steps.push_back(timing.clients[i].steps_done);
    cost.push_back(work[i].steps > 0 ? work[i].sample_passes * timing.clients[i].steps_done / work[i].steps : 0);
    total_samples += samples.back();
  }
  // Grouped training places whole groups, formed from the member list alone.
  const auto bounds = groups_ ? group_bounds(members.size(), config_.runtime.client_batch) : std::vector<std::size_t>{};
  const auto owners = groups_ ? place_groups(bounds, members, cost, trainers_, config_.runtime.placement)
                              : place_clients(members, cost, trainers_, config_.runtime.placement);

  // Local training, each update handed to the aggregator as it is made.
  Stopwatch phase;
  std::vector<ClientRecord> mine;
  std::vector<std::size_t> mine_member;
  if (aggregating) aggregator_.begin_round({members, samples, steps, owners});
  auto step_limit = [&](std::size_t k) {
    return timing.clients[member_of[k]].status == ClientStatus::Partial ? steps[k] : std::int64_t{-1};
  };
  // A trained member's update goes to the aggregator, its record to `mine`.
  auto deliver = [&](std::size_t k, std::span<const float> delta, const TrainStats& s) {
    aggregator_.add(k, delta, upload_, s.initial_loss);
    ClientRecord rec;
    rec.round = to_int(round);
    rec.client = to_int(members[k]);
    rec.rank = comm_.rank();
    rec.num_samples = s.num_samples;
    rec.loss = s.loss;
    rec.steps = s.steps;
    rec.wall_seconds = s.wall_seconds;
    mine.push_back(rec);
    mine_member.push_back(k);
  };
  if (groups_ == nullptr) {
    for (std::size_t k = 0; k < members.size(); ++k) {
      if (owners[k] != comm_.rank()) continue;
      const ClientId id = members[k];
      ClientHooks hooks;
      hooks.terms = rule_->before(id);
      hooks.terms.initial_loss = strategy_.aggregation->needs_initial_loss;
      hooks.step_limit = step_limit(k);
      const auto client = samples_.of(to_int(id));
      const TrainStats s = trainer_.train(id, round, client.data, client.rows, global, delta_, hooks);
      rule_->after(id, delta_, s.steps, upload_);
      deliver(k, delta_, s);
    }
  } else {
    const std::size_t dim = delta_.size();
    const double mu = strategy_.client->group_anchor(config_.strategy);
    for (std::size_t g = 0; g + 1 < bounds.size(); ++g) {
      if (owners[bounds[g]] != comm_.rank()) continue;
      groups_->clear();
      for (std::size_t k = bounds[g]; k < bounds[g + 1]; ++k) {
        const auto client = samples_.of(to_int(members[k]));
        groups_->add(members[k], client.data, client.rows, step_limit(k));
      }
      group_deltas_.resize(groups_->size() * dim);
      const auto stats = groups_->train(round, global, group_deltas_, mu);
      for (std::size_t j = 0; j < stats.size(); ++j)
        deliver(bounds[g] + j, std::span<const float>(group_deltas_).subspan(j * dim, dim), stats[j]);
    }
  }
  const double train_seconds = phase.seconds();

  // Waiting for the slowest trainer is timed apart from the collective itself,
  // so load imbalance does not masquerade as communication cost.
  phase.restart();
  comm_.barrier();
  const double wait_seconds = phase.seconds();

  // The aggregation collectives, then the server step and the broadcast. A
  // round without survivors leaves the model and the server state alone.
  phase.restart();
  AggregateResult agg;
  double update_norm = 0.0, reduce_seconds = 0.0, server_seconds = 0.0, broadcast_seconds = 0.0;
  if (aggregating) {
    agg = aggregator_.finish(comm_, root ? server_->center() : std::span<const double>{});
    reduce_seconds = phase.seconds();
    phase.restart();
    if (root && total_samples > 0) {
      for (double v : agg.model_delta) update_norm += v * v;
      update_norm = std::sqrt(update_norm);
      server_->step(global, agg.model_delta,
                    RoundFacts{agg.aggregated, static_cast<std::size_t>(config_.data.num_clients)});
      if (!agg.upload_sum.empty()) rule_->apply_upload(agg.upload_sum);
    }
    server_seconds = phase.seconds();
    phase.restart();
    broadcast_model(comm_, global);
    if (const auto shared = rule_->shared(); !shared.empty()) broadcast_model(comm_, shared);
    broadcast_seconds = phase.seconds();
  }
  for (std::size_t r = 0; r < mine.size(); ++r) mine[r].weight = agg.weights[mine_member[r]];

  // Evaluation, sharded over all ranks in whole batches; sums are integers.
  phase.restart();
  RoundRecord rec;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  rec.test_loss = rec.test_accuracy = rec.global_train_loss = rec.global_train_accuracy = kNaN;
  // Mean loss and accuracy of the global model over a dataset of n samples.
  auto evaluate = [&](std::int64_t n, bool on_train, double& loss, double& accuracy) {
    const auto [begin, end] = eval_shard(n, config_.runtime.eval_batch_size, comm_.rank(), comm_.size());
    const EvalStats e = trainer_.evaluate(global, begin, end, config_.runtime.eval_batch_size, on_train);
    const std::int64_t local[3] = {e.loss_fixed, e.correct, e.count};
    std::int64_t total[3] = {0, 0, 0};
    comm_.reduce_sum(local, root ? std::span<std::int64_t>(total) : std::span<std::int64_t>(), 0);
    if (root && total[2] > 0) {
      loss = from_fixed(total[0], kLossFixedBits) / static_cast<double>(total[2]);
      accuracy = static_cast<double>(total[1]) / static_cast<double>(total[2]);
    }
  };
  if (evaluates(round)) {
    evaluate(test_size_, false, rec.test_loss, rec.test_accuracy);
    if (config_.output.eval_train) evaluate(train_size_, true, rec.global_train_loss, rec.global_train_accuracy);
  }
  const double eval_seconds = phase.seconds();

  // Client records and this rank's phase times to rank 0.
  auto bytes = comm_.gatherv(std::as_bytes(std::span(mine)), 0);
  TimingRecord t;
  t.round = to_int(round);
  t.rank = comm_.rank();
  t.train_seconds = train_seconds;
  t.wait_seconds = wait_seconds;
  t.reduce_seconds = reduce_seconds;
  t.server_seconds = server_seconds;
  t.broadcast_seconds = broadcast_seconds;
  t.eval_seconds = eval_seconds;
  t.clients_trained = static_cast<std::uint32_t>(mine.size());
  t.round_seconds = round_watch.seconds();
  auto timing_bytes = comm_.gatherv(std::as_bytes(std::span(&t, 1)), 0);
  sim_time_ += timing.seconds;

  RoundOutcome out;
  if (root) {
    out.timings.resize(timing_bytes.size() / sizeof(TimingRecord));
    std::memcpy(out.timings.data(), timing_bytes.data(), timing_bytes.size());
    auto phase_max = [&](double TimingRecord::*field) {
      double m = 0.0;
      for (const auto& x : out.timings) m = std::max(m, x.*field);
      return m;
    };
    std::vector<ClientRecord> trained(bytes.size() / sizeof(ClientRecord));
    std::memcpy(trained.data(), bytes.data(), bytes.size());
    // One row per cohort member, in id order: the trained ones as their
    // ranks reported them, the rest from the virtual clock alone.
    out.clients.resize(cohort.size());
    for (std::size_t i = 0; i < cohort.size(); ++i) {
      ClientRecord& c = out.clients[i];
      c.round = to_int(round);
      c.client = to_int(cohort[i]);
      c.rank = -1;
      c.num_samples = partition_.size_of(to_int(cohort[i]));
      c.loss = std::numeric_limits<double>::quiet_NaN();
      c.steps = timing.clients[i].steps_done;
    }
    for (const auto& r : trained) {
      const auto pos = static_cast<std::size_t>(
          std::lower_bound(cohort.begin(), cohort.end(), ClientId{r.client}) - cohort.begin());
      out.clients[pos] = r;
    }
    std::uint32_t count[kClientStatusCount] = {};
    for (std::size_t i = 0; i < cohort.size(); ++i) {
      const ClientOutcome& o = timing.clients[i];
      ClientRecord& c = out.clients[i];
      c.status = static_cast<std::int32_t>(o.status);
      c.sim_download_seconds = o.download_seconds;
      c.sim_compute_seconds = o.compute_seconds;
      c.sim_upload_seconds = o.upload_seconds;
      ++count[static_cast<int>(o.status)];
    }
    // Train loss in cohort order: the same double for any rank count.
    double loss = 0.0;
    for (const auto& c : out.clients)
      if (c.rank >= 0 && total_samples > 0)
        loss += static_cast<double>(c.num_samples) / static_cast<double>(total_samples) * c.loss;
    rec.round = to_int(round);
    rec.train_loss = total_samples > 0 ? loss : std::numeric_limits<double>::quiet_NaN();
    rec.clients_selected = static_cast<std::uint32_t>(cohort.size());
    rec.clients_completed = count[static_cast<int>(ClientStatus::Completed)];
    rec.clients_partial = count[static_cast<int>(ClientStatus::Partial)];
    rec.clients_dropped = count[static_cast<int>(ClientStatus::Dropped)];
    rec.clients_late = count[static_cast<int>(ClientStatus::Late)];
    rec.clients_unavailable = count[static_cast<int>(ClientStatus::Unavailable)];
    rec.sim_round_seconds = timing.seconds;
    rec.sim_elapsed_seconds = sim_time_;
    rec.bytes_reduced = agg.bytes * static_cast<std::uint64_t>(comm_.size());
    rec.server_lr = server_->learning_rate();
    rec.update_norm = update_norm;
    rec.clients_aggregated = agg.aggregated;
    rec.train_seconds = phase_max(&TimingRecord::train_seconds);
    rec.wait_seconds = phase_max(&TimingRecord::wait_seconds);
    rec.reduce_seconds = phase_max(&TimingRecord::reduce_seconds);
    rec.server_seconds = phase_max(&TimingRecord::server_seconds);
    rec.broadcast_seconds = phase_max(&TimingRecord::broadcast_seconds);
    rec.eval_seconds = phase_max(&TimingRecord::eval_seconds);
    rec.wall_seconds = round_watch.seconds();
  }
  out.record = rec;
  return out;
}

std::size_t RoundRunner::server_state_size() const {
  return strategy_.server->state_size(delta_.size());
}

CheckpointState RoundRunner::checkpoint(Round round, std::span<const float> global) {
  CheckpointState s;
  // Per-client state: every rank sends (id, vector) records for the clients
  // it holds; root sorts them by id.
  const std::size_t dim = delta_.size();
  std::vector<std::byte> mine;
  ClientStateStore* states = rule_->states();
  for (std::uint32_t id : states ? states->ids() : std::vector<std::uint32_t>{}) {
    const auto v = states->of(ClientId{id});
    const auto* idb = reinterpret_cast<const std::byte*>(&id);
    const auto* vb = reinterpret_cast<const std::byte*>(v.data());
    mine.insert(mine.end(), idb, idb + sizeof id);
    mine.insert(mine.end(), vb, vb + dim * sizeof(float));
  }
  auto all = comm_.gatherv(mine, 0);
  if (comm_.rank() != 0) return s;
  s.round = to_int(round);
  s.sim_elapsed_seconds = sim_time_;
  s.model.assign(global.begin(), global.end());
  s.server_state = server_->state();
  const auto shared = rule_->shared();
  s.control.assign(shared.begin(), shared.end());
  const std::size_t record = sizeof(std::uint32_t) + dim * sizeof(float);
  std::vector<std::pair<std::uint32_t, std::size_t>> order;  // id, offset
  for (std::size_t off = 0; off + record <= all.size(); off += record) {
    std::uint32_t id = 0;
    std::memcpy(&id, all.data() + off, sizeof id);
    order.emplace_back(id, off);
  }
  std::sort(order.begin(), order.end());
  s.client_state.resize(order.size() * dim);
  for (std::size_t i = 0; i < order.size(); ++i) {
    s.clients.push_back(order[i].first);
    std::memcpy(s.client_state.data() + i * dim, all.data() + order[i].second + sizeof(std::uint32_t),
                dim * sizeof(float));
  }
  return s;
}

void RoundRunner::restore(const CheckpointState& s) {
  sim_time_ = s.sim_elapsed_seconds;
  if (comm_.rank() == 0 && !s.server_state.empty()) server_->restore(s.server_state);
  if (const auto shared = rule_->shared(); !shared.empty() && s.control.size() == shared.size())
    std::copy(s.control.begin(), s.control.end(), shared.begin());
  ClientStateStore* states = rule_->states();
  const std::size_t dim = delta_.size();
  for (std::size_t i = 0; i < s.clients.size(); ++i) {
    const ClientId id{s.clients[i]};
    const ClientId one[1] = {id};
    const std::int64_t cost[1] = {1};
    if (!states || place_clients(one, cost, trainers_, PlacementKind::Static)[0] != comm_.rank()) continue;
    auto v = states->of(id);
    std::copy(s.client_state.begin() + static_cast<std::ptrdiff_t>(i * dim),
              s.client_state.begin() + static_cast<std::ptrdiff_t>((i + 1) * dim), v.begin());
  }
}

}  // namespace fedhpc
