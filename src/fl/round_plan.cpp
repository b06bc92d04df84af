#include "fl/round_plan.hpp"

#include <algorithm>
#include <cmath>

#include "client/trainer.hpp"
#include "fl/placement.hpp"
#include "strategy/selector.hpp"

namespace fedhpc {

std::int64_t RoundPlan::step_limit(std::size_t member) const {
  return timing.clients[member_of[member]].status == ClientStatus::Partial ? steps[member] : std::int64_t{-1};
}

std::vector<ClientId> select_cohort(const PlanInputs& in, Round round, double& now) {
  const RunConfig& c = in.config;
  const ScenarioConfig& sc = c.scenario;
  const int wanted = static_cast<int>(std::ceil(sc.overcommit * c.strategy.clients_per_round - 1e-9));
  const bool poisson = c.strategy.sampling == SamplingKind::Poisson;
  if (sc.availability == AvailabilityPattern::Always && !poisson)
    return select_uniform(c.seed, round, c.data.num_clients, std::min(wanted, c.data.num_clients));
  auto pool = in.scenario.online_pool(now);  // everyone, with availability always
  if (pool.empty()) {
    now = in.scenario.next_online(now);
    pool = in.scenario.online_pool(now);
  }
  // Each client with probability K / N: the rate DP accounting assumes, even
  // when fewer clients are online.
  if (poisson)
    return select_poisson(c.seed, round, pool,
                          static_cast<double>(c.strategy.clients_per_round) / static_cast<double>(c.data.num_clients));
  const int count = std::min(wanted, static_cast<int>(pool.size()));
  return select_from(c.seed, round, std::move(pool), count);
}

namespace {

// Planned steps and sample passes: steps x batch, or samples x epochs, or one full pass.
std::vector<ClientWork> plan_work(const PlanInputs& in, std::span<const ClientId> cohort) {
  const TrainConfig& t = in.config.train;
  std::vector<ClientWork> work(cohort.size());
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    const auto n = in.partition.size_of(to_int(cohort[i]));
    work[i].steps = LocalTrainer::planned_steps(in.config, in.full_batch, n);
    work[i].sample_passes = in.full_batch ? n : (t.local_steps > 0 ? work[i].steps * t.batch_size : n * t.local_epochs);
  }
  return work;
}

// The survivors with the steps they get to do, and what their work cost.
void choose_members(const PlanInputs& in, RoundPlan& p) {
  for (std::size_t i = 0; i < p.cohort.size(); ++i) {
    const ClientOutcome& o = p.timing.clients[i];
    if (!o.aggregated()) continue;
    p.member_of.push_back(i);
    p.members.push_back(p.cohort[i]);
    p.samples.push_back(in.partition.size_of(to_int(p.cohort[i])));
    p.steps.push_back(o.steps_done);
    p.cost.push_back(p.work[i].steps > 0 ? p.work[i].sample_passes * o.steps_done / p.work[i].steps : 0);
    p.total_samples += p.samples.back();
  }
}

// The members that reach key agreement (all but the unreachable) and the
// protocol's cost, charged after the deadline rule has decided.
void plan_secure_aggregation(const PlanInputs& in, std::span<const ClientCondition> conditions, RoundPlan& p) {
  std::vector<SecAggMember> members;
  for (std::size_t i = 0; i < p.cohort.size(); ++i) {
    const ClientOutcome& o = p.timing.clients[i];
    if (o.status == ClientStatus::Unavailable) continue;
    p.keyed.push_back(p.cohort[i]);
    members.push_back({conditions[i].bandwidth, conditions[i].speed / conditions[i].slowdown, o.aggregated()});
  }
  p.secure = secure_aggregation_cost(members, static_cast<std::size_t>(in.cost.model_bytes / 4.0), in.cost.latency);
  p.timing.seconds += p.secure.seconds;
}

}  // namespace

RoundPlan plan_round(const PlanInputs& in, Round round, double sim_seconds) {
  RoundPlan p;
  p.start_seconds = sim_seconds;
  p.cohort = select_cohort(in, round, p.start_seconds);
  p.work = plan_work(in, p.cohort);
  const std::vector<ClientCondition> conditions = in.scenario.conditions(round, p.cohort);
  p.timing = resolve_round(conditions, p.work, in.cost, in.deadline);
  if (in.config.privacy.secure_aggregation) plan_secure_aggregation(in, conditions, p);
  // A rule undefined for so few survivors (Krum, trimming) aggregates nobody.
  const auto survivors = static_cast<std::size_t>(std::count_if(p.timing.clients.begin(), p.timing.clients.end(),
                                                                [](const ClientOutcome& o) { return o.aggregated(); }));
  p.aggregating = !check_feasible(in.aggregation, survivors, in.config.strategy);
  if (p.aggregating) choose_members(in, p);
  // Grouped training places whole groups, formed from the member list alone.
  const RuntimeConfig& r = in.config.runtime;
  if (in.grouped) {
    p.group_bounds = group_bounds(p.members.size(), r.client_batch);
    p.owners = place_groups(p.group_bounds, p.members, p.cost, in.trainers, r.placement);
  } else {
    p.owners = place_clients(p.members, p.cost, in.trainers, r.placement);
  }
  return p;
}

}  // namespace fedhpc
