// The scenario's CSV inputs, an availability trace and a device-profile
// table, on arbitrary bytes: InputError or a usable table, never a crash.
#include <cstddef>
#include <cstdint>

#include "core/error.hpp"
#include "input_file.hpp"
#include "scenario/availability_trace.hpp"
#include "scenario/device_profiles.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fedhpc::fuzz::InputFile file(data, size);
  try {
    const fedhpc::AvailabilityTrace trace(file.path());
    for (std::uint32_t c = 0; c < 3; ++c) (void)trace.next_online(fedhpc::ClientId{c}, 0.0);
  } catch (const fedhpc::InputError&) {
  }
  try {
    (void)fedhpc::read_device_profiles(file.path());
  } catch (const fedhpc::InputError&) {
  }
  return 0;
}
