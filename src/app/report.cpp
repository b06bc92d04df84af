#include "app/report.hpp"

#include <cmath>

#include <fmt/format.h>

#include "config/load.hpp"
#include "scenario/distribution.hpp"
#include "metrics/results_reader.hpp"
#include "model/catalog.hpp"
#include "strategy/catalog.hpp"

namespace fedhpc {

namespace {

std::string attr(const Results& r, const std::string& key) {
  auto it = r.text.find(key);
  return it == r.text.end() ? "?" : it->second;
}

// At most ~max_rows rows: always the first and the last, evenly in between.
std::vector<std::size_t> pick_rows(const std::vector<RoundRecord>& rounds, std::size_t max_rows) {
  std::vector<std::size_t> evaluated;
  for (std::size_t i = 0; i < rounds.size(); ++i)
    if (!std::isnan(rounds[i].test_accuracy)) evaluated.push_back(i);
  if (evaluated.size() <= max_rows) return evaluated;
  std::vector<std::size_t> picked;
  for (std::size_t k = 0; k < max_rows; ++k)
    picked.push_back(evaluated[k * (evaluated.size() - 1) / (max_rows - 1)]);
  return picked;
}

// Accuracy levels the time-to-accuracy tables report, where reached.
constexpr double kTargets[] = {0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.95};

// The first round whose test accuracy reaches `target`, or nullptr.
const RoundRecord* first_reaching(const std::vector<RoundRecord>& rounds, double target) {
  for (const auto& x : rounds)
    if (!std::isnan(x.test_accuracy) && x.test_accuracy >= target) return &x;
  return nullptr;
}

// What the scenario block asks for, in one line ("" when it injects nothing).
std::string describe_scenario(const ScenarioConfig& s) {
  std::string d;
  auto add = [&d](const std::string& part) { d += (d.empty() ? "" : "; ") + part; };
  if (s.straggler_fraction > 0)
    add(fmt::format("stragglers {}% ({} mode, slowdown {})", 100 * s.straggler_fraction, to_string(s.straggler_mode),
                    describe(s.slowdown)));
  if (s.dropout_probability > 0)
    add(fmt::format("dropouts p={} at {}", s.dropout_probability, describe(s.dropout_at)));
  if (s.outage_probability > 0)
    add(fmt::format("outages p={} of {}-client groups for {} round(s)", s.outage_probability, s.outage_group_size,
                    s.outage_rounds));
  if (s.availability == AvailabilityPattern::Diurnal)
    add(fmt::format("diurnal availability ({}% of {} s)", 100 * s.diurnal_on_fraction, s.diurnal_period));
  if (s.availability == AvailabilityPattern::Trace) add("availability trace " + s.availability_trace);
  if (s.deadline_seconds > 0) add(fmt::format("deadline {} s", s.deadline_seconds));
  if (s.deadline_relative > 0) add(fmt::format("deadline {}x each client's own time", s.deadline_relative));
  if (s.overcommit > 1) add(fmt::format("over-commit {}x", s.overcommit));
  if (s.deadline_seconds > 0 || s.deadline_relative > 0) add(fmt::format("late: {}", to_string(s.straggler_policy)));
  return d;
}

}  // namespace

void print_report(const std::string& path, std::FILE* out) {
  const Results r = read_results(path);
  const RunConfig c = load_config(attr(r, "config_yaml"), path + ":config_yaml");
  const auto ranks = r.numbers.count("n_ranks") ? static_cast<int>(r.numbers.at("n_ranks")) : 0;
  const auto trainers = r.numbers.count("n_trainers") ? static_cast<int>(r.numbers.at("n_trainers")) : 0;
  const auto params = r.numbers.count("n_params") ? static_cast<long long>(r.numbers.at("n_params")) : 0;

  fmt::print(out, "results   {}\n", path);
  fmt::print(out, "run       {}  ({})\n", c.name,
             r.complete ? fmt::format("complete, {} rounds", r.rounds.size())
                        : fmt::format("INCOMPLETE: {} of {} rounds recorded", r.rounds.size(), c.train.rounds));
  fmt::print(out, "scenario  {}{}\n", attr(r, "scenario_file"),
             attr(r, "cli_overrides").empty() ? "" : "  overrides: " + attr(r, "cli_overrides"));
  fmt::print(out, "started   {} on {}; {} rank(s), {} training; {}\n", attr(r, "start_utc"), attr(r, "hosts"), ranks,
             trainers, attr(r, "device"));
  fmt::print(out, "versions  fedhpc {} ({}), LibTorch {}, {}, HDF5 {}\n", attr(r, "fedhpc_version"), attr(r, "git_sha"),
             attr(r, "torch_version"), attr(r, "mpi_version"), attr(r, "hdf5_version"));
  fmt::print(out, "data      {}, {} clients, partition {}", to_string(c.data.dataset), c.data.num_clients,
             to_string(c.data.partition.kind));
  switch (c.data.partition.kind) {
    case PartitionKind::Dirichlet: fmt::print(out, " (alpha {})", c.data.partition.alpha); break;
    case PartitionKind::Shards: fmt::print(out, " ({} per client)", c.data.partition.shards_per_client); break;
    case PartitionKind::LabelK: fmt::print(out, " (k {})", c.data.partition.k); break;
    case PartitionKind::Quantity: fmt::print(out, " (beta {})", c.data.partition.beta); break;
    default: break;
  }
  fmt::print(out, "\nmodel     {} ({} parameters)\n", c.model.name, params);
  std::string options;  // the strategy's own options, as resolved
  if (const StrategyInfo* info = find_strategy(c.strategy.name)) {
    for (const auto& d : info->options) {
      const StrategyOption* o = find_strategy_option(d.key);
      options += fmt::format("{}{} {}", options.empty() ? "" : ", ", d.key,
                             o->number ? fmt::format("{}", c.strategy.*o->number)
                                       : fmt::format("{}", c.strategy.*o->integer));
    }
  }
  fmt::print(out, "strategy  {} ({}), {} clients/round; local: {}, batch {}, lr {}, momentum {}\n", c.strategy.name,
             options.empty() ? "no options" : options, c.strategy.clients_per_round,
             c.train.local_steps > 0 ? fmt::format("{} steps", c.train.local_steps)
                                     : fmt::format("{} epoch(s)", c.train.local_epochs),
             c.train.batch_size, c.train.lr, c.train.momentum);
  fmt::print(out, "runtime   reduce {}, aggregator {}, placement {}, seed {}\n", to_string(c.runtime.reduce),
             to_string(c.runtime.aggregator), to_string(c.runtime.placement), c.seed);
  const std::string injected = describe_scenario(c.scenario);
  fmt::print(out, "clock     {} s per sample pass, model {:.3g} MB per transfer{}\n",
             r.numbers.count("sim_sample_seconds") ? r.numbers.at("sim_sample_seconds") : c.scenario.sample_seconds,
             4.0 * static_cast<double>(params) / 1e6, injected.empty() ? "; no stragglers, dropouts or deadlines"
                                                                        : "\n          " + injected);
  std::uint64_t status[5] = {0, 0, 0, 0, 0};
  for (const auto& x : r.rounds) {
    status[0] += x.clients_completed;
    status[1] += x.clients_partial;
    status[2] += x.clients_dropped;
    status[3] += x.clients_late;
    status[4] += x.clients_unavailable;
  }
  fmt::print(out, "clients   {} completed, {} partial, {} dropped, {} late, {} unavailable; {:.1f} simulated s\n\n",
             status[0], status[1], status[2], status[3], status[4],
             r.rounds.empty() ? 0.0 : r.rounds.back().sim_elapsed_seconds);

  fmt::print(out, "accuracy curve\n  {:>6}  {:>9}  {:>9}  {:>10}  {:>11}  {:>9}\n", "round", "test_acc", "test_loss",
             "train_loss", "simulated_s", "elapsed_s");
  for (std::size_t i : pick_rows(r.rounds, 12)) {
    const auto& x = r.rounds[i];
    fmt::print(out, "  {:>6}  {:>9.4f}  {:>9.4f}  {:>10.4f}  {:>11.1f}  {:>9.1f}\n", x.round, x.test_accuracy,
               x.test_loss, x.train_loss, x.sim_elapsed_seconds, x.elapsed_seconds);
  }
  if (r.rounds.empty()) fmt::print(out, "  (no rounds recorded)\n");

  fmt::print(out, "\ntime to accuracy\n  {:>8}  {:>6}  {:>11}  {:>9}\n", "accuracy", "round", "simulated_s",
             "elapsed_s");
  bool any = false;
  for (double target : kTargets) {
    if (const RoundRecord* x = first_reaching(r.rounds, target)) {
      fmt::print(out, "  {:>8.2f}  {:>6}  {:>11.1f}  {:>9.1f}\n", target, x->round, x->sim_elapsed_seconds,
                 x->elapsed_seconds);
      any = true;
    }
  }
  if (!any) fmt::print(out, "  (never reached {:.2f})\n", kTargets[0]);

  double train = 0, wait = 0, reduce = 0, eval = 0, write = 0, wall = 0;
  std::uint64_t bytes = 0;
  for (const auto& x : r.rounds) {
    train += x.train_seconds;
    wait += x.wait_seconds;
    reduce += x.reduce_seconds;
    eval += x.eval_seconds;
    write += x.write_seconds;
    wall += x.wall_seconds;
    bytes += x.bytes_reduced;
  }
  const double other = std::max(0.0, wall - train - wait - reduce - eval);
  auto pct = [wall](double s) { return wall > 0 ? 100.0 * s / wall : 0.0; };
  fmt::print(out, "\ntime per phase (summed over rounds; each round's phase is its slowest rank)\n");
  fmt::print(out, "  {:<8} {:>10.2f} s  {:>5.1f} %\n", "train", train, pct(train));
  fmt::print(out, "  {:<8} {:>10.2f} s  {:>5.1f} %\n", "wait", wait, pct(wait));
  fmt::print(out, "  {:<8} {:>10.2f} s  {:>5.1f} %\n", "reduce", reduce, pct(reduce));
  fmt::print(out, "  {:<8} {:>10.2f} s  {:>5.1f} %\n", "eval", eval, pct(eval));
  fmt::print(out, "  {:<8} {:>10.2f} s  {:>5.1f} %\n", "other", other, pct(other));
  fmt::print(out, "  {:<8} {:>10.2f} s  (rank 0, after each round)\n", "write", write);
  fmt::print(out, "  {:<8} {:>10.2f} s  over {} rounds; {:.1f} MB reduced\n", "total", wall, r.rounds.size(),
             static_cast<double>(bytes) / 1e6);
  if (!r.rounds.empty()) {
    const auto& last = r.rounds.back();
    fmt::print(out, "\nfinal     round {}: test accuracy {:.4f}, test loss {:.4f}\n", last.round, last.test_accuracy,
               last.test_loss);
  }
}

void print_reports(const std::vector<std::string>& paths, std::FILE* out) {
  std::vector<Results> all;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (i > 0) fmt::print(out, "\n{:-<78}\n\n", "");
    print_report(paths[i], out);
    if (paths.size() > 1) all.push_back(read_results(paths[i]));
  }
  if (all.size() < 2) return;
  // Side by side: simulated seconds (and round) to each accuracy, per run.
  fmt::print(out, "\n{:-<78}\n\nsimulated seconds to accuracy (round in brackets; - never reached)\n  {:>8}", "",
             "accuracy");
  for (std::size_t i = 0; i < all.size(); ++i) fmt::print(out, "  {:>18}", fmt::format("run {}", i + 1));
  fmt::print(out, "\n");
  for (double target : kTargets) {
    std::string line = fmt::format("  {:>8.2f}", target);
    bool reached = false;
    for (const auto& r : all) {
      const RoundRecord* x = first_reaching(r.rounds, target);
      reached = reached || x;
      line += fmt::format("  {:>18}", x ? fmt::format("{:.1f} ({})", x->sim_elapsed_seconds, x->round) : "-");
    }
    if (reached) fmt::print(out, "{}\n", line);
  }
  for (std::size_t i = 0; i < all.size(); ++i) fmt::print(out, "  run {}: {}\n", i + 1, paths[i]);
}

}  // namespace fedhpc
