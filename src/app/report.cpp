#include "app/report.hpp"

#include "app/report_compare.hpp"

#include <map>
#include <sstream>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "attack/adversaries.hpp"
#include "config/load.hpp"
#include "core/in_child.hpp"
#include "core/printable.hpp"
#include "scenario/distribution.hpp"
#include "metrics/results_reader.hpp"
#include "model/catalog.hpp"
#include "privacy/dp_params.hpp"
#include "strategy/catalog.hpp"

namespace fedhpc {

namespace {

std::string attr(const Results& r, const std::string& key) { return r.shown(key, "?"); }

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

struct PhaseTotals {
  double train = 0, wait = 0, reduce = 0, server = 0, broadcast = 0, eval = 0, write = 0, wall = 0;
  std::uint64_t bytes = 0;
};

PhaseTotals phase_totals(const Results& r) {
  PhaseTotals t;
  for (const auto& x : r.rounds) {
    t.train += x.train_seconds;
    t.wait += x.wait_seconds;
    t.reduce += x.reduce_seconds;
    t.server += x.server_seconds;
    t.broadcast += x.broadcast_seconds;
    t.eval += x.eval_seconds;
    t.write += x.write_seconds;
    t.wall += x.wall_seconds;
    t.bytes += x.bytes_reduced;
  }
  return t;
}

// Per rank, summed over rounds (/timings): where load imbalance shows.
void print_rank_phases(const Results& r, std::FILE* out) {
  if (r.timings.empty()) return;
  std::map<int, TimingRecord> sum;
  for (const auto& x : r.timings) {
    TimingRecord& s = sum[x.rank];
    s.rank = x.rank;
    s.round_seconds += x.round_seconds;
    s.train_seconds += x.train_seconds;
    s.wait_seconds += x.wait_seconds;
    s.reduce_seconds += x.reduce_seconds;
    s.reduce_node_seconds += x.reduce_node_seconds;
    s.reduce_cross_seconds += x.reduce_cross_seconds;
    s.broadcast_seconds += x.broadcast_seconds;
    s.eval_seconds += x.eval_seconds;
    s.clients_trained += x.clients_trained;
  }
  fmt::print(out,
             "\nper rank (seconds summed over rounds; of reduce, the sums' levels in and across nodes)\n"
             "  {:>5}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>8}\n",
             "rank", "round", "train", "wait", "reduce", "in node", "across", "bcast", "eval", "clients");
  constexpr std::size_t kMaxRanks = 16;
  std::size_t shown = 0;
  for (const auto& [rank, s] : sum) {
    if (shown++ == kMaxRanks) {
      fmt::print(out, "  ... {} more ranks (all in /timings)\n", sum.size() - kMaxRanks);
      break;
    }
    fmt::print(out, "  {:>5}  {:>9.2f}  {:>9.2f}  {:>9.2f}  {:>9.2f}  {:>9.3f}  {:>9.3f}  {:>9.2f}  {:>9.2f}  {:>8}\n",
               rank, s.round_seconds, s.train_seconds, s.wait_seconds, s.reduce_seconds, s.reduce_node_seconds,
               s.reduce_cross_seconds, s.broadcast_seconds, s.eval_seconds, s.clients_trained);
  }
}

double final_accuracy(const Results& r) {
  for (auto it = r.rounds.rbegin(); it != r.rounds.rend(); ++it)
    if (!std::isnan(it->test_accuracy)) return it->test_accuracy;
  return std::nan("");
}

}  // namespace

namespace {

long long number_or_zero(const Results& r, const char* key) {
  return r.numbers.count(key) ? static_cast<long long>(r.numbers.at(key)) : 0;
}

// Where the results come from: the run, its scenario, hosts, versions,
// Slurm job and restarts.
void print_provenance(const std::string& path, const Results& r, const RunConfig& c, std::FILE* out) {
  fmt::print(out, "results   {}\n", path);
  fmt::print(out, "run       {}  ({})\n", c.name,
             r.complete ? fmt::format("complete, {} rounds", r.rounds.size())
                        : fmt::format("INCOMPLETE: {} of {} rounds recorded", r.rounds.size(), c.train.rounds));
  fmt::print(out, "scenario  {}{}\n", attr(r, "scenario_file"),
             attr(r, "cli_overrides").empty() ? "" : "  overrides: " + attr(r, "cli_overrides"));
  fmt::print(out, "started   {} on {}; {} rank(s), {} training; {}\n", attr(r, "start_utc"), attr(r, "hosts"),
             number_or_zero(r, "n_ranks"), number_or_zero(r, "n_trainers"), attr(r, "device"));
  const bool dirty = r.numbers.count("git_dirty") && r.numbers.at("git_dirty") != 0;
  fmt::print(out, "versions  fedhpc {} ({}{}), LibTorch {}, {}, HDF5 {}, fmt {}, yaml-cpp {}\n",
             attr(r, "fedhpc_version"), attr(r, "git_sha"), dirty ? ", modified" : "", attr(r, "torch_version"),
             attr(r, "mpi_version"), attr(r, "hdf5_version"), attr(r, "fmt_version"), attr(r, "yaml_cpp_version"));
  if (!attr(r, "slurm_job_id").empty() && attr(r, "slurm_job_id") != "?")
    fmt::print(out, "slurm     job {} on {}\n", attr(r, "slurm_job_id"), attr(r, "slurm_nodelist"));
  if (!r.checkpoint_rounds.empty() || (!attr(r, "resumes").empty() && attr(r, "resumes") != "?")) {
    fmt::print(out, "restarts  {} checkpoint(s), latest after round {}\n", r.checkpoint_rounds.size(),
               r.checkpoint_rounds.empty() ? 0u : r.checkpoint_rounds.back());
    std::stringstream lines(attr(r, "resumes"));
    for (std::string l; std::getline(lines, l);)
      if (!l.empty()) fmt::print(out, "          {}\n", l);
  }
}

// What was run: data, model, strategy with its resolved options, runtime,
// the virtual clock and what the clients went through.
// The adversaries: the attack, their share, how many each round sampled and
// the aggregator let through, and a backdoor's latest success.
void print_attack(const Results& r, const RunConfig& c, std::FILE* out) {
  if (c.scenario.adversaries.attack == AttackKind::None) return;
  const Adversaries adversaries(c.scenario.adversaries, c.seed, c.data.num_clients);
  const auto count = adversaries.ids().size();
  double sampled = 0, aggregated = 0, backdoor = std::nan("");
  for (const auto& x : r.rounds) {
    sampled += x.adversaries_sampled;
    aggregated += x.adversaries_aggregated;
    if (!std::isnan(x.backdoor_accuracy)) backdoor = x.backdoor_accuracy;
  }
  const double n = r.rounds.empty() ? 1.0 : static_cast<double>(r.rounds.size());
  fmt::print(out, "attack    {}\n          {} of {} clients adversarial ({:.1f}%); per round {:.2f} sampled, {:.2f} "
                  "aggregated{}\n",
             r.shown("attack", "?"), count, c.data.num_clients,
             100.0 * static_cast<double>(count) / std::max(c.data.num_clients, 1), sampled / n, aggregated / n,
             std::isnan(backdoor) ? "" : fmt::format("; backdoor success {:.4f} at the last evaluation", backdoor));
}

// The privacy guarantee after the last round, the clip norm it ended with,
// and what secure aggregation cost on the virtual clock.
void print_privacy(const Results& r, const RunConfig& c, std::FILE* out) {
  if (c.strategy.sampling == SamplingKind::Poisson)
    fmt::print(out, "sampling  poisson: each client with probability {:g} a round\n",
               static_cast<double>(c.strategy.clients_per_round) / std::max(c.data.num_clients, 1));
  if (c.privacy.dp.mode != DpMode::Off) {
    fmt::print(out, "privacy   {}\n", r.shown("privacy", "?"));
    if (!r.rounds.empty()) {
      const RoundRecord& last = r.rounds.back();
      fmt::print(out, "          ({:.4g}, {:g})-DP after {} round(s); clip norm {:.4g} in the last\n", last.epsilon,
                 dp_params(c).delta, last.round, last.clip_norm);
    }
  }
  if (!c.privacy.secure_aggregation) return;
  double bytes = 0, seconds = 0, total = 0;
  for (const auto& x : r.rounds) {
    bytes += static_cast<double>(x.secagg_bytes);
    seconds += x.secagg_seconds;
    total += x.sim_round_seconds;
  }
  fmt::print(out, "secure    {}\n          {:.3g} MB of protocol traffic, {:.4g} simulated s ({:.1f}% of the "
                  "simulated time)\n",
             r.shown("secure_aggregation", "?"), bytes / 1e6, seconds, total > 0 ? 100.0 * seconds / total : 0.0);
}

void print_setup(const Results& r, const RunConfig& c, std::FILE* out) {
  const long long params = number_or_zero(r, "n_params");
  fmt::print(out, "data      {}, {} clients, partition {}", to_string(c.data.dataset), c.data.num_clients,
             to_string(c.data.partition.kind));
  switch (c.data.partition.kind) {
    case PartitionKind::Dirichlet: fmt::print(out, " (alpha {})", c.data.partition.alpha); break;
    case PartitionKind::Shards: fmt::print(out, " ({} per client)", c.data.partition.shards_per_client); break;
    case PartitionKind::LabelK: fmt::print(out, " (k {})", c.data.partition.k); break;
    case PartitionKind::Quantity: fmt::print(out, " (beta {})", c.data.partition.beta); break;
    default: break;
  }
  fmt::print(out, "\nmodel     {} ({} parameters)\n",
             c.model.torchscript.empty() ? c.model.name : "TorchScript " + terminal_safe(c.model.torchscript, 300),
             params);
  std::string options;  // the strategy's own options, as resolved
  if (const StrategyInfo* info = find_strategy(c.strategy.name)) {
    for (const auto& d : info->options) {
      options += fmt::format("{}{} {}", options.empty() ? "" : ", ", d.key,
                             option_value(c.strategy, *find_strategy_option(d.key)));
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
  print_attack(r, c, out);
  print_privacy(r, c, out);
  fmt::print(out, "clients   {} completed, {} partial, {} dropped, {} late, {} unavailable; {:.1f} simulated s\n\n",
             status[0], status[1], status[2], status[3], status[4],
             r.rounds.empty() ? 0.0 : r.rounds.back().sim_elapsed_seconds);
}

// The accuracy curve (a dozen rows) and the first round reaching each target.
void print_curves(const Results& r, std::FILE* out) {
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
}

// Where the wall time went, per phase and per rank, and the final round.
void print_time(const Results& r, std::FILE* out) {
  const PhaseTotals t = phase_totals(r);
  const double other = std::max(0.0, t.wall - t.train - t.wait - t.reduce - t.server - t.broadcast - t.eval);
  auto pct = [&t](double s) { return t.wall > 0 ? 100.0 * s / t.wall : 0.0; };
  fmt::print(out, "\ntime per phase (summed over rounds; each round's phase is its slowest rank)\n");
  for (auto [name, s] : {std::pair{"train", t.train}, std::pair{"wait", t.wait}, std::pair{"reduce", t.reduce},
                         std::pair{"server", t.server}, std::pair{"bcast", t.broadcast}, std::pair{"eval", t.eval},
                         std::pair{"other", other}})
    fmt::print(out, "  {:<8} {:>10.2f} s  {:>5.1f} %\n", name, s, pct(s));
  fmt::print(out, "  {:<8} {:>10.2f} s  {:>5.1f} %  (rank 0, after each round)\n", "write", t.write, pct(t.write));
  fmt::print(out, "  {:<8} {:>10.2f} s  over {} rounds; {:.1f} MB reduced\n", "total", t.wall, r.rounds.size(),
             static_cast<double>(t.bytes) / 1e6);
  print_rank_phases(r, out);
  if (!r.rounds.empty()) {
    const auto& last = r.rounds.back();
    fmt::print(out, "\nfinal     round {}: test accuracy {:.4f}, test loss {:.4f}\n", last.round, last.test_accuracy,
               last.test_loss);
  }
}

}  // namespace

void print_report(const std::string& path, std::FILE* out) {
  survive_in_child(path, [&] { (void)read_results(path); });
  const Results r = read_results(path);
  const auto stored = r.text.find("config_yaml");  // raw: the loader checks and quotes it safely
  const std::string yaml = stored == r.text.end() ? "?" : stored->second;
  const RunConfig c = load_config(yaml, path + ":config_yaml", {}, {.stored = true});
  print_provenance(path, r, c, out);
  print_setup(r, c, out);
  print_curves(r, out);
  print_time(r, out);
}

void print_reports(const std::vector<std::string>& paths, std::FILE* out) {
  std::vector<Results> all;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (i > 0) fmt::print(out, "\n{:-<78}\n\n", "");
    print_report(paths[i], out);
    if (paths.size() > 1) all.push_back(read_results(paths[i]));
  }
  if (all.size() < 2) return;
  // Side by side, each column named by its run's values of the keys that
  // differ: the outcome, then the cost per phase, then time to each accuracy
  // (simulated and wall).
  const Comparison comparison = compare_runs(paths, all);  // the files read once, above
  auto header = [&](const std::string& title) {
    fmt::print(out, "\n{}\n  {:<14}", title, "");
    for (const auto& r : comparison.runs) fmt::print(out, "  {:>18}", r.label.substr(0, 18));
    fmt::print(out, "\n");
  };
  auto row = [&](const std::string& name, auto cell) {
    fmt::print(out, "  {:<14}", name);
    for (const auto& r : all) fmt::print(out, "  {:>18}", cell(r));
    fmt::print(out, "\n");
  };
  fmt::print(out, "\n{:-<78}\n", "");
  print_comparison_text(comparison, out);
  header("side by side");
  row("final accuracy", [](const Results& r) { return fmt::format("{:.4f}", final_accuracy(r)); });
  row("rounds", [](const Results& r) { return fmt::format("{}{}", r.rounds.size(), r.complete ? "" : " (incomplete)"); });
  row("simulated s", [](const Results& r) {
    return fmt::format("{:.1f}", r.rounds.empty() ? 0.0 : r.rounds.back().sim_elapsed_seconds);
  });
  row("wall s", [](const Results& r) { return fmt::format("{:.2f}", phase_totals(r).wall); });
  for (auto [name, field] : {std::pair{"  train s", &PhaseTotals::train}, std::pair{"  wait s", &PhaseTotals::wait},
                             std::pair{"  reduce s", &PhaseTotals::reduce}, std::pair{"  server s", &PhaseTotals::server},
                             std::pair{"  bcast s", &PhaseTotals::broadcast}, std::pair{"  eval s", &PhaseTotals::eval},
                             std::pair{"  write s", &PhaseTotals::write}})
    row(name, [field](const Results& r) { return fmt::format("{:.2f}", phase_totals(r).*field); });
  row("MB reduced", [](const Results& r) { return fmt::format("{:.1f}", static_cast<double>(phase_totals(r).bytes) / 1e6); });

  for (const bool simulated : {true, false}) {
    header(simulated ? "simulated seconds to accuracy (round in brackets; - never reached)"
                     : "wall seconds to accuracy (round in brackets; - never reached)");
    for (double target : kTargets) {
      std::string line = fmt::format("  {:<14.2f}", target);
      bool reached = false;
      for (const auto& r : all) {
        const RoundRecord* x = first_reaching(r.rounds, target);
        reached = reached || x;
        line += fmt::format("  {:>18}", x ? fmt::format("{:.1f} ({})", simulated ? x->sim_elapsed_seconds
                                                                                   : x->elapsed_seconds,
                                                        x->round)
                                          : "-");
      }
      if (reached) fmt::print(out, "{}\n", line);
    }
  }
  for (const auto& r : comparison.runs) fmt::print(out, "  {}: {}\n", r.label, r.file);
}

}  // namespace fedhpc
