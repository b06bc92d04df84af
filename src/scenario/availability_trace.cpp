#include "scenario/availability_trace.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "scenario/csv_table.hpp"

namespace fedhpc {

AvailabilityTrace::AvailabilityTrace(const std::string& file) {
  const CsvTable t = read_csv_table(file, {"client", "start", "end"});
  const int client = t.column("client"), start = t.column("start"), end = t.column("end");
  std::map<std::uint32_t, Intervals> by_client;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const double id = t.number(r, client), s = t.number(r, start), e = t.number(r, end);
    if (id < 0 || id != std::floor(id) || id > 4294967295.0)
      t.fail(r, fmt::format("client: expected a client id (an integer >= 0), found {}", t.rows[r][client]));
    if (s < 0) t.fail(r, fmt::format("start: expected a time >= 0 (simulated seconds), found {}", s));
    if (e <= s) t.fail(r, fmt::format("end: expected a time after start ({}), found {}", s, e));
    by_client[static_cast<std::uint32_t>(id)].emplace_back(s, e);
    period_ = std::max(period_, e);
  }
  for (auto& [id, iv] : by_client) {
    std::sort(iv.begin(), iv.end());
    intervals_.push_back(std::move(iv));
  }
}

const AvailabilityTrace::Intervals& AvailabilityTrace::of(ClientId client) const {
  return intervals_[to_int(client) % intervals_.size()];
}

bool AvailabilityTrace::available(ClientId client, double time) const {
  const double t = std::fmod(time, period_);
  for (const auto& [s, e] : of(client))
    if (s <= t && t < e) return true;
  return false;
}

double AvailabilityTrace::next_online(ClientId client, double time) const {
  if (available(client, time)) return time;
  const double base = time - std::fmod(time, period_);
  const double t = time - base;
  double best = base + period_ + of(client).front().first;  // the first start of the next period
  for (const auto& [s, e] : of(client))
    if (s > t) best = std::min(best, base + s);
  return best;
}

}  // namespace fedhpc
