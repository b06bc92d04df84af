#include "fl/output_path.hpp"

#include <cstdlib>
#include <ctime>

#include "core/error.hpp"
#include "metrics/timer.hpp"

namespace fedhpc {

namespace {
std::string job_id() {
  const char* job = std::getenv("SLURM_JOB_ID");
  if (!job || !*job) return "local-" + utc_now("%Y%m%d-%H%M%S");
  std::string id = job;
  if (const char* task = std::getenv("SLURM_ARRAY_TASK_ID"); task && *task) id += std::string("_") + task;
  return id;
}
}  // namespace

std::string expand_output_path(const std::string& pattern, const std::string& name, unsigned long long seed) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out += pattern[i];
      continue;
    }
    const auto close = pattern.find('}', i);
    if (close == std::string::npos)
      throw InputError(fmt::format("output.file: unclosed '{{' in '{}'", pattern));
    const std::string key = pattern.substr(i + 1, close - i - 1);
    if (key == "name")
      out += name;
    else if (key == "seed")
      out += std::to_string(seed);
    else if (key == "jobid")
      out += job_id();
    else
      throw InputError(fmt::format("output.file: unknown placeholder '{{{}}}' in '{}' (known: {{name}}, {{seed}}, "
                                   "{{jobid}})",
                                   key, pattern));
    i = close;
  }
  return out;
}

}  // namespace fedhpc
