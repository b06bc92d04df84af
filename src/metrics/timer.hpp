#pragma once
#include <chrono>
#include <ctime>
#include <string>

namespace fedhpc {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  void restart() { start_ = std::chrono::steady_clock::now(); }

 private:
  std::chrono::steady_clock::time_point start_;
};

// A UTC time in strftime's `format`.
inline std::string utc_time(std::time_t t, const char* format) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}
inline std::string utc_now(const char* format) { return utc_time(std::time(nullptr), format); }

// ISO-8601 UTC timestamps, for the results file's start_utc and end_utc and
// the writer lock's sidecar.
inline std::string utc_iso(std::time_t t) { return utc_time(t, "%Y-%m-%dT%H:%M:%SZ"); }
inline std::string utc_now_iso() { return utc_iso(std::time(nullptr)); }

}  // namespace fedhpc
