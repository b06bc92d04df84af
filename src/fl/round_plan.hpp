#pragma once
// A round's plan: who is selected, what work each is asked for, what the
// virtual clock says happens to each, who is aggregated with how many
// steps, and which rank trains whom. A pure function of the run's
// configuration, the round, the partition's sizes, the scenario and the
// simulated time, so every rank derives the same plan without a message
// (and tests build one by hand, without LibTorch or MPI).
#include <cstdint>
#include <span>
#include <vector>

#include "config/schema.hpp"
#include "core/types.hpp"
#include "data/partition.hpp"
#include "privacy/secure_aggregation_cost.hpp"
#include "scenario/scenario.hpp"
#include "scenario/virtual_clock.hpp"
#include "strategy/aggregation_rule.hpp"

namespace fedhpc {

// What the plan is made from, fixed for the run.
struct PlanInputs {
  const RunConfig& config;
  const Partition& partition;
  const Scenario& scenario;
  const CostModel& cost;
  const DeadlineRule& deadline;
  std::span<const int> trainers;       // the ranks that train
  const AggregationRule& aggregation;  // its feasibility check decides whether anyone is aggregated
  bool full_batch = false;             // the client rule takes one full-batch step
  bool grouped = false;                // runtime.client_batch > 1: groups are placed whole
};

struct RoundPlan {
  double start_seconds = 0.0;    // simulated start (later than asked when nobody was online)
  std::vector<ClientId> cohort;  // selected, in id order
  std::vector<ClientWork> work;  // per cohort position
  RoundTiming timing;            // the virtual clock's outcome per cohort position
  bool aggregating = false;      // the aggregation rule is defined for the survivors
  // The aggregated members (empty when not aggregating), in cohort order:
  std::vector<std::size_t> member_of;  // member -> cohort position
  std::vector<ClientId> members;
  std::vector<std::int64_t> samples, steps, cost;
  std::int64_t total_samples = 0;
  std::vector<std::size_t> group_bounds;  // grouped: first member of each group, then members.size()
  std::vector<int> owners;                // rank that trains each member
  // Secure aggregation: who took part in key agreement (the cohort minus the
  // unreachable, sorted), and what the protocol added (in timing.seconds too).
  std::vector<ClientId> keyed;
  SecAggCost secure;

  // The member's step limit: what a partial member got done, else -1 (all).
  std::int64_t step_limit(std::size_t member) const;
};

// The cohort at simulated time `now`: clients_per_round (times the
// over-commitment) drawn from the clients online then. When nobody is online
// the server idles until someone is; `now` moves to that time.
std::vector<ClientId> select_cohort(const PlanInputs& in, Round round, double& now);

RoundPlan plan_round(const PlanInputs& in, Round round, double sim_seconds);

}  // namespace fedhpc
