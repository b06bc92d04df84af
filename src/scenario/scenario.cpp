#include "scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "scenario/distribution.hpp"

namespace fedhpc {

Scenario::Scenario(const ScenarioConfig& config, std::uint64_t seed, int population, DeviceProfiles profiles,
                   AvailabilityTrace trace)
    : config_(config), seed_(seed), population_(population), profiles_(std::move(profiles)), trace_(std::move(trace)) {}

// Each kind of draw has its own sub-stream of Stream::Scenario, so adding a
// draw of one kind never shifts the values of another.
Rng Scenario::rng(Draw draw, std::uint32_t round, std::uint32_t client) const {
  const std::uint64_t sub = derive_seed(seed_, Stream::Scenario, static_cast<std::uint32_t>(draw), 0);
  return Rng(derive_seed(sub, Stream::Scenario, round, client));
}

DeviceProfile Scenario::device(ClientId client) const {
  const auto id = to_int(client);
  if (auto it = profiles_.by_client.find(id); it != profiles_.by_client.end()) return it->second;
  if (!profiles_.classes.empty()) return profiles_.class_for(rng(Draw::ProfileClass, 0, id).uniform()).profile;
  Rng speed = rng(Draw::Speed, 0, id), bandwidth = rng(Draw::Bandwidth, 0, id);
  return {sample(config_.speed, speed), sample(config_.bandwidth, bandwidth)};
}

bool Scenario::online(ClientId client, double time) const {
  switch (config_.availability) {
    case AvailabilityPattern::Always: return true;
    case AvailabilityPattern::Trace: return trace_.available(client, time);
    // Online for the first on_fraction of each of its days.
    case AvailabilityPattern::Diurnal: return day_position(client, time) < config_.diurnal_on_fraction;
  }
  return true;
}

double Scenario::day_position(ClientId client, double time) const {
  const double x = time / config_.diurnal_period + rng(Draw::DiurnalPhase, 0, to_int(client)).uniform();
  return x - std::floor(x);
}

std::vector<std::uint32_t> Scenario::online_pool(double time) const {
  std::vector<std::uint32_t> pool;
  pool.reserve(static_cast<std::size_t>(population_));
  for (int c = 0; c < population_; ++c)
    if (online(ClientId{static_cast<std::uint32_t>(c)}, time)) pool.push_back(static_cast<std::uint32_t>(c));
  return pool;
}

double Scenario::next_online(double time) const {
  double best = std::numeric_limits<double>::infinity();
  for (int c = 0; c < population_; ++c) {
    const ClientId id{static_cast<std::uint32_t>(c)};
    if (online(id, time)) return time;
    if (config_.availability == AvailabilityPattern::Trace) {
      best = std::min(best, trace_.next_online(id, time));
    } else if (config_.availability == AvailabilityPattern::Diurnal) {
      best = std::min(best, time + (1.0 - day_position(id, time)) * config_.diurnal_period);
    }
  }
  return best;
}

bool Scenario::in_outage(ClientId client, Round round) const {
  if (config_.outage_probability <= 0.0) return false;
  const auto group = to_int(client) / static_cast<std::uint32_t>(config_.outage_group_size);
  const auto r = static_cast<std::int64_t>(to_int(round));
  // Dark if an outage of `outage_rounds` rounds began in any of the last ones.
  for (std::int64_t start = std::max<std::int64_t>(1, r - config_.outage_rounds + 1); start <= r; ++start)
    if (rng(Draw::Outage, static_cast<std::uint32_t>(start), group).uniform() < config_.outage_probability) return true;
  return false;
}

double Scenario::slowdown_draw(std::uint32_t round, ClientId client) const {
  Rng r = rng(Draw::Slowdown, round, to_int(client));
  return std::max(1.0, sample(config_.slowdown, r));  // a straggler is never faster than its device
}

std::vector<ClientCondition> Scenario::conditions(Round round, std::span<const ClientId> cohort) const {
  const auto r = to_int(round);
  std::vector<ClientCondition> out(cohort.size());
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    const ClientId c = cohort[i];
    const DeviceProfile d = device(c);
    out[i].speed = d.speed;
    out[i].bandwidth = d.bandwidth;
    out[i].outage = in_outage(c, round);
    if (config_.dropout_probability > 0.0 &&
        rng(Draw::Dropout, r, to_int(c)).uniform() < config_.dropout_probability) {
      out[i].dropout = true;
      Rng at = rng(Draw::DropoutAt, r, to_int(c));
      out[i].dropout_at = std::clamp(sample(config_.dropout_at, at), 0.0, 1.0);
    }
  }
  if (config_.straggler_fraction <= 0.0) return out;
  if (config_.straggler_mode == StragglerMode::Client) {
    // A slow device: the same clients straggle, by the same factor, all run.
    for (std::size_t i = 0; i < cohort.size(); ++i) {
      if (rng(Draw::StragglerFlag, 0, to_int(cohort[i])).uniform() < config_.straggler_fraction) {
        out[i].straggler = true;
        out[i].slowdown = slowdown_draw(0, cohort[i]);
      }
    }
  } else {
    // FedProx's setting: exactly round(fraction x K) of each cohort straggle,
    // drawn afresh every round.
    const auto count = static_cast<std::size_t>(std::llround(config_.straggler_fraction * static_cast<double>(cohort.size())));
    std::vector<std::size_t> order(cohort.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    Rng pick = rng(Draw::StragglerPick, r, 0);
    pick.shuffle(order);
    for (std::size_t k = 0; k < std::min(count, order.size()); ++k) {
      out[order[k]].straggler = true;
      out[order[k]].slowdown = slowdown_draw(r, cohort[order[k]]);
    }
  }
  return out;
}

}  // namespace fedhpc
