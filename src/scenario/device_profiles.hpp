#pragma once
// Device profiles from a CSV file, as an alternative to drawing speed and
// bandwidth from distributions. Two shapes:
//   client,speed,bandwidth          one row per client id (others keep the drawn values)
//   class,speed,bandwidth[,weight]  device classes; each client draws one, weighted
// Bandwidth is in Mbit/s, speed relative to 1 (the cost model's reference device).
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace fedhpc {

struct DeviceProfile {
  double speed = 1.0;
  double bandwidth = 100.0;  // Mbit/s
};

struct DeviceClass {
  std::string name;
  DeviceProfile profile;
  double weight = 1.0;
};

struct DeviceProfiles {
  std::string file;
  std::unordered_map<std::uint32_t, DeviceProfile> by_client;  // client-keyed files
  std::vector<DeviceClass> classes;                           // class-keyed files
  std::vector<double> cumulative_weight;                      // for the class draw

  bool empty() const { return by_client.empty() && classes.empty(); }
  // The class a uniform draw u in [0, 1) lands in.
  const DeviceClass& class_for(double u) const;
};

DeviceProfiles read_device_profiles(const std::string& file);

}  // namespace fedhpc
