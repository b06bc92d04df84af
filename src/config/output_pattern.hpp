#pragma once
// output.file's placeholders: {jobid}, and any scenario key ({name}, {seed},
// {strategy.name}, {data.partition.alpha}, {strategy.mu}, ...). One function
// says whether a pattern is well formed, so `validate` and `run` accept
// exactly the same patterns, and one gives a placeholder's text.
#include <optional>
#include <string>

namespace fedhpc {

struct RunConfig;

// What is wrong with the pattern (without the key's name), or nothing: an
// unclosed brace, a placeholder that is neither {jobid} nor a key, or a key
// that does not apply to `config`.
std::optional<std::string> output_pattern_problem(const std::string& pattern, const RunConfig& config);

// The text a key placeholder stands for in `config` (a value as the results
// file's config_yaml writes it, without quotes), or what is wrong: the key
// does not apply to this configuration, or the strategy takes no such option.
struct PlaceholderValue {
  std::string text;
  std::optional<std::string> problem;
};
PlaceholderValue placeholder_value(const std::string& key, const RunConfig& config);

}  // namespace fedhpc
