#include "config/load.hpp"

#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <climits>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "config/issues.hpp"
#include "scenario/distribution.hpp"
#include "strategy/catalog.hpp"

namespace fedhpc {

ConfigError::ConfigError(std::vector<std::string> problems)
    : InputError([&] {
        std::string all;
        for (const auto& p : problems) all += (all.empty() ? "" : "\n") + p;
        return all;
      }()),
      problems_(std::move(problems)) {}

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string part; std::getline(ss, part, '.');) parts.push_back(part);
  return parts;
}

std::string describe(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a sequence";
  if (node.IsNull()) return "nothing (null)";
  return "'" + node.Scalar() + "'";
}

// Strict numeric parsing: yaml-cpp's as<unsigned>() would wrap "-1", and
// as<int>() accepts trailing junk on some versions.
template <class T>
std::optional<T> parse_number(std::string s) {
  if (!s.empty() && s.front() == '+') s.erase(0, 1);
  T value{};
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (ec != std::errc() || ptr != end || s.empty()) return std::nullopt;
  return value;
}

class Reader {
 public:
  Reader(YAML::Node root, std::string source, std::map<std::string, std::string> overrides)
      : root_(std::move(root)), source_(std::move(source)), overrides_(std::move(overrides)) {
    issues.where = [this](const std::string& path) { return where(path); };
  }

  ConfigIssues issues;

  std::string where(const std::string& path) const {
    if (auto it = overrides_.find(path); it != overrides_.end()) return "override '" + it->second + "'";
    if (auto node = find(path)) {
      const YAML::Mark m = node->Mark();
      if (m.line >= 0) return fmt::format("{}:{}:{}", source_, m.line + 1, m.column + 1);
    }
    return source_;
  }

  void integer(const std::string& path, int& out, long long min, long long max = INT_MAX) {
    auto node = leaf(path);
    if (!node) return;
    auto v = node->IsScalar() ? parse_number<long long>(node->Scalar()) : std::nullopt;
    if (!v) return mismatch(path, *node, "an integer");
    if (*v < min || *v > max) {
      return issues.add(path, max == INT_MAX ? fmt::format("expected an integer >= {}, found {}", min, *v)
                                             : fmt::format("expected an integer in [{}, {}], found {}", min, max, *v));
    }
    out = static_cast<int>(*v);
  }

  void unsigned64(const std::string& path, std::uint64_t& out) {
    auto node = leaf(path);
    if (!node) return;
    auto v = node->IsScalar() ? parse_number<std::uint64_t>(node->Scalar()) : std::nullopt;
    if (!v) return mismatch(path, *node, "a non-negative integer");
    out = *v;
  }

  // min_exclusive: the bound itself is invalid (a learning rate of 0, say).
  void number(const std::string& path, double& out, double min, bool min_exclusive,
              double max = std::numeric_limits<double>::infinity()) {
    auto node = leaf(path);
    if (!node) return;
    auto v = node->IsScalar() ? parse_number<double>(node->Scalar()) : std::nullopt;
    if (!v || !std::isfinite(*v)) return mismatch(path, *node, "a number");
    const bool low = min_exclusive ? *v <= min : *v < min;
    if (low || *v > max) {
      std::string range = std::isinf(max) ? fmt::format("{} {}", min_exclusive ? ">" : ">=", min)
                                          : fmt::format("in [{}, {}]", min, max);
      return issues.add(path, fmt::format("expected a number {}, found {}", range, *v));
    }
    out = *v;
  }

  void boolean(const std::string& path, bool& out) {
    auto node = leaf(path);
    if (!node) return;
    static const std::map<std::string, bool> words = {{"true", true},   {"True", true},   {"TRUE", true},
                                                      {"yes", true},    {"false", false}, {"False", false},
                                                      {"FALSE", false}, {"no", false}};
    auto it = node->IsScalar() ? words.find(node->Scalar()) : words.end();
    if (it == words.end()) return mismatch(path, *node, "true or false");
    out = it->second;
  }

  void text(const std::string& path, std::string& out) {
    auto node = leaf(path);
    if (!node) return;
    if (!node->IsScalar() || node->Scalar().empty()) return mismatch(path, *node, "a non-empty string");
    out = node->Scalar();
  }

