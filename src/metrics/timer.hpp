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

// The current UTC time in strftime's `format`.
inline std::string utc_now(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

// ISO-8601 UTC timestamp, for the results file's start_utc and end_utc.
inline std::string utc_now_iso() { return utc_now("%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace fedhpc
