#pragma once
// Client availability from a trace file in the spirit of FedScale's device
// traces: CSV rows `client,start,end`, a client online during [start, end) in
// simulated seconds. The trace repeats with the period of its last end time,
// and client c of the population follows the trace's (c mod T)-th client (T
// distinct clients in the file, in id order), so a small trace drives a large
// population.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/types.hpp"

namespace fedhpc {

class AvailabilityTrace {
 public:
  AvailabilityTrace() = default;
  explicit AvailabilityTrace(const std::string& file);

  bool empty() const { return intervals_.empty(); }
  double period() const { return period_; }
  std::size_t trace_clients() const { return intervals_.size(); }

  bool available(ClientId client, double time) const;
  // The earliest time >= `time` at which the client is online.
  double next_online(ClientId client, double time) const;

 private:
  using Intervals = std::vector<std::pair<double, double>>;  // sorted by start
  std::vector<Intervals> intervals_;                         // per trace client, in id order
  double period_ = 0.0;
  const Intervals& of(ClientId client) const;
};

}  // namespace fedhpc