  template <class E>
  void choice(const std::string& path, E& out, std::initializer_list<std::pair<const char*, E>> table) {
    auto node = leaf(path);
    if (!node) return;
    std::vector<std::string> names;
    for (const auto& [name, value] : table) {
      names.emplace_back(name);
      if (node->IsScalar() && node->Scalar() == name) {
        out = value;
        return;
      }
    }
    std::string expected = "one of " + fmt::format("{}", fmt::join(names, ", "));
    std::string found = describe(*node);
    if (node->IsScalar()) {
      if (auto near = closest_match(node->Scalar(), names); !near.empty())
        found += fmt::format(" (did you mean '{}'?)", near);
    }
    issues.add(path, fmt::format("expected {}, found {}", expected, found));
  }

  // A distribution: a number (constant), "name(a, b)", or a one-key mapping
  // {name: [a, b]} / {name: a}; its draws must lie in [min, max] (or (min, max]).
  void distribution(const std::string& path, Distribution& out, double min, bool min_exclusive,
                    double max = std::numeric_limits<double>::infinity()) {
    auto node = leaf(path);
    if (!node) return;
    std::string text;
    if (node->IsScalar()) {
      text = node->Scalar();
    } else if (node->IsMap() && node->size() == 1) {
      // Copies, not references: yaml-cpp's iterator hands out temporaries.
      const auto kv = *node->begin();
      const YAML::Node family = kv.first, params = kv.second;
      std::string args;
      if (params.IsScalar()) args = params.Scalar();
      for (std::size_t i = 0; params.IsSequence() && i < params.size(); ++i) {
        const YAML::Node item = params[i];
        args += (i ? ", " : "") + (item.IsScalar() ? item.Scalar() : describe(item));
      }
      text = family.Scalar() + "(" + args + ")";
    } else {
      return mismatch(path, *node, "a number or a distribution such as lognormal(0, 0.5) or {uniform: [1, 4]}");
    }
    std::string error;
    auto d = parse_distribution(text, error);
    if (!d) return issues.add(path, error);
    const double lo = support_min(*d), hi = support_max(*d);
    // A lognormal's infimum 0 is never drawn: it satisfies "> 0".
    const bool lo_drawn = !(d->kind == DistributionKind::Lognormal && d->b > 0.0);
    if ((min_exclusive && lo_drawn ? lo <= min : lo < min) || hi > max) {
      std::string range = std::isinf(max) ? fmt::format("{} {}", min_exclusive ? ">" : ">=", min)
                                          : fmt::format("in [{}, {}]", min, max);
      return issues.add(path, fmt::format("expected values {}, found {} (values from {} to {})", range, describe(*d),
                                          lo, hi));
    }
    out = *d;
  }

  // A key that is valid in general but not here: reported if present.
  void reject(const std::string& path, const std::string& message) {
    if (leaf(path)) issues.add(path, message);
  }

  // The node at a path without reading it (for keys with special words).
  std::optional<YAML::Node> peek(const std::string& path) const { return find(path); }
  void mark_read(const std::string& path) { (void)leaf(path); }

  // Every key in the document that no read asked for is a typo or a key from
  // a newer version; either way silently ignoring it would mislead.
  void report_unknown_keys() { walk(root_, ""); }

 private:
  YAML::Node root_;
  std::string source_;
  std::map<std::string, std::string> overrides_;
  std::set<std::string> known_leaves_;
  std::set<std::string> known_sections_;
  std::set<std::string> bad_sections_;

  // The node at a dotted path, if every section on the way is a mapping.
  std::optional<YAML::Node> find(const std::string& path) const {
    YAML::Node cur;
    cur.reset(root_);
    for (const auto& part : split_path(path)) {
      if (!cur.IsMap()) return std::nullopt;
      YAML::Node next = cur[part];
      if (!next) return std::nullopt;
      cur.reset(next);
    }
    return cur;
  }

