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

// One timed call of `body` after a barrier: the slowest rank's seconds (on rank 0).
double time_once(Comm& comm, const std::function<void()>& body);

// The median of samples (the upper one of an even count); 0 for none.
double median(std::vector<double> samples);

// Ratios of a noisy machine: each repeat times the baseline and then every
// candidate back to back, so a drift in the machine's speed hits both; the
// result is the median over repeats of baseline/candidate (> 1: faster than
// the baseline) and the median seconds of each.
struct Interleaved {
  double baseline_seconds = 0;
  std::vector<double> seconds, ratio;  // per candidate
};
Interleaved interleaved(Comm& comm, const Repeats& r, const std::function<void()>& baseline,
                        const std::vector<std::function<void()>>& candidates);

// "a,b,c" -> {"a", "b", "c"}: the list-valued flags (-m models, -B sizes).
std::vector<std::string> split_list(const std::string& text);

class Flags;
// The shared -w (warm-up) and -n (measured) flags; `what` names a repeat
// ("rounds per strategy", "repeats per size") in the usage text.
Repeats read_repeats(Flags& flags, int measured, const std::string& what);

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
