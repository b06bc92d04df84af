#include "fl/round.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "comm/agree.hpp"
#include "fl/collective.hpp"
#include "fl/placement.hpp"
#include "metrics/round_rows.hpp"

namespace fedhpc {

RoundRunner::RoundRunner(const RunConfig& config, Comm& comm, const Partition& partition, ClientSamples& samples,
                         LocalTrainer& trainer, const DataSplit& data, const Scenario& scenario, const CostModel& cost,
                         GroupTrainer* groups)
    : config_(config),
      comm_(comm),
      partition_(partition),
      samples_(samples),
      trainer_(trainer),
      groups_(config.runtime.client_batch > 1 ? groups : nullptr),
      test_size_(data.test.size()),
      train_size_(data.train.size()),
      scenario_(scenario),
      cost_(cost),
      deadline_(deadline_rule(config.scenario, config.strategy.clients_per_round)),
      trainers_(trainer_ranks(comm.size(), config.runtime.aggregator)),
      strategy_(*find_strategy(config.strategy.name)),
      aggregator_(strategy_, config, static_cast<std::size_t>(trainer.num_params())),
      rule_(strategy_.client->make(config, static_cast<std::size_t>(trainer.num_params()))),
      delta_(static_cast<std::size_t>(trainer.num_params())),
      upload_(rule_->upload_size()),
      attack_(config, partition.num_clients(), data, static_cast<std::size_t>(trainer.num_params())),
      dp_(config) {
  if (comm.rank() == 0) server_ = strategy_.server->make(config.strategy, delta_.size());
  if (dp_.on()) dp_update_.resize(delta_.size());
  if (dp_.on() && comm.rank() == 0) ledger_.emplace(dp_.params().sampling_rate, dp_.params().noise_multiplier);
  if (config.model.buffers == BufferPolicy::Local) local_buffers_ = static_cast<std::size_t>(trainer.num_buffer_values());
  test_owner_ = data.test.natural_owner;
  if (!test_owner_.empty() && comm.rank() == 0) {
    client_test_samples_.assign(static_cast<std::size_t>(partition.num_clients()), 0);
    for (const auto owner : test_owner_) ++client_test_samples_[static_cast<std::size_t>(owner)];
  }
}

bool RoundRunner::evaluates(Round round) const {
  const auto r = to_int(round);
  return r % static_cast<std::uint32_t>(config_.output.eval_every) == 0 ||
         r == static_cast<std::uint32_t>(config_.train.rounds);
}

PlanInputs RoundRunner::plan_inputs() const {
  return PlanInputs{config_,
                    partition_,
                    scenario_,
                    cost_,
                    deadline_,
                    trainers_,
                    *strategy_.aggregation,
                    strategy_.client->full_batch,
                    groups_ != nullptr};
}

// plan -> train -> aggregate -> server step -> evaluate -> record.
RoundOutcome RoundRunner::run(Round round, std::vector<float>& global) {
  try {
    return run_round(round, global);
  } catch (const DivergedError& e) {
    throw DivergedError(fmt::format("round {}: {}", to_int(round), e.what()));
  }
}

RoundOutcome RoundRunner::run_round(Round round, std::vector<float>& global) {
  Stopwatch round_watch, phase;
  TimingRecord t;
  t.round = to_int(round);
  t.rank = comm_.rank();
  // Replicated decisions: the same plan on every rank, without a message.
  const RoundPlan plan = plan_round(plan_inputs(), round, sim_time_);

  attack_.begin_round(round, plan.members);
  unclipped_ = 0;
  const double clip_norm = dp_.clip_norm();
  if (plan.aggregating)
    aggregator_.begin_round(
        {plan.members, plan.samples, plan.steps, plan.owners, attack_.attacking(), plan.keyed, round});
  Trained mine = groups_ ? train_groups(round, plan, global) : train_one_at_a_time(round, plan, global);
  t.train_seconds = phase.seconds();
  // Waiting for the slowest trainer is timed apart from the collective itself,
  // so load imbalance does not masquerade as communication cost.
  phase.restart();
  comm_.barrier();
  t.wait_seconds = phase.seconds();

  // A round without survivors leaves the model and every state alone.
  const Aggregated agg = plan.aggregating ? aggregate_and_step(round, plan, global, t) : Aggregated{};
  for (std::size_t r = 0; r < mine.records.size(); ++r) mine.records[r].weight = agg.result.weights[mine.members[r]];

  phase.restart();
  RoundRecord rec = evaluate(round, global);
  t.eval_seconds = phase.seconds();
  if (dp_.on()) rec.clip_norm = clip_norm;
  // Every round is a step of the mechanism, one that aggregated nobody too.
  if (ledger_) rec.epsilon = ledger_->after(to_int(round), dp_.params().delta).epsilon;
  t.clients_trained = static_cast<std::uint32_t>(mine.records.size());
  sim_time_ = plan.start_seconds + plan.timing.seconds;
  return record(round, plan, agg, mine.records, t, rec, round_watch);
}

// A trained member's update goes to the aggregator, its record to `mine`.
// An attacker's update may be changed, or held until every rank has trained.
void RoundRunner::deliver(Round round, const RoundPlan& plan, std::size_t k, std::span<const float> delta,
                          const TrainStats& s, Trained& mine) {
  if (const auto sent = attack_.pass(k, plan.members[k], delta, upload_, s.initial_loss); !sent.empty())
    submit(round, k, plan.members[k], sent, upload_, s.initial_loss);
  ClientRecord rec;
  rec.round = to_int(round);
  rec.client = to_int(plan.members[k]);
  rec.rank = comm_.rank();
  rec.num_samples = s.num_samples;
  rec.loss = s.loss;
  rec.steps = s.steps;
  rec.wall_seconds = s.wall_seconds;
  mine.records.push_back(rec);
  mine.members.push_back(k);
}

void RoundRunner::submit(Round round, std::size_t k, ClientId id, std::span<const float> delta,
                         std::span<const float> upload, double initial_loss) {
  if (!dp_.on()) return aggregator_.add(k, delta, upload, initial_loss);
  std::copy(delta.begin(), delta.end(), dp_update_.begin());
  if (dp_.clip(dp_update_)) ++unclipped_;
  if (dp_.params().mode == DpMode::Local) dp_.add_local_noise(round, id, dp_update_);
  aggregator_.add(k, dp_update_, upload, initial_loss);
}

// This rank's members one at a time, the client rule around each.
RoundRunner::Trained RoundRunner::train_one_at_a_time(Round round, const RoundPlan& plan,
                                                      std::span<const float> global) {
  Trained mine;
  for (std::size_t k = 0; k < plan.members.size(); ++k) {
    if (plan.owners[k] != comm_.rank()) continue;
    const ClientId id = plan.members[k];
    ClientHooks hooks;
    hooks.terms = rule_->before(id);
    hooks.terms.initial_loss = strategy_.aggregation->needs_initial_loss;
    hooks.step_limit = plan.step_limit(k);
    const auto client = attack_.samples(k, id, samples_.of(to_int(id)));
    const TrainStats s = trainer_.train(id, round, client.data, client.rows, global, delta_, hooks);
    rule_->after(id, delta_, s.steps, upload_);
    deliver(round, plan, k, delta_, s, mine);
  }
  return mine;
}

// This rank's groups (runtime.client_batch), each trained as one stack.
RoundRunner::Trained RoundRunner::train_groups(Round round, const RoundPlan& plan, std::span<const float> global) {
  Trained mine;
  const std::size_t dim = delta_.size();
  const double anchor = strategy_.client->group_anchor(config_.strategy);
  const auto& bounds = plan.group_bounds;
  for (std::size_t g = 0; g + 1 < bounds.size(); ++g) {
    if (plan.owners[bounds[g]] != comm_.rank()) continue;
    groups_->clear();
    for (std::size_t k = bounds[g]; k < bounds[g + 1]; ++k) {
      const auto client = samples_.of(to_int(plan.members[k]));
      groups_->add(plan.members[k], client.data, client.rows, plan.step_limit(k));
    }
    group_deltas_.resize(groups_->size() * dim);
    const auto stats = groups_->train(round, global, group_deltas_, anchor);
    for (std::size_t j = 0; j < stats.size(); ++j)
      deliver(round, plan, bounds[g] + j, std::span<const float>(group_deltas_).subspan(j * dim, dim), stats[j], mine);
  }
  return mine;
}

// The aggregation collectives, root's server step, then the broadcast.
RoundRunner::Aggregated RoundRunner::aggregate_and_step(Round round, const RoundPlan& plan, std::vector<float>& global,
                                                        TimingRecord& t) {
  const bool root = comm_.rank() == 0;
  const ReduceLevels levels_before = comm_.reduce_levels();
  Stopwatch phase;
  Aggregated out;
  attack_.release(comm_, [&](std::size_t k, std::span<const float> delta, std::span<const float> upload, double loss) {
    submit(round, k, plan.members[k], delta, upload, loss);
  });
  out.result = aggregator_.finish(comm_, root ? server_->center() : std::span<const double>{});
  if (dp_.on()) privatize(round, out, comm_);
  // model.buffers local: the aggregate never moves the buffers, whatever DP
  // noise or an attack put into their coordinates.
  if (root && local_buffers_ > 0)
    std::fill(out.result.model_delta.end() - static_cast<std::ptrdiff_t>(local_buffers_), out.result.model_delta.end(),
              0.0);
  t.reduce_seconds = phase.seconds();
  const ReduceLevels levels = comm_.reduce_levels();
  t.reduce_node_seconds = levels.node_seconds - levels_before.node_seconds;
  t.reduce_cross_seconds = levels.cross_seconds - levels_before.cross_seconds;
  phase.restart();
  if (root && plan.total_samples > 0) {
    for (double v : out.result.model_delta) out.update_norm += v * v;
    out.update_norm = std::sqrt(out.update_norm);
    server_->step(global, out.result.model_delta,
                  RoundFacts{out.result.aggregated, static_cast<std::size_t>(config_.data.num_clients)});
    if (!out.result.upload_sum.empty()) rule_->apply_upload(out.result.upload_sum);
  }
  t.server_seconds = phase.seconds();
  phase.restart();
  broadcast_model(comm_, global);
  if (const auto shared = rule_->shared(); !shared.empty()) broadcast_model(comm_, shared);
  t.broadcast_seconds = phase.seconds();
  return out;
}

void RoundRunner::privatize(Round round, Aggregated& agg, Comm& comm) {
  const bool root = comm.rank() == 0;
  if (root && dp_.params().mode == DpMode::Central) dp_.add_central_noise(round, agg.result.model_delta);
  if (!dp_.params().adaptive) return;
  const std::int64_t mine[1] = {unclipped_};
  std::int64_t total[1] = {0};
  comm.reduce_sum(mine, root ? std::span<std::int64_t>(total) : std::span<std::int64_t>(), 0);
  std::vector<double> next{root ? dp_.next_clip_norm(round, total[0]) : 0.0};
  bcast_vector(comm, next, 0);
  dp_.set_clip_norm(next[0]);
}

// The global model on the test set (and the training set, with
// output.eval_train), sharded over all ranks in whole batches; sums are
// integers, so the numbers do not depend on the rank count.
RoundRecord RoundRunner::evaluate(Round round, std::span<const float> global) {
  const bool root = comm_.rank() == 0;
  RoundRecord rec;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  rec.test_loss = rec.test_accuracy = rec.global_train_loss = rec.global_train_accuracy = kNaN;
  rec.backdoor_accuracy = kNaN;
  auto on = [&](std::int64_t n, const Dataset* data, bool on_train, double& loss, double& accuracy,
                bool per_client = false) {
    const auto [begin, end] = eval_shard(n, config_.runtime.eval_batch_size, comm_.rank(), comm_.size());
    const int batch = config_.runtime.eval_batch_size;
    const EvalStats e = data ? trainer_.evaluate_on(*data, global, begin, end, batch)
                             : trainer_.evaluate(global, begin, end, batch, on_train, per_client);
    if (per_client) reduce_client_hits(e.hits, begin);
    const std::int64_t local[5] = {e.loss_fixed, e.correct, e.count, e.nan_batches, e.overflow_batches};
    std::int64_t total[5] = {0, 0, 0, 0, 0};
    comm_.reduce_sum(local, root ? std::span<std::int64_t>(total) : std::span<std::int64_t>(), 0);
    if (root && total[2] > 0) {
      loss = mean_eval_loss(total[0], total[2], total[3], total[4]);
      accuracy = static_cast<double>(total[1]) / static_cast<double>(total[2]);
    }
  };
  clients_evaluated_ = evaluates(round) && !test_owner_.empty();
  if (!evaluates(round)) return rec;
  on(test_size_, nullptr, false, rec.test_loss, rec.test_accuracy, clients_evaluated_);
  if (config_.output.eval_train) on(train_size_, nullptr, true, rec.global_train_loss, rec.global_train_accuracy);
  if (const Dataset* triggered = attack_.triggered_test()) {
    double ignored_loss = kNaN;
    on(triggered->size(), triggered, false, ignored_loss, rec.backdoor_accuracy);
  }
  return rec;
}

// Each client's correct test samples in this rank's shard [begin, ...),
// summed on root: integers, so the same on any rank count.
void RoundRunner::reduce_client_hits(std::span<const std::uint8_t> hits, std::int64_t begin) {
  const bool root = comm_.rank() == 0;
  std::vector<std::int64_t> mine(static_cast<std::size_t>(partition_.num_clients()), 0);
  for (std::size_t i = 0; i < hits.size(); ++i)
    mine[static_cast<std::size_t>(test_owner_[static_cast<std::size_t>(begin) + i])] += hits[i];
  client_test_hits_.assign(root ? mine.size() : 0, 0);
  comm_.reduce_sum(std::span<const std::int64_t>(mine), std::span<std::int64_t>(client_test_hits_), 0);
}

// Client records and per-rank timings to rank 0, which builds the rows
// (metrics/round_rows.hpp).
RoundOutcome RoundRunner::record(Round round, const RoundPlan& plan, const Aggregated& agg,
                                 std::span<const ClientRecord> mine, TimingRecord t, RoundRecord rec,
                                 const Stopwatch& round_watch) {
  const std::vector<ClientRecord> trained = gather_records(comm_, mine, 0);
  t.round_seconds = round_watch.seconds();
  RoundOutcome out;
  out.timings = gather_records(comm_, std::span<const TimingRecord>(&t, 1), 0);
  if (comm_.rank() == 0) {
    std::vector<std::int64_t> cohort_samples;
    for (const ClientId c : plan.cohort) cohort_samples.push_back(partition_.size_of(to_int(c)));
    out.clients = cohort_rows(round, plan.cohort, cohort_samples, plan.timing.clients, trained);
    for (ClientRecord& row : out.clients) {
      row.adversary = attack_.adversaries().contains(ClientId{row.client}) ? 1 : 0;
      rec.adversaries_sampled += row.adversary;
      if (client_test_samples_.empty()) continue;
      row.test_samples = client_test_samples_[row.client];
      if (clients_evaluated_ && row.test_samples > 0)
        row.test_accuracy = static_cast<double>(client_test_hits_[row.client]) / static_cast<double>(row.test_samples);
    }
    rec.adversaries_aggregated = agg.result.adversaries_aggregated;
    count_statuses(plan.timing.clients, rec);
    rec.round = to_int(round);
    rec.train_loss = cohort_train_loss(out.clients, plan.total_samples);
    rec.sim_round_seconds = plan.timing.seconds;
    rec.sim_elapsed_seconds = sim_time_;
    rec.bytes_reduced = agg.result.bytes * static_cast<std::uint64_t>(comm_.size());
    rec.server_lr = server_->learning_rate();
    rec.update_norm = agg.update_norm;
    rec.clients_aggregated = agg.result.aggregated;
    rec.secagg_bytes = static_cast<std::uint64_t>(plan.secure.bytes);
    rec.secagg_seconds = plan.secure.seconds;
    phase_maxima(out.timings, rec);
    rec.wall_seconds = round_watch.seconds();
  }
  out.record = rec;
  return out;
}

std::size_t RoundRunner::server_state_size(const RunConfig& config, std::size_t num_params) {
  const DpParams dp = dp_params(config);
  return find_strategy(config.strategy.name)->server->state_size(num_params) +
         (dp.mode != DpMode::Off && dp.adaptive ? 1 : 0);
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
  if (dp_.params().adaptive) {
    s.server_state.resize(strategy_.server->state_size(delta_.size()));
    s.server_state.push_back(dp_.clip_norm());
  }
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
  std::vector<double> server_state = s.server_state;
  if (dp_.params().adaptive) {
    std::vector<double> clip{server_state.empty() ? 0.0 : server_state.back()};
    bcast_vector(comm_, clip, 0);
    dp_.set_clip_norm(clip[0]);
    if (!server_state.empty()) server_state.pop_back();
  }
  if (comm_.rank() == 0 && !server_state.empty()) server_->restore(server_state);
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