  // Registers a key as known and returns its node; a section on the way that
  // is not a mapping is reported once.
  std::optional<YAML::Node> leaf(const std::string& path) {
    known_leaves_.insert(path);
    auto parts = split_path(path);
    std::string prefix;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      prefix += (prefix.empty() ? "" : ".") + parts[i];
      known_sections_.insert(prefix);
      auto section = find(prefix);
      if (section && !section->IsMap()) {
        if (bad_sections_.insert(prefix).second) issues.add(prefix, "expected a mapping, found " + describe(*section));
        return std::nullopt;
      }
    }
    return find(path);
  }

  void mismatch(const std::string& path, const YAML::Node& node, const std::string& expected) {
    issues.add(path, fmt::format("expected {}, found {}", expected, describe(node)));
  }

  void walk(const YAML::Node& node, const std::string& prefix) {
    if (!node.IsMap() || bad_sections_.count(prefix)) return;
    std::vector<std::string> siblings;
    for (const auto& path : known_leaves_) siblings.push_back(path);
    for (const auto& path : known_sections_) siblings.push_back(path);
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      const std::string path = prefix.empty() ? key : prefix + "." + key;
      if (known_sections_.count(path)) {
        walk(kv.second, path);
      } else if (!known_leaves_.count(path)) {
        std::string loc = overrides_.count(path) ? "override '" + overrides_.at(path) + "'"
                                                 : fmt::format("{}:{}:{}", source_, kv.first.Mark().line + 1,
                                                               kv.first.Mark().column + 1);
        std::string msg = fmt::format("{}: {}: unknown key", loc, path);
        if (auto near = closest_match(path, siblings); !near.empty()) msg += fmt::format(" (did you mean '{}'?)", near);
        issues.problems.push_back(msg);
      }
    }
  }
};

// The chosen strategy's options: its defaults, then the document's values. An
// option it does not take is an error rather than silently unused (mu under
// fedavg would otherwise look like a FedProx run).
void read_strategy_options(Reader& r, StrategyConfig& s) {
  const StrategyInfo* info = find_strategy(s.name);
  for (const auto& opt : strategy_options()) {
    const std::string path = "strategy." + std::string(opt.key);
    if (!info) {  // the unknown name is reported by validate(); accept the keys
      double ignored_number = 0;
      int ignored_integer = 0;
      if (opt.number) r.number(path, ignored_number, -std::numeric_limits<double>::infinity(), false);
      if (opt.integer) r.integer(path, ignored_integer, INT_MIN);
      continue;
    }
    const OptionDefault* def = find_default(*info, opt.key);
    if (!def) {
      std::vector<std::string_view> own, takers;
      for (const auto& d : info->options) own.push_back(d.key);
      for (const auto& other : strategy_catalog())
        if (find_default(other, opt.key)) takers.push_back(other.name);
      r.reject(path, fmt::format("strategy {} takes no option '{}' (its options: {}); {} take{} it", s.name, opt.key,
                                 own.empty() ? "none" : fmt::format("{}", fmt::join(own, ", ")),
                                 fmt::join(takers, ", "), takers.size() == 1 ? "s" : ""));
      continue;
    }
    if (opt.number) {
      s.*opt.number = def->value;
      r.number(path, s.*opt.number, opt.min, opt.min_exclusive, opt.max);
    } else {
      s.*opt.integer = static_cast<int>(def->value);
      r.integer(path, s.*opt.integer, static_cast<long long>(opt.min));
    }
  }
}

