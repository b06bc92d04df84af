#include "scenario/device_profiles.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "scenario/csv_table.hpp"

namespace fedhpc {

const DeviceClass& DeviceProfiles::class_for(double u) const {
  const double target = u * cumulative_weight.back();
  const auto it = std::upper_bound(cumulative_weight.begin(), cumulative_weight.end(), target);
  const auto i = std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_weight.begin()), classes.size() - 1);
  return classes[i];
}

DeviceProfiles read_device_profiles(const std::string& file) {
  const CsvTable t = read_csv_table(file, {"speed", "bandwidth"}, {"client", "class", "weight"});
  const int client = t.column("client"), cls = t.column("class"), weight = t.column("weight");
  if ((client < 0) == (cls < 0))
    throw InputError(fmt::format("{}: expected a header with either a 'client' or a 'class' column (not both), "
                                 "then speed and bandwidth",
                                 file));
  if (client >= 0 && weight >= 0)
    throw InputError(fmt::format("{}: a 'weight' column goes with 'class' rows, not 'client' rows", file));
  DeviceProfiles p;
  p.file = file;
  const int speed = t.column("speed"), bandwidth = t.column("bandwidth");
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    DeviceProfile d{t.number(r, speed), t.number(r, bandwidth)};
    if (d.speed <= 0.0) t.fail(r, fmt::format("speed: expected a number > 0, found {}", d.speed));
    if (d.bandwidth <= 0.0) t.fail(r, fmt::format("bandwidth: expected a number > 0 (Mbit/s), found {}", d.bandwidth));
    if (client >= 0) {
      const double id = t.number(r, client);
      if (id < 0 || id != std::floor(id) || id > 4294967295.0)
        t.fail(r, fmt::format("client: expected a client id (an integer >= 0), found {}", t.rows[r][client]));
      if (!p.by_client.emplace(static_cast<std::uint32_t>(id), d).second)
        t.fail(r, fmt::format("client {} appears twice", t.rows[r][client]));
    } else {
      DeviceClass c{t.rows[r][static_cast<std::size_t>(cls)], d, weight >= 0 ? t.number(r, weight) : 1.0};
      if (c.name.empty()) t.fail(r, "class: expected a name, found an empty cell");
      if (c.weight <= 0.0) t.fail(r, fmt::format("weight: expected a number > 0, found {}", c.weight));
      p.classes.push_back(c);
      p.cumulative_weight.push_back((p.cumulative_weight.empty() ? 0.0 : p.cumulative_weight.back()) + c.weight);
    }
  }
  return p;
}

}  // namespace fedhpc
