#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "config/issues.hpp"
#include "config/output_pattern.hpp"
#include "model/catalog.hpp"
#include "privacy/dp_params.hpp"
#include "strategy/builtin.hpp"
#include "strategy/catalog.hpp"
#include "strategy/client_rule.hpp"

namespace fedhpc {

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    if (auto d = distance(word, c); d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

namespace {
// "expected one of <catalog names>, found 'x' (did you mean 'y'?)"
template <class Catalog>
void unknown_name(ConfigIssues& issues, const std::string& key, const std::string& found, const Catalog& catalog) {
  std::vector<std::string> names;
  for (const auto& entry : catalog) names.emplace_back(entry.name);
  const std::string hint = closest_match(found, names);
  issues.add(key, fmt::format("expected one of {}, found '{}'{}", fmt::join(names, ", "), found,
                              hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
}
// Constraints that tie a strategy's parts to the rest of the run.
void validate_strategy(const RunConfig& c, const StrategyInfo& s, ConfigIssues& issues) {
  if (s.client->per_client_state && c.runtime.placement != PlacementKind::Static) {
    issues.add("runtime.placement", fmt::format("expected static for strategy {} (each client's state lives on the "
                                                "rank that owns it, every round), found {}",
                                                s.name, to_string(c.runtime.placement)));
  }
  // A group trains its clients' SGD steps side by side; rules that need more
  // than that (a full-batch step, per-client state placed by id, a loss at x
  // before training) train one client at a time.
  if (c.runtime.client_batch > 1 && (!s.client->group_anchor || s.aggregation->needs_initial_loss)) {
    issues.add("runtime.client_batch",
               fmt::format("expected 1 for strategy {} (grouped training covers local SGD and FedProx's proximal "
                           "step, without per-client state or an initial loss), found {}",
                           s.name, c.runtime.client_batch));
  }
  if (s.client->full_batch && (c.train.local_steps != 0 || c.train.local_epochs != 1)) {
    issues.add(c.train.local_steps != 0 ? "train.local_steps" : "train.local_epochs",
               fmt::format("strategy {} takes one full-batch gradient step per client: expected "
                           "train.local_epochs 1 and train.local_steps 0, found {} and {}",
                           s.name, c.train.local_epochs, c.train.local_steps));
  }
  // The same check the round applies to its survivors.
  const auto k = static_cast<std::size_t>(std::max(c.strategy.clients_per_round, 1));
  if (auto bad = check_feasible(*s.aggregation, k, c.strategy)) issues.add(bad->key, bad->message);
}

// Scenario keys that only make sense together.
void validate_scenario(const ScenarioConfig& s, ConfigIssues& issues) {
  if (s.straggler_policy == StragglerPolicy::Partial && s.deadline_seconds <= 0.0 && s.deadline_relative <= 0.0) {
    issues.add("scenario.straggler_policy",
               "partial keeps the work a client finished before the deadline: expected scenario.deadline.seconds "
               "(or deadline.relative) to be set, found no deadline");
  }
  if (s.availability == AvailabilityPattern::Trace && s.availability_trace.empty()) {
    issues.add("scenario.availability.pattern", "expected scenario.availability.trace (a CSV file: client,start,end) "
                                                "for the trace pattern, found none");
  }
  if (s.availability != AvailabilityPattern::Trace && !s.availability_trace.empty()) {
    issues.add("scenario.availability.trace", fmt::format("a trace file goes with pattern trace, found pattern {}",
                                                          to_string(s.availability)));
  }
}

// On-demand data exists one client at a time: only a device-per-client
// partition can describe it, and nothing may need the whole training set.
void validate_on_demand(const RunConfig& c, ConfigIssues& issues) {
  if (!c.data.synthetic.on_demand) return;
  if (c.data.dataset != DatasetKind::Synthetic) {
    issues.add("data.synthetic.on_demand", fmt::format("generates synthetic devices: expected data.dataset synthetic, "
                                                       "found {}",
                                                       to_string(c.data.dataset)));
  } else if (c.data.partition.kind != PartitionKind::Natural) {
    issues.add("data.partition.kind", fmt::format("on-demand data has one device per client: expected natural, found {}",
                                                  to_string(c.data.partition.kind)));
  }
  if (c.output.eval_train) {
    issues.add("output.eval_train", "evaluating on the whole training set needs it in memory: expected false with "
                                    "data.synthetic.on_demand, found true");
  }
}

// The adversaries against the population, the classes and the aggregator.
// Whether the data set can feed the model; an HDF5 file's samples are
// checked when it is loaded.
void validate_model_input(const RunConfig& c, const ModelInfo& model, ConfigIssues& issues) {
  const DatasetKind d = c.data.dataset;
  if (model.input == ModelInput::Images && d != DatasetKind::FashionMnist && d != DatasetKind::Mnist &&
      d != DatasetKind::Hdf5) {
    issues.add("model.name", fmt::format("{} needs 1x28x28 images, but data.dataset {} has {}", model.name,
                                         to_string(d), d == DatasetKind::Synthetic
                                                           ? fmt::format("{} features", c.data.synthetic.dim)
                                                           : std::string("character sequences")));
  } else if (model.input == ModelInput::Characters && d != DatasetKind::Brown && d != DatasetKind::Hdf5) {
    issues.add("model.name", fmt::format("{} reads character sequences (data.dataset brown, or an hdf5 file of "
                                         "character indices), but data.dataset is {}",
                                         model.name, to_string(d)));
  }
  if (!model.groupable && c.runtime.client_batch > 1)
    issues.add("runtime.client_batch", fmt::format("{} has no grouped form: expected 1, found {}", model.name,
                                                   c.runtime.client_batch));
}

void validate_data_files(const DataConfig& d, ConfigIssues& issues) {
  if (d.dataset == DatasetKind::Hdf5 && d.path.empty())
    issues.add("data.path", "expected an HDF5 file in fedhpc's data format (data.dataset hdf5), found none");
  if (d.normalize.mean.size() != d.normalize.std.size())
    issues.add("data.normalize.std", fmt::format("expected as many values as data.normalize.mean ({}), found {}",
                                                 d.normalize.mean.size(), d.normalize.std.size()));
}

void validate_adversaries(const RunConfig& c, ConfigIssues& issues) {
  const AdversaryConfig& a = c.scenario.adversaries;
  if (a.attack == AttackKind::None) return;
  if (a.fraction > 0.0 && !a.clients.empty())
    issues.add("scenario.adversaries.clients", "give either scenario.adversaries.fraction or a list of clients, found both");
  std::vector<std::int64_t> ids = a.clients;
  std::sort(ids.begin(), ids.end());
  if (!ids.empty() && ids.back() >= c.data.num_clients)
    issues.add("scenario.adversaries.clients", fmt::format("expected client ids below data.num_clients ({}), found {}",
                                                           c.data.num_clients, ids.back()));
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end())
    issues.add("scenario.adversaries.clients", fmt::format("expected each client once, found {} twice",
                                                           *std::adjacent_find(ids.begin(), ids.end())));
  if ((a.attack == AttackKind::LabelFlip || a.attack == AttackKind::Backdoor) && c.runtime.client_batch > 1)
    issues.add("runtime.client_batch", fmt::format("expected 1 with data poisoning ({}: an adversary trains on a "
                                                   "poisoned copy of its samples, one client at a time), found {}",
                                                   to_string(a.attack), c.runtime.client_batch));
  // A rule that must outvote f Byzantine clients (Krum: n > 2f + 2) has to
  // be feasible with f at the cohort's expected number of adversaries.
  const StrategyInfo* s = find_strategy(c.strategy.name);
  const auto n = static_cast<std::size_t>(std::max(c.strategy.clients_per_round, 1));
  const double share = a.clients.empty() ? a.fraction
                                         : static_cast<double>(a.clients.size()) / std::max(c.data.num_clients, 1);
  StrategyConfig probe = c.strategy;
  probe.byzantine_f = static_cast<int>(std::llround(share * static_cast<double>(n)));
  if (s && probe.byzantine_f > 0) {
    if (auto bad = check_feasible(*s->aggregation, n, probe); bad && bad->key == "strategy.byzantine_f")
      issues.add(a.clients.empty() ? "scenario.adversaries.fraction" : "scenario.adversaries.clients",
                 fmt::format("about {} of the {} clients of a round are adversaries, more than strategy {} can outvote "
                             "({})",
                             probe.byzantine_f, n, s->name, bad->message));
  }
}

// DP-FedAvg's estimator replaces the aggregation's weights, so it applies to
// the sample-weighted mean family; secure aggregation needs a sum it can mask.
void validate_privacy(const RunConfig& c, ConfigIssues& issues) {
  const StrategyInfo* s = find_strategy(c.strategy.name);
  const DpConfig& dp = c.privacy.dp;
  if (dp.mode != DpMode::Off && s) {
    const bool uploads = s->client->make(c, 1)->upload_size() > 0;
    if (s->aggregation != &kSampleMean || uploads)
      issues.add("privacy.dp.mode", fmt::format("DP-FedAvg clips and noises the updates of a plain mean: expected a "
                                                "strategy aggregating with sample_mean and uploading nothing else "
                                                "(fedavg, fedprox, fedavgm, fedadam, ...), found {} (aggregator {})",
                                                s->name, s->aggregation->name));
  }
  if (dp.mode == DpMode::Local && dp.clip == ClipKind::Adaptive)
    issues.add("privacy.dp.clip", "adaptive clipping noises the unclipped count on the server: expected mode central, "
                                  "found local");
  const DpParams p = dp_params(c);
  if (p.adaptive && p.noise_multiplier > 0.0 && !update_noise_multiplier(p.noise_multiplier, p.count_stddev))
    issues.add("privacy.dp.noise_multiplier",
               fmt::format("with adaptive clipping the count's noise takes a share of z: expected z below 2 x "
                           "count_stddev ({:g}), found {:g}",
                           2.0 * p.count_stddev, p.noise_multiplier));
  if (c.strategy.sampling == SamplingKind::Poisson && c.scenario.overcommit > 1.0)
    issues.add("scenario.deadline.overcommit", fmt::format("Poisson sampling draws each client on its own: expected "
                                                           "no over-commitment (1), found {:g}",
                                                           c.scenario.overcommit));
  if (!c.privacy.secure_aggregation) return;
  if (c.runtime.reduce != ReduceMode::Exact)
    issues.add("privacy.secure_aggregation", "masks cancel only in the exact reduction's integer ring: expected "
                                             "runtime.reduce exact, found fast");
  if (s && s->aggregation->shape != AggregationShape::Sum)
    issues.add("privacy.secure_aggregation",
               fmt::format("the server sees only the masked sum: expected a strategy that aggregates a weighted sum, "
                           "found {} (aggregator {}, which needs each update)",
                           s->name, s->aggregation->name));
}

}  // namespace

void validate_classes(const RunConfig& c, int num_classes, ConfigIssues& issues) {
  if (c.data.partition.kind == PartitionKind::LabelK && c.data.partition.k > num_classes) {
    issues.add("data.partition.k", fmt::format("expected at most the number of classes ({}), found {}", num_classes,
                                               c.data.partition.k));
  }
  const AdversaryConfig& a = c.scenario.adversaries;
  if (a.attack == AttackKind::Backdoor && a.target_class >= num_classes)
    issues.add("scenario.adversaries.target_class",
               fmt::format("expected a class below {} (the data set's classes), found {}", num_classes, a.target_class));
  if (a.attack == AttackKind::LabelFlip && !a.permutation.empty()) {
    std::vector<std::int64_t> sorted = a.permutation;
    std::sort(sorted.begin(), sorted.end());
    bool is_permutation = sorted.size() == static_cast<std::size_t>(num_classes);
    for (std::size_t i = 0; is_permutation && i < sorted.size(); ++i) is_permutation = sorted[i] == static_cast<std::int64_t>(i);
    if (!is_permutation)
      issues.add("scenario.adversaries.permutation",
                 fmt::format("expected each class 0..{} once (a permutation of the {} classes), found [{}]",
                             num_classes - 1, num_classes, fmt::join(a.permutation, ", ")));
  }
}

void validate(const RunConfig& c, ConfigIssues& issues) {
  if (c.strategy.clients_per_round > c.data.num_clients) {
    issues.add("strategy.clients_per_round",
               fmt::format("expected at most data.num_clients ({}), found {}", c.data.num_clients,
                           c.strategy.clients_per_round));
  }
  if (c.train.local_epochs == 0 && c.train.local_steps == 0) {
    issues.add("train.local_epochs", "expected an integer >= 1 (or train.local_steps >= 1), found 0");
  }

  const ModelInfo* model = c.model.torchscript.empty() ? find_model(c.model.name) : nullptr;
  if (!c.model.torchscript.empty()) {
    if (c.runtime.client_batch > 1)
      issues.add("runtime.client_batch", fmt::format("grouped training stacks the built-in architectures only: "
                                                     "expected 1 with model.torchscript, found {}",
                                                     c.runtime.client_batch));
  } else if (!model) {
    unknown_name(issues, "model.name", c.model.name, model_catalog());
  } else {
    validate_model_input(c, *model, issues);
  }

  validate_scenario(c.scenario, issues);

  if (const StrategyInfo* s = find_strategy(c.strategy.name)) {
    validate_strategy(c, *s, issues);
  } else {
    unknown_name(issues, "strategy.name", c.strategy.name, strategy_catalog());
  }

  if (c.data.partition.kind == PartitionKind::Natural &&
      (c.data.dataset == DatasetKind::FashionMnist || c.data.dataset == DatasetKind::Mnist)) {
    issues.add("data.partition.kind", fmt::format("natural partitions need a data set with its own clients (synthetic, "
                                                  "brown, or an hdf5 file with /train/client); {} has none",
                                                  to_string(c.data.dataset)));
  }
  validate_data_files(c.data, issues);
  validate_on_demand(c, issues);
  validate_adversaries(c, issues);
  // Files carry their own class count: checked again once they are loaded.
  if (const auto classes = known_num_classes(c.data)) validate_classes(c, *classes, issues);
  validate_privacy(c, issues);
  if (const auto problem = output_pattern_problem(c.output.file, c)) issues.add("output.file", *problem);
  const std::string& aten = c.runtime.aten_kernels;
  if (!aten.empty() && aten != "default" && aten != "avx2" && aten != "avx512")
    issues.add("runtime.aten_kernels", fmt::format("expected default, avx2 or avx512, found '{}'", aten));
}

}  // namespace fedhpc