void read_scenario(Reader& r, ScenarioConfig& s) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (auto node = r.peek("scenario.compute.sample_seconds"); node && node->IsScalar() && node->Scalar() == "auto") {
    s.measure_sample_cost = true;
    r.mark_read("scenario.compute.sample_seconds");
  } else {
    r.number("scenario.compute.sample_seconds", s.sample_seconds, 0.0, true);
  }
  r.distribution("scenario.compute.speed", s.speed, 0.0, true);
  r.distribution("scenario.network.bandwidth", s.bandwidth, 0.0, true);
  r.number("scenario.network.latency", s.latency, 0.0, false);
  r.text("scenario.profiles", s.profiles);

  r.number("scenario.stragglers.fraction", s.straggler_fraction, 0.0, false, 1.0);
  // Draws below 1 count as 1 (a straggler is never faster than its device),
  // so a lognormal slowdown is allowed.
  r.distribution("scenario.stragglers.slowdown", s.slowdown, 0.0, true);
  r.choice("scenario.stragglers.mode", s.straggler_mode,
           {{"round", StragglerMode::Round}, {"client", StragglerMode::Client}});
  r.choice("scenario.straggler_policy", s.straggler_policy,
           {{"drop", StragglerPolicy::Drop}, {"partial", StragglerPolicy::Partial}});

  r.number("scenario.dropouts.probability", s.dropout_probability, 0.0, false, 1.0);
  r.distribution("scenario.dropouts.at", s.dropout_at, 0.0, false, 1.0);
  r.number("scenario.outages.probability", s.outage_probability, 0.0, false, 1.0);
  r.integer("scenario.outages.group_size", s.outage_group_size, 1);
  r.integer("scenario.outages.rounds", s.outage_rounds, 1);

  r.choice("scenario.availability.pattern", s.availability,
           {{"always", AvailabilityPattern::Always},
            {"diurnal", AvailabilityPattern::Diurnal},
            {"trace", AvailabilityPattern::Trace}});
  r.number("scenario.availability.period", s.diurnal_period, 0.0, true);
  r.number("scenario.availability.on_fraction", s.diurnal_on_fraction, 0.0, true, 1.0);
  r.text("scenario.availability.trace", s.availability_trace);
  // A trace file alone means the trace pattern.
  if (!s.availability_trace.empty() && !r.peek("scenario.availability.pattern"))
    s.availability = AvailabilityPattern::Trace;

  r.number("scenario.deadline.seconds", s.deadline_seconds, 0.0, true);
  r.number("scenario.deadline.relative", s.deadline_relative, 0.0, true);
  r.number("scenario.deadline.overcommit", s.overcommit, 1.0, false, kInf);
}

