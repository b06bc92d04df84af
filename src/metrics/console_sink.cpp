#include "metrics/console_sink.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/json_text.hpp"

namespace fedhpc {

ConsoleSink::ConsoleSink(std::FILE* out, int total_rounds, std::string results_path, bool per_round)
    : out_(out), per_round_(per_round), total_rounds_(total_rounds), results_path_(std::move(results_path)) {}

void ConsoleSink::context(const RunContext& c) {
  name_ = c.name;
  if (!per_round_) return;
  fmt::print(out_, "fedhpc {} ({}{}): '{}' on {} rank(s) [{} training], {}, {} parameters, seed {}\n",
             c.fedhpc_version, c.git_sha, c.git_dirty ? ", modified" : "", c.name, c.num_ranks, c.num_trainers, c.device, c.num_params, c.seed);
  fmt::print(out_, "strategy: {}\n", c.strategy);
  std::fflush(out_);
}

void ConsoleSink::partition(const PartitionSummary& s) {
  if (!per_round_) return;
  if (s.num_samples.empty()) {
    fmt::print(out_, "partition: {} clients, sizes derived when they train\n", s.num_clients);
    std::fflush(out_);
    return;
  }
  const auto [lo, hi] = std::minmax_element(s.num_samples.begin(), s.num_samples.end());
  std::int64_t total = 0;
  for (auto n : s.num_samples) total += n;
  fmt::print(out_, "partition: {} clients, {} samples (min {}, max {} per client)\n", s.num_clients, total, *lo, *hi);
  std::fflush(out_);
}

void ConsoleSink::round(const RoundRecord& r, std::span<const ClientRecord>, std::span<const TimingRecord>) {
  last_ = r;
  const double eta = r.elapsed_seconds / r.round * (total_rounds_ - static_cast<int>(r.round));
  std::string eval = "acc    -   test_loss    -  ";
  if (!std::isnan(r.test_accuracy)) {
    evaluated_ = true;
    last_accuracy_ = r.test_accuracy;
    last_loss_ = r.test_loss;
    eval = fmt::format("acc {:.4f} test_loss {:.4f}", r.test_accuracy, r.test_loss);
  }
  if (!per_round_) return;
  const int width = static_cast<int>(std::to_string(total_rounds_).size());
  // What the scenario did to the cohort, only when it did something.
  std::string lost;
  for (auto [n, what] : {std::pair{r.clients_partial, "partial"}, std::pair{r.clients_dropped, "dropped"},
                         std::pair{r.clients_late, "late"}, std::pair{r.clients_unavailable, "unavailable"}})
    if (n > 0) lost += fmt::format("{}{} {}", lost.empty() ? " (" : ", ", n, what);
  if (!lost.empty()) lost += ")";
  fmt::print(out_, "round {:>{}}/{}  {}  train_loss {:.4f}  clients {}/{}{}  {:6.2f} s  ETA {:.0f} s\n", r.round, width,
             total_rounds_, eval, r.train_loss, r.clients_completed, r.clients_selected, lost, r.wall_seconds, eta);
  std::fflush(out_);
}

void ConsoleSink::checkpoint(const CheckpointState& s) {
  if (!per_round_) return;
  fmt::print(out_, "checkpoint after round {}{}\n", s.round,
             s.clients.empty() ? "" : fmt::format(" ({} clients' state)", s.clients.size()));
  std::fflush(out_);
}

void ConsoleSink::stopped(const std::string& reason, std::uint32_t last_round) {
  fmt::print(out_, "stopped by {} after round {} of {}; results and checkpoint: {}\n", reason, last_round,
             total_rounds_, results_path_);
  std::fflush(out_);
}

void ConsoleSink::finish(std::span<const float>) {
  fmt::print(out_, "done: {} rounds in {:.1f} s; final test accuracy {:.4f} (test loss {:.4f})\nresults: {}\n",
             last_.round, last_.elapsed_seconds, last_accuracy_, last_loss_, results_path_);
  // One JSON object, so that names and paths with spaces parse.
  fmt::print(out_,
             "FEDHPC_RESULT {{\"name\": {}, \"rounds\": {}, \"final_accuracy\": {}, \"final_loss\": {}, "
             "\"wall_seconds\": {}, \"file\": {}}}\n",
             json_string(name_), last_.round, json_number(last_accuracy_), json_number(last_loss_),
             json_number(last_.elapsed_seconds), json_string(results_path_));
  std::fflush(out_);
}

}  // namespace fedhpc
