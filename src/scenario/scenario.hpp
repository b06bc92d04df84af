#pragma once
// What each client suffers in a round, as a pure function of (seed, round,
// client) and the scenario config: its device (speed,
// bandwidth), whether it straggles and how much, whether it drops out and when,
// whether its group is in an outage, and whether it is online to be selected.
// Every rank computes the same answers without a message.
#include <cstdint>
#include <span>
#include <vector>

#include "config/schema.hpp"
#include "core/rng.hpp"
#include "core/types.hpp"
#include "scenario/availability_trace.hpp"
#include "scenario/device_profiles.hpp"

namespace fedhpc {

struct ClientCondition {
  double speed = 1.0;        // relative to the cost model's reference device
  double bandwidth = 100.0;  // Mbit/s, down and up
  bool straggler = false;
  double slowdown = 1.0;     // >= 1; compute takes this many times longer
  bool dropout = false;
  double dropout_at = 0.0;   // share of the work done before the failure
  bool outage = false;       // its group is dark: it never answers
};

class Scenario {
 public:
  Scenario(const ScenarioConfig& config, std::uint64_t seed, int population, DeviceProfiles profiles = {},
           AvailabilityTrace trace = {});

  // The client's device, fixed for the run.
  DeviceProfile device(ClientId client) const;
  // Online at simulated time `time` (the availability pattern), so selectable.
  bool online(ClientId client, double time) const;
  // The clients online at `time`, in id order: the pool a round selects from.
  std::vector<std::uint32_t> online_pool(double time) const;
  // The earliest time >= `time` at which some client is online.
  double next_online(double time) const;
  // Its outage group is dark in this round.
  bool in_outage(ClientId client, Round round) const;
  // The conditions of a round's cohort (sorted by id), one per member. In
  // straggler mode `round` the stragglers are a share of this cohort.
  std::vector<ClientCondition> conditions(Round round, std::span<const ClientId> cohort) const;

 private:
  enum class Draw : std::uint32_t {
    Speed = 1, Bandwidth, ProfileClass, StragglerFlag, StragglerPick, Slowdown, Dropout, DropoutAt, Outage, DiurnalPhase
  };
  Rng rng(Draw draw, std::uint32_t round, std::uint32_t client) const;
  double slowdown_draw(std::uint32_t round, ClientId client) const;
  // Where in its own day (shifted by its phase, its time zone) a client is, in [0, 1).
  double day_position(ClientId client, double time) const;

  ScenarioConfig config_;
  std::uint64_t seed_;
  int population_;
  DeviceProfiles profiles_;
  AvailabilityTrace trace_;
};

}  // namespace fedhpc