// "a.b=value": the value is parsed as a YAML scalar and written into the tree,
// creating sections as needed. Unknown keys are caught by report_unknown_keys.
void apply_override(YAML::Node& root, const std::string& text, std::map<std::string, std::string>& marks,
                    std::vector<std::string>& problems) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    problems.push_back(fmt::format("override '{}': expected key=value (for example train.rounds=20)", text));
    return;
  }
  const std::string path = text.substr(0, eq);
  const std::string value = text.substr(eq + 1);
  YAML::Node parsed;
  try {
    parsed = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    problems.push_back(fmt::format("override '{}': the value is not valid YAML: {}", text, e.msg));
    return;
  }
  if (parsed.IsMap() || parsed.IsSequence()) {
    problems.push_back(fmt::format("override '{}': expected a single value, found {}", text, describe(parsed)));
    return;
  }
  auto parts = split_path(path);
  for (const auto& part : parts) {
    if (part.empty()) {
      problems.push_back(fmt::format("override '{}': '{}' is not a valid key path", text, path));
      return;
    }
  }
  YAML::Node cur;
  cur.reset(root);
  std::string prefix;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    prefix += (prefix.empty() ? "" : ".") + parts[i];
    YAML::Node next = cur[parts[i]];
    if (!next) {
      cur[parts[i]] = YAML::Node(YAML::NodeType::Map);
      next = cur[parts[i]];
    } else if (!next.IsMap()) {
      problems.push_back(fmt::format("override '{}': {} is {}, not a section", text, prefix, describe(next)));
      return;
    }
    cur.reset(next);
  }
  cur[parts.back()] = parsed;
  marks[path] = text;
}

}  // namespace

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the scenario file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RunConfig load_config(const std::string& yaml_text, const std::string& source, std::span<const std::string> overrides) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError({fmt::format("{}:{}:{}: YAML syntax error: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg)});
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) {
    throw ConfigError({fmt::format("{}:1:1: expected a mapping of sections (name, seed, data, model, ...), found {}",
                                   source, describe(root))});
  }

  std::vector<std::string> early;
  std::map<std::string, std::string> marks;
  for (const auto& o : overrides) apply_override(root, o, marks, early);
  if (!early.empty()) throw ConfigError(early);

  RunConfig c;
  Reader r(root, source, marks);
  r.text("name", c.name);
  r.unsigned64("seed", c.seed);

  r.choice("data.dataset", c.data.dataset,
           {{"fashion_mnist", DatasetKind::FashionMnist}, {"synthetic", DatasetKind::Synthetic}});
  r.text("data.path", c.data.path);
  r.integer("data.num_clients", c.data.num_clients, 1);
  r.choice("data.partition.kind", c.data.partition.kind,
           {{"iid", PartitionKind::Iid},
            {"shards", PartitionKind::Shards},
            {"dirichlet", PartitionKind::Dirichlet},
            {"label_k", PartitionKind::LabelK},
            {"quantity", PartitionKind::Quantity},
            {"natural", PartitionKind::Natural}});
  r.number("data.partition.alpha", c.data.partition.alpha, 0.0, true);
  r.integer("data.partition.shards_per_client", c.data.partition.shards_per_client, 1);
  r.integer("data.partition.k", c.data.partition.k, 1);
  r.number("data.partition.beta", c.data.partition.beta, 0.0, true);
  r.integer("data.partition.min_size", c.data.partition.min_size, 0);
  r.number("data.synthetic.alpha", c.data.synthetic.alpha, 0.0, false);
  r.number("data.synthetic.beta", c.data.synthetic.beta, 0.0, false);
  r.boolean("data.synthetic.iid", c.data.synthetic.iid);
  r.integer("data.synthetic.dim", c.data.synthetic.dim, 1, 100000);
  r.integer("data.synthetic.num_classes", c.data.synthetic.num_classes, 2, 100000);
  r.boolean("data.synthetic.on_demand", c.data.synthetic.on_demand);
  r.integer("data.synthetic.test_devices", c.data.synthetic.test_devices, 1);

  r.text("model.name", c.model.name);

  r.integer("train.rounds", c.train.rounds, 1);
  r.integer("train.local_epochs", c.train.local_epochs, 0);
  r.integer("train.local_steps", c.train.local_steps, 0);
  r.integer("train.batch_size", c.train.batch_size, 1);
  r.number("train.lr", c.train.lr, 0.0, true);
  r.number("train.momentum", c.train.momentum, 0.0, false, 1.0);
  r.number("train.weight_decay", c.train.weight_decay, 0.0, false);

  r.text("strategy.name", c.strategy.name);
  r.integer("strategy.clients_per_round", c.strategy.clients_per_round, 1);
  read_strategy_options(r, c.strategy);

  read_scenario(r, c.scenario);

  r.choice("runtime.device", c.runtime.device,
           {{"cpu", DeviceKind::Cpu}, {"cuda", DeviceKind::Cuda}, {"auto", DeviceKind::Auto}});
  r.choice("runtime.reduce", c.runtime.reduce, {{"exact", ReduceMode::Exact}, {"fast", ReduceMode::Fast}});
  r.choice("runtime.aggregator", c.runtime.aggregator,
           {{"colocated", AggregatorLayout::Colocated}, {"dedicated", AggregatorLayout::Dedicated}});
  r.choice("runtime.placement", c.runtime.placement,
           {{"balanced", PlacementKind::Balanced}, {"static", PlacementKind::Static}});
  r.integer("runtime.threads", c.runtime.threads, 0, 1024);
  r.integer("runtime.eval_batch_size", c.runtime.eval_batch_size, 1);
  r.integer("runtime.client_batch", c.runtime.client_batch, 1, 65536);

  r.text("output.file", c.output.file);
  r.integer("output.eval_every", c.output.eval_every, 1);
  r.boolean("output.eval_train", c.output.eval_train);
  r.boolean("output.overwrite", c.output.overwrite);
  r.boolean("output.progress", c.output.progress);
  r.integer("output.checkpoint_every", c.output.checkpoint_every, 0);

  r.report_unknown_keys();
  // Cross-field checks only make sense once every field parsed cleanly.
  if (r.issues.problems.empty()) validate(c, r.issues);
  if (!r.issues.problems.empty()) throw ConfigError(r.issues.problems);
  return c;
}

std::string to_yaml(const RunConfig& c) {
  // Hand-written rather than YAML::Emitter so numbers print in their shortest
  // round-trip form (0.05, not 0.050000000000000003).
  std::string y;
  auto line = [&y](int indent, std::string_view key, const auto& value) {
    y += fmt::format("{:{}}{}: {}\n", "", indent, key, value);
  };
  auto section = [&y](int indent, std::string_view key) { y += fmt::format("{:{}}{}:\n", "", indent, key); };
  auto quoted = [](const std::string& s) { return fmt::format("{:?}", s); };
  line(0, "name", quoted(c.name));
  line(0, "seed", c.seed);
  section(0, "data");
  line(2, "dataset", to_string(c.data.dataset));
  line(2, "path", quoted(c.data.path));
  line(2, "num_clients", c.data.num_clients);
  section(2, "partition");
  line(4, "kind", to_string(c.data.partition.kind));
  line(4, "alpha", c.data.partition.alpha);
  line(4, "shards_per_client", c.data.partition.shards_per_client);
  line(4, "k", c.data.partition.k);
  line(4, "beta", c.data.partition.beta);
  line(4, "min_size", c.data.partition.min_size);
  section(2, "synthetic");
  line(4, "alpha", c.data.synthetic.alpha);
  line(4, "beta", c.data.synthetic.beta);
  line(4, "iid", c.data.synthetic.iid);
  line(4, "on_demand", c.data.synthetic.on_demand);
  line(4, "test_devices", c.data.synthetic.test_devices);
  line(4, "dim", c.data.synthetic.dim);
  line(4, "num_classes", c.data.synthetic.num_classes);
  section(0, "model");
  line(2, "name", c.model.name);
  section(0, "train");
  line(2, "rounds", c.train.rounds);
  line(2, "local_epochs", c.train.local_epochs);
  line(2, "local_steps", c.train.local_steps);
  line(2, "batch_size", c.train.batch_size);
  line(2, "lr", c.train.lr);
  line(2, "momentum", c.train.momentum);
  line(2, "weight_decay", c.train.weight_decay);
  section(0, "strategy");
  line(2, "name", c.strategy.name);
  line(2, "clients_per_round", c.strategy.clients_per_round);
  if (const StrategyInfo* info = find_strategy(c.strategy.name)) {
    for (const auto& d : info->options) {
      const StrategyOption* opt = find_strategy_option(d.key);
      if (opt->number) line(2, d.key, c.strategy.*opt->number);
      if (opt->integer) line(2, d.key, c.strategy.*opt->integer);
    }
  }
  const ScenarioConfig& s = c.scenario;
  section(0, "scenario");
  section(2, "compute");
  if (s.measure_sample_cost) {
    line(4, "sample_seconds", "auto");
  } else {
    line(4, "sample_seconds", s.sample_seconds);
  }
  line(4, "speed", quoted(describe(s.speed)));
  section(2, "network");
  line(4, "bandwidth", quoted(describe(s.bandwidth)));
  line(4, "latency", s.latency);
  if (!s.profiles.empty()) line(2, "profiles", quoted(s.profiles));
  section(2, "stragglers");
  line(4, "fraction", s.straggler_fraction);
  line(4, "slowdown", quoted(describe(s.slowdown)));
  line(4, "mode", to_string(s.straggler_mode));
  line(2, "straggler_policy", to_string(s.straggler_policy));
  section(2, "dropouts");
  line(4, "probability", s.dropout_probability);
  line(4, "at", quoted(describe(s.dropout_at)));
  section(2, "outages");
  line(4, "probability", s.outage_probability);
  line(4, "group_size", s.outage_group_size);
  line(4, "rounds", s.outage_rounds);
  section(2, "availability");
  line(4, "pattern", to_string(s.availability));
  line(4, "period", s.diurnal_period);
  line(4, "on_fraction", s.diurnal_on_fraction);
  if (!s.availability_trace.empty()) line(4, "trace", quoted(s.availability_trace));
  if (s.deadline_seconds > 0.0 || s.deadline_relative > 0.0 || s.overcommit > 1.0) {
    section(2, "deadline");
    if (s.deadline_seconds > 0.0) line(4, "seconds", s.deadline_seconds);
    if (s.deadline_relative > 0.0) line(4, "relative", s.deadline_relative);
    line(4, "overcommit", s.overcommit);
  }
  section(0, "runtime");
  line(2, "device", to_string(c.runtime.device));
  line(2, "reduce", to_string(c.runtime.reduce));
  line(2, "aggregator", to_string(c.runtime.aggregator));
  line(2, "placement", to_string(c.runtime.placement));
  line(2, "threads", c.runtime.threads);
  line(2, "eval_batch_size", c.runtime.eval_batch_size);
  line(2, "client_batch", c.runtime.client_batch);
  section(0, "output");
  line(2, "file", quoted(c.output.file));
  line(2, "eval_every", c.output.eval_every);
  line(2, "eval_train", c.output.eval_train);
  line(2, "overwrite", c.output.overwrite);
  line(2, "progress", c.output.progress);
  line(2, "checkpoint_every", c.output.checkpoint_every);
  return y;
}

}  // namespace fedhpc
