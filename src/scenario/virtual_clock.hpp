#pragma once
// The virtual clock: from each cohort member's conditions
// and planned work, the cost model says when it would finish, and the deadline
// rule says who is aggregated, with how many steps. Decisions never look at
// wall time, so they are the same on every rank and every run.
#include <cstdint>
#include <span>
#include <vector>

#include "config/schema.hpp"
#include "scenario/scenario.hpp"

namespace fedhpc {

// Stored as a uint8 in /clients; the numbers are part of the results schema.
enum class ClientStatus : std::uint8_t { Completed = 0, Partial = 1, Dropped = 2, Late = 3, Unavailable = 4 };
constexpr int kClientStatusCount = 5;
const char* to_string(ClientStatus);

struct CostModel {
  double sample_seconds = 1e-3;  // one sample pass (forward + backward) at speed 1
  double model_bytes = 0.0;      // sent down, and the update sent up
  double latency = 0.0;          // seconds per transfer

  double transfer_seconds(double bandwidth_mbps) const { return latency + model_bytes * 8.0 / (bandwidth_mbps * 1e6); }
};

struct ClientWork {
  std::int64_t steps = 0;          // local steps planned
  std::int64_t sample_passes = 0;  // samples x epochs (or steps x batch)
};

struct DeadlineRule {
  double seconds = 0.0;   // 0: none
  double relative = 0.0;  // > 0: per client, this multiple of its un-slowed time
  int keep = 0;          // > 0: over-commitment, the first `keep` to finish are aggregated
  StragglerPolicy policy = StragglerPolicy::Drop;
};

struct ClientOutcome {
  ClientStatus status = ClientStatus::Completed;
  std::int64_t steps_done = 0;   // steps trained (completed, partial) or done before failing
  double download_seconds = 0.0;
  double compute_seconds = 0.0;  // simulated compute actually spent
  double upload_seconds = 0.0;
  double finish_seconds = 0.0;   // since the round began: report, failure, or cut-off
  bool aggregated() const { return status == ClientStatus::Completed || status == ClientStatus::Partial; }
};

struct RoundTiming {
  std::vector<ClientOutcome> clients;
  double seconds = 0.0;  // the round's simulated duration
};

DeadlineRule deadline_rule(const ScenarioConfig& scenario, int clients_per_round);

RoundTiming resolve_round(std::span<const ClientCondition> conditions, std::span<const ClientWork> work,
                          const CostModel& cost, const DeadlineRule& rule);

}  // namespace fedhpc
