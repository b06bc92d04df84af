#pragma once
// YAML scenario + command-line overrides -> RunConfig, with every problem found
// at once and each named by file:line:col (or the override) and key path.
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "config/schema.hpp"
#include "core/error.hpp"

namespace fedhpc {

// Thrown with the full list of problems; what() joins them, one per line.
class ConfigError : public InputError {
 public:
  explicit ConfigError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

struct LoadOptions {
  // The resolved configuration stored in a results file (to_yaml of this or
  // an older version, which wrote every key): keys that do not apply to it
  // are read and ignored instead of refused.
  bool stored = false;
};

// `source` names the text in messages (normally the file path). Overrides are
// "a.b=value" with the value parsed as a YAML scalar; each must name a known key.
RunConfig load_config(const std::string& yaml_text, const std::string& source,
                      std::span<const std::string> overrides = {}, LoadOptions options = {});

// Reads the file, then load_config. A missing/unreadable file is an InputError.
std::string read_text_file(const std::string& path);

// The resolved configuration as YAML: every key that applies, defaults included.
// Every key the configuration sets (those that apply, the strategy's options
// in place of their placeholder), in the key table's order, each value as
// to_yaml writes it.
std::vector<std::pair<std::string, std::string>> config_values(const RunConfig& config);
std::string to_yaml(const RunConfig& config);

}  // namespace fedhpc
