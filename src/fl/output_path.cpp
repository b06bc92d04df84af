#include "fl/output_path.hpp"

#include <cstdlib>
#include <ctime>

#include "config/output_pattern.hpp"
#include "config/schema.hpp"
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

std::string expand_output_path(const std::string& pattern, const RunConfig& config) {
  if (const auto problem = output_pattern_problem(pattern, config)) throw InputError("output.file: " + *problem);
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out += pattern[i];
      continue;
    }
    const auto close = pattern.find('}', i);
    const std::string key = pattern.substr(i + 1, close - i - 1);
    out += key == "jobid" ? job_id() : placeholder_value(key, config).text;
    i = close;
  }
  return out;
}

}  // namespace fedhpc
