#include "scenario/virtual_clock.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace fedhpc {

const char* to_string(ClientStatus s) {
  switch (s) {
    case ClientStatus::Completed: return "completed";
    case ClientStatus::Partial: return "partial";
    case ClientStatus::Dropped: return "dropped";
    case ClientStatus::Late: return "late";
    case ClientStatus::Unavailable: return "unavailable";
  }
  return "?";
}

DeadlineRule deadline_rule(const ScenarioConfig& s, int clients_per_round) {
  return {s.deadline_seconds, s.deadline_relative, s.overcommit > 1.0 ? clients_per_round : 0, s.straggler_policy};
}

namespace {
// The server stops waiting at `cutoff`: whatever the client had computed by
// then is lost, and it uploads nothing.
void cut_off(ClientOutcome& o, double full_compute, double cutoff) {
  o.status = ClientStatus::Late;
  o.steps_done = 0;
  o.compute_seconds = std::clamp(cutoff - o.download_seconds, 0.0, full_compute);
  o.upload_seconds = 0.0;
  o.finish_seconds = cutoff;
}
}  // namespace

RoundTiming resolve_round(std::span<const ClientCondition> conditions, std::span<const ClientWork> work,
                          const CostModel& cost, const DeadlineRule& rule) {
  FEDHPC_CHECK(conditions.size() == work.size(), "{} conditions for {} clients", conditions.size(), work.size());
  RoundTiming t;
  t.clients.resize(conditions.size());
  std::vector<double> full(conditions.size(), 0.0);
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const ClientCondition& c = conditions[i];
    ClientOutcome& o = t.clients[i];
    if (c.outage) {  // never answers; the server does not wait for it
      o.status = ClientStatus::Unavailable;
      continue;
    }
    const double transfer = cost.transfer_seconds(c.bandwidth);
    const double nominal = static_cast<double>(work[i].sample_passes) * cost.sample_seconds / c.speed;
    full[i] = nominal * c.slowdown;
    // This client's deadline: the fixed one, its relative one, or the earlier.
    double deadline = rule.seconds > 0.0 ? rule.seconds : std::numeric_limits<double>::infinity();
    if (rule.relative > 0.0) deadline = std::min(deadline, rule.relative * (2.0 * transfer + nominal));
    o.download_seconds = transfer;
    if (c.dropout) {  // fails after a share of its work; its connection drops
      o.status = ClientStatus::Dropped;
      o.steps_done = static_cast<std::int64_t>(std::floor(static_cast<double>(work[i].steps) * c.dropout_at));
      o.compute_seconds = full[i] * c.dropout_at;
      o.finish_seconds = std::min(transfer + o.compute_seconds, deadline);
      continue;
    }
    o.steps_done = work[i].steps;
    o.compute_seconds = full[i];
    o.upload_seconds = transfer;
    o.finish_seconds = transfer + full[i] + transfer;
    // A client that needs exactly its deadline is on time: the relative rule
    // computes both sides along different roundings, hence the tolerance.
    if (o.finish_seconds > deadline * (1.0 + 1e-12)) {
      // FedProx's variable local work: what fits before the deadline, in
      // whole steps, still counts; FedAvg's rule drops the late client.
      const double budget = deadline - 2.0 * transfer;
      const auto steps = rule.policy == StragglerPolicy::Partial && budget > 0.0 && full[i] > 0.0
                             ? static_cast<std::int64_t>(std::floor(static_cast<double>(work[i].steps) * budget / full[i]))
                             : std::int64_t{0};
      if (steps >= 1) {
        o.status = ClientStatus::Partial;
        o.steps_done = steps;
        o.compute_seconds = full[i] * static_cast<double>(steps) / static_cast<double>(work[i].steps);
        o.finish_seconds = transfer + o.compute_seconds + transfer;
      } else {
        cut_off(o, full[i], deadline);
      }
    }
  }

  // Over-commitment (FedScale, Bonawitz et al.): the first `keep` reports
  // close the round; ties go to the lower cohort position (lower id).
  std::vector<std::size_t> reported;
  for (std::size_t i = 0; i < t.clients.size(); ++i)
    if (t.clients[i].aggregated()) reported.push_back(i);
  if (rule.keep > 0 && reported.size() > static_cast<std::size_t>(rule.keep)) {
    std::stable_sort(reported.begin(), reported.end(), [&](std::size_t a, std::size_t b) {
      return t.clients[a].finish_seconds < t.clients[b].finish_seconds;
    });
    const double close = t.clients[reported[static_cast<std::size_t>(rule.keep) - 1]].finish_seconds;
    for (std::size_t k = static_cast<std::size_t>(rule.keep); k < reported.size(); ++k)
      cut_off(t.clients[reported[k]], full[reported[k]], close);
    for (auto& o : t.clients)  // failures after the close go unnoticed
      if (o.status == ClientStatus::Dropped) o.finish_seconds = std::min(o.finish_seconds, close);
    t.seconds = close;
    return t;
  }

  // Otherwise the server waits for every report or failure, up to each
  // client's deadline (late clients "finish" at theirs).
  for (const auto& o : t.clients)
    if (o.status != ClientStatus::Unavailable) t.seconds = std::max(t.seconds, o.finish_seconds);
  return t;
}

}  // namespace fedhpc
