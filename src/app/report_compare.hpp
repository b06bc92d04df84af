#pragma once
// `fedhpc report A B ...` as a table: which configuration keys differ between
// the runs (their labels), each run's outcome, its phases' shares of the
// critical path (rank 0's rounds, which end every round: they sum to 100%),
// and its time to each accuracy. As text, CSV or JSON.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace fedhpc {

struct ReachedAt {
  double target = 0;
  long round = -1;  // -1: never reached
  double simulated_seconds = 0, wall_seconds = 0;
};

struct RunSummary {
  std::string file;
  std::string label;  // the differing keys' values ("fedprox, 0.01"), or the file's name
  std::vector<std::string> settings;  // the differing keys' values, in `differs` order ("" where unset)
  double final_accuracy = 0;  // NaN when never evaluated
  std::size_t rounds = 0;
  bool complete = false;
  double simulated_seconds = 0, wall_seconds = 0;
  std::vector<std::pair<std::string, double>> phase_share;  // sums to 1 (empty without /timings)
  std::vector<ReachedAt> reached;
};

struct Comparison {
  std::vector<std::string> differs;  // config keys whose values differ (seed, name and output.* aside)
  std::vector<RunSummary> runs;
};

struct Results;
// `results[i]` is paths[i] read already (read_results).
Comparison compare_runs(const std::vector<std::string>& paths, const std::vector<Results>& results);
Comparison compare_runs(const std::vector<std::string>& paths);

void print_comparison_text(const Comparison& c, std::FILE* out);
void print_comparison_csv(const Comparison& c, std::FILE* out);
void print_comparison_json(const Comparison& c, std::FILE* out);

}  // namespace fedhpc
