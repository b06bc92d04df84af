#include "fl/output_path.hpp"

#include <cstdlib>
#include <ctime>

#include "core/error.hpp"

namespace fedhpc {

namespace {
std::string local_time(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string job_id() {
  const char* job = std::getenv("SLURM_JOB_ID");
  if (!job || !*job) return "local-" + local_time("%Y%m%d-%H%M%S");
  std::string id = job;
  if (const char* task = std::getenv("SLURM_ARRAY_TASK_ID"); task && *task) id += std::string("_") + task;
  return id;
}
}  // namespace

std::string utc_now_iso() { return local_time("%Y-%m-%dT%H:%M:%SZ"); }

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
