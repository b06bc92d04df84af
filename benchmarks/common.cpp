#include "common.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include <fmt/format.h>

namespace fedhpc::bench {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) out.push_back(item);
  return out;
}

double time_once(Comm& comm, const std::function<void()>& body) {
  comm.barrier();
  const auto start = std::chrono::steady_clock::now();
  body();
  const double mine = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double slowest = mine;
  comm.reduce_max(std::span<const double>(&mine, 1), std::span<double>(&slowest, comm.rank() == 0 ? 1 : 0), 0);
  return slowest;
}

double median(std::vector<double> samples) {
  if (samples.empty()) return 0.0;
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

double median_seconds(Comm& comm, const Repeats& r, const std::function<void()>& body) {
  for (int i = 0; i < r.warmup; ++i) body();
  std::vector<double> samples;
  for (int i = 0; i < r.measured; ++i) samples.push_back(time_once(comm, body));
  return median(samples);
}

Interleaved interleaved(Comm& comm, const Repeats& r, const std::function<void()>& baseline,
                        const std::vector<std::function<void()>>& candidates) {
  for (int i = 0; i < r.warmup; ++i) {
    baseline();
    for (const auto& c : candidates) c();
  }
  std::vector<double> base;
  std::vector<std::vector<double>> seconds(candidates.size()), ratios(candidates.size());
  for (int i = 0; i < r.measured; ++i) {
    base.push_back(time_once(comm, baseline));
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      seconds[c].push_back(time_once(comm, candidates[c]));
      ratios[c].push_back(seconds[c].back() > 0 ? base.back() / seconds[c].back() : 0.0);
    }
  }
  Interleaved out;
  out.baseline_seconds = median(base);
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    out.seconds.push_back(median(seconds[c]));
    out.ratio.push_back(median(ratios[c]));
  }
  return out;
}

Repeats read_repeats(Flags& flags, int measured, const std::string& what) {
  Repeats r;
  r.warmup = flags.integer("-w", 1, "warm-up " + what);
  r.measured = flags.integer("-n", measured, "measured " + what + " (median reported)");
  return r;
}

Flags::Flags(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) args_.emplace_back(argv[i]);
  used_.assign(args_.size(), false);
  for (std::size_t i = 0; i < args_.size(); ++i)
    if (args_[i] == "-h" || args_[i] == "--help") help_ = used_[i] = true;
}

std::string Flags::text(const std::string& flag, const std::string& fallback, const std::string& meaning) {
  usage_ += fmt::format("  {} VALUE  {} (default {})\n", flag, meaning, fallback);
  for (std::size_t i = 0; i + 1 < args_.size(); ++i) {
    if (args_[i] == flag) {
      used_[i] = used_[i + 1] = true;
      return args_[i + 1];
    }
  }
  return fallback;
}

int Flags::integer(const std::string& flag, int fallback, const std::string& meaning) {
  const std::string v = text(flag, std::to_string(fallback), meaning);
  char* end = nullptr;
  const long n = std::strtol(v.c_str(), &end, 10);
  if (end == v.c_str() || *end != '\0' || n < 0) {
    std::fprintf(stderr, "%s: expected a non-negative integer, found '%s'\n", flag.c_str(), v.c_str());
    std::exit(2);
  }
  return static_cast<int>(n);
}

void Flags::finish(const std::string& program, bool print) {
  for (std::size_t i = 0; i < args_.size(); ++i) {
    if (!used_[i]) {
      if (print) std::fprintf(stderr, "unknown argument '%s'\nusage: %s [flags]\n%s", args_[i].c_str(), program.c_str(), usage_.c_str());
      std::exit(2);
    }
  }
  if (help_) {
    if (print) std::printf("usage: %s [flags]\n%s", program.c_str(), usage_.c_str());
    std::exit(0);
  }
}

}  // namespace fedhpc::bench
