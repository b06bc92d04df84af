#pragma once
// output.file's placeholders ({name}, {seed}, {jobid}): one function says
// whether a pattern is well formed, so `validate` and `run` accept exactly
// the same patterns (run expands it in fl/output_path).
#include <optional>
#include <string>

namespace fedhpc {

// What is wrong with the pattern (without the key's name), or nothing.
std::optional<std::string> output_pattern_problem(const std::string& pattern);

}  // namespace fedhpc
