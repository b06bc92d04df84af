#include "config/output_pattern.hpp"

#include <fmt/format.h>

namespace fedhpc {

std::optional<std::string> output_pattern_problem(const std::string& pattern) {
  for (std::size_t i = pattern.find('{'); i != std::string::npos; i = pattern.find('{', i + 1)) {
    const auto close = pattern.find('}', i);
    if (close == std::string::npos) return fmt::format("unclosed '{{' in '{}'", pattern);
    const std::string key = pattern.substr(i + 1, close - i - 1);
    if (key != "name" && key != "seed" && key != "jobid")
      return fmt::format("unknown placeholder '{{{}}}' in '{}' (known: {{name}}, {{seed}}, {{jobid}})", key, pattern);
  }
  return std::nullopt;
}

}  // namespace fedhpc
