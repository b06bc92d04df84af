#include "config/output_pattern.hpp"

#include <fmt/format.h>

#include "config/keys.hpp"
#include "config/schema.hpp"
#include "strategy/catalog.hpp"

namespace fedhpc {

namespace {

// strategy.<option>: an option of the strategy catalog (not in the key table,
// which holds one placeholder row for them).
const StrategyOption* find_option(const std::string& key) {
  constexpr std::string_view prefix = "strategy.";
  return key.rfind(prefix, 0) == 0 ? find_strategy_option(std::string_view(key).substr(prefix.size())) : nullptr;
}

bool is_value_key(const std::string& key) {
  const KeySpec* spec = find_key(key);
  return spec && spec->type != KeyType::StrategyOptions;
}

}  // namespace

std::optional<std::string> output_pattern_problem(const std::string& pattern, const RunConfig& config) {
  for (std::size_t i = pattern.find('{'); i != std::string::npos; i = pattern.find('{', i + 1)) {
    const auto close = pattern.find('}', i);
    if (close == std::string::npos) return fmt::format("unclosed '{{' in '{}'", pattern);
    const std::string key = pattern.substr(i + 1, close - i - 1);
    if (key == "jobid") continue;
    if (!is_value_key(key) && !find_option(key))
      return fmt::format("unknown placeholder '{{{}}}' in '{}' (known: {{jobid}} and any scenario key, such as "
                         "{{name}}, {{seed}}, {{strategy.name}}, {{data.partition.alpha}})",
                         key, pattern);
    if (const auto value = placeholder_value(key, config); value.problem)
      return fmt::format("{} in '{}'", *value.problem, pattern);
  }
  return std::nullopt;
}

PlaceholderValue placeholder_value(const std::string& key, const RunConfig& config) {
  if (const StrategyOption* opt = find_option(key)) {
    const StrategyInfo* info = find_strategy(config.strategy.name);
    if (!info || !find_default(*info, opt->key))
      return {"", fmt::format("{{{}}}: strategy {} takes no option {}", key, config.strategy.name, opt->key)};
    return {fmt::format("{}", option_value(config.strategy, *opt)), std::nullopt};
  }
  const KeySpec* spec = find_key(key);
  if (!key_applies(*spec, config))
    return {"", fmt::format("{{{}}}: the key does not apply here (it applies when {})", key, spec->applies_when)};
  std::string text = key_value_text(*spec, config);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  return {text, std::nullopt};
}

}  // namespace fedhpc
