// The YAML scenario loader with command-line overrides. The input is the
// scenario text; lines after a line "#%overrides" are key=value overrides.
// Bad input must end in InputError (exit 2), never anything else.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "config/load.hpp"
#include "core/printable.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  if (const auto mark = text.find("#%overrides\n"); mark != std::string::npos) {
    std::istringstream rest(text.substr(mark + 12));
    for (std::string line; std::getline(rest, line);) overrides.push_back(line);
    text.resize(mark);
  }
  try {
    const fedhpc::RunConfig config = fedhpc::load_config(text, "fuzz.yaml", overrides);
    // What loads must print and load back the same (fedhpc validate, and
    // the configuration stored in every results file).
    const std::string yaml = fedhpc::to_yaml(config);
    if (fedhpc::to_yaml(fedhpc::load_config(yaml, "stored", {}, {.stored = true})) != yaml) __builtin_trap();
  } catch (const fedhpc::InputError& e) {
    (void)fedhpc::terminal_safe(e.what());  // every message reaches the terminal through this
  }
  return 0;
}
