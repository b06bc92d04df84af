#pragma once
// The shared driver of fedhpc's benchmarks, in the style of nccl-tests: the
// same flags everywhere (-w warm-up rounds, -n measured repeats), the median
// over repeats of the slowest rank's time, and every figure printed as a ratio
// to a baseline measured in the same run.
#include <functional>
#include <string>
#include <vector>

#include "comm/comm.hpp"

namespace fedhpc::bench {

struct Repeats {
  int warmup = 1;   // -w: untimed runs first (page faults, caches, MPI connections)
  int measured = 5; // -n: timed runs; the median is reported
};

// Times `body` (called on every rank) `measured` times after `warmup` untimed
// calls; each sample is the maximum over ranks. Returns the median seconds.
double median_seconds(Comm& comm, const Repeats& r, const std::function<void()>& body);

// "-x value" flag parsing shared by the benchmarks; unknown flags are errors.
class Flags {
 public:
  Flags(int argc, char** argv);
  int integer(const std::string& flag, int fallback, const std::string& meaning);
  std::string text(const std::string& flag, const std::string& fallback, const std::string& meaning);
  // Call after reading every flag: prints usage and exits 2 on an unknown one, 0 for -h.
  void finish(const std::string& program, bool print);

 private:
  std::vector<std::string> args_;
  std::vector<bool> used_;
  std::string usage_;
  bool help_ = false;
};

}  // namespace fedhpc::bench
