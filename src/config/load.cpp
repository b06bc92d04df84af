#include "config/load.hpp"

#include "core/printable.hpp"

#include <fmt/ranges.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "config/issues.hpp"
#include "config/keys.hpp"
#include "core/parse_number.hpp"
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
              double max = std::numeric_limits<double>::infinity(), bool max_exclusive = false) {
    auto node = leaf(path);
    if (!node) return;
    auto v = node->IsScalar() ? parse_number<double>(node->Scalar()) : std::nullopt;
    if (!v || !std::isfinite(*v)) return mismatch(path, *node, "a number");
    const bool low = min_exclusive ? *v <= min : *v < min;
    const bool high = max_exclusive ? *v >= max : *v > max;
    if (low || high)
      return issues.add(path, fmt::format("expected a number {}, found {}",
                                          range_words(min, min_exclusive, max, max_exclusive), *v));
    out = *v;
  }

  // A sequence of integers in [min, max]: [3, 7, 11].
  void integers(const std::string& path, std::vector<std::int64_t>& out, long long min, long long max) {
    auto node = leaf(path);
    if (!node) return;
    if (!node->IsSequence()) return mismatch(path, *node, "a list of integers such as [3, 7, 11]");
    std::vector<std::int64_t> values;
    for (std::size_t i = 0; i < node->size(); ++i) {
      const YAML::Node item = (*node)[i];
      auto v = item.IsScalar() ? parse_number<long long>(item.Scalar()) : std::nullopt;
      if (!v) return issues.add(path, fmt::format("expected a list of integers, found {} at position {}",
                                                  describe(item), i + 1));
      if (*v < min || *v > max)
        return issues.add(path, fmt::format("expected integers in [{}, {}], found {} at position {}", min, max, *v,
                                            i + 1));
      values.push_back(*v);
    }
    out = std::move(values);
  }

  void numbers(const std::string& path, std::vector<double>& out, double min, bool min_exclusive) {
    auto node = leaf(path);
    if (!node) return;
    if (!node->IsSequence()) return mismatch(path, *node, "a list of numbers such as [0.2860]");
    std::vector<double> values;
    for (std::size_t i = 0; i < node->size(); ++i) {
      const YAML::Node item = (*node)[i];
      auto v = item.IsScalar() ? parse_number<double>(item.Scalar()) : std::nullopt;
      if (!v || !std::isfinite(*v))
        return issues.add(path, fmt::format("expected a list of numbers, found {} at position {}", describe(item), i + 1));
      if (min_exclusive ? *v <= min : *v < min)
        return issues.add(path, fmt::format("expected numbers {}, found {} at position {}",
                                            range_words(min, min_exclusive, INFINITY), *v, i + 1));
      values.push_back(*v);
    }
    out = std::move(values);
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
    if (!is_clean_text(node->Scalar()))
      return mismatch(path, *node, "UTF-8 text without control characters");
    out = node->Scalar();
  }

  // One of an enum's spellings (config/schema.cpp); sets `out` to its value.
  void choice(const std::string& path, std::span<const EnumName> table, const std::function<void(int)>& out) {
    auto node = leaf(path);
    if (!node) return;
    std::vector<std::string> names;
    for (const auto& entry : table) {
      names.emplace_back(entry.text);
      if (node->IsScalar() && node->Scalar() == entry.text) return out(entry.value);
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
                                          : fmt::format("in {}{}, {}]", min_exclusive ? "(" : "[", min, max);
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
  bool present(const std::string& path) const { return find(path).has_value(); }
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
      if (is_number(opt))
        r.number(path, ignored_number, -std::numeric_limits<double>::infinity(), false);
      else
        r.integer(path, ignored_integer, INT_MIN);
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
    if (is_number(opt)) {
      double value = def->value;
      r.number(path, value, opt.min, opt.min_exclusive, opt.max);
      set_option(s, opt, value);
    } else {
      int value = static_cast<int>(def->value);
      r.integer(path, value, static_cast<long long>(opt.min));
      set_option(s, opt, value);
    }
  }
}

// One key of the table, by its type.
void read_key(Reader& r, const KeySpec& k, RunConfig& c) {
  const std::string path(k.path);
  const KeyField& f = k.field;
  const auto int_bound = [](double v, long long fallback) { return std::isinf(v) ? fallback : static_cast<long long>(v); };
  switch (k.type) {
    case KeyType::Integer: return r.integer(path, f.integer(c), int_bound(k.min, INT_MIN), int_bound(k.max, INT_MAX));
    case KeyType::Seed: return r.unsigned64(path, f.seed(c));
    case KeyType::Number: return r.number(path, f.number(c), k.min, k.min_exclusive, k.max, k.max_exclusive);
    case KeyType::NumberOrAuto:
      if (auto node = r.peek(path); node && node->IsScalar() && node->Scalar() == "auto") {
        f.flag(c) = true;
        return r.mark_read(path);
      }
      if (r.present(path)) f.flag(c) = false;  // a number given: not auto (a default may be auto)
      return r.number(path, f.number(c), k.min, k.min_exclusive, k.max, k.max_exclusive);
    case KeyType::Flag: return r.boolean(path, f.flag(c));
    case KeyType::Text: return r.text(path, f.text(c));
    case KeyType::Choice: return r.choice(path, f.choices, [&](int v) { f.set_choice(c, v); });
    case KeyType::Distribution: return r.distribution(path, f.distribution(c), k.min, k.min_exclusive, k.max);
    case KeyType::IntegerList:
      return r.integers(path, f.integers(c), int_bound(k.min, LLONG_MIN), int_bound(k.max, LLONG_MAX));
    case KeyType::NumberList: return r.numbers(path, f.numbers(c), k.min, k.min_exclusive);
    case KeyType::StrategyOptions: return read_strategy_options(r, c.strategy);
  }
}

// A key set where it means nothing would look like it changed the run. A
// key whose value was already refused is not reported twice.
void refuse_inapplicable(Reader& r, const RunConfig& c) {
  const auto reported = [&](std::string_view path) {
    const std::string tag = fmt::format(": {}: ", path);
    return std::any_of(r.issues.problems.begin(), r.issues.problems.end(),
                       [&](const std::string& p) { return p.find(tag) != std::string::npos; });
  };
  for (const auto& k : config_keys()) {
    if (key_applies(k, c) || !r.present(std::string(k.path)) || reported(k.path)) continue;
    r.issues.add(std::string(k.path), fmt::format("applies only when {} (remove it, or set that)", k.applies_when));
  }
}

// Values that follow from others: a trace file alone means the trace
// pattern; placement auto is static where clients carry state across rounds.
void derive(Reader& r, RunConfig& c) {
  ScenarioConfig& s = c.scenario;
  if (!s.availability_trace.empty() && !r.present("scenario.availability.pattern"))
    s.availability = AvailabilityPattern::Trace;
  if (c.data.path.empty()) c.data.path = default_data_path(c.data.dataset);
  if (c.runtime.placement == PlacementKind::Auto) {
    const StrategyInfo* info = find_strategy(c.strategy.name);
    c.runtime.placement = info && per_client_state(*info) ? PlacementKind::Static : PlacementKind::Balanced;
  }
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
  if (!is_clean_text(text)) {
    problems.push_back(fmt::format("override '{}': expected UTF-8 text without control characters", text));
    return;
  }
  YAML::Node parsed;
  try {
    parsed = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    problems.push_back(fmt::format("override '{}': the value is not valid YAML: {}", text, e.msg));
    return;
  }
  const KeySpec* spec = find_key(path);
  const bool list_key = spec && (spec->type == KeyType::IntegerList || spec->type == KeyType::NumberList);
  if (parsed.IsMap() || (parsed.IsSequence() && !list_key)) {
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

// A key written twice in one mapping: YAML forbids it and yaml-cpp would
// silently keep the first (so a trailing `train:` block would be ignored).
void find_duplicate_keys(const YAML::Node& node, const std::string& source, const std::string& prefix,
                         std::vector<std::string>& problems) {
  if (node.IsSequence()) {
    for (const auto& item : node) find_duplicate_keys(item, source, prefix, problems);
    return;
  }
  if (!node.IsMap()) return;
  std::map<std::string, YAML::Mark> seen;
  for (const auto& kv : node) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    const auto [first, fresh] = seen.emplace(key, kv.first.Mark());
    if (!fresh) {
      problems.push_back(fmt::format("{}:{}:{}: {}: duplicate key (first written at line {}); write each key once",
                                     source, kv.first.Mark().line + 1, kv.first.Mark().column + 1, path,
                                     first->second.line + 1));
    }
    find_duplicate_keys(kv.second, source, path, problems);
  }
}

// Where a second YAML document starts, if there is one. The parser is asked
// for two documents at most: yaml-cpp 0.7's LoadAll never returns on some
// inputs (a lone ',': found by fuzz_config).
std::optional<YAML::Mark> second_document(const std::string& yaml_text) {
  struct DocumentStarts final : YAML::EventHandler {
    std::vector<YAML::Mark> starts;
    void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
  } handler;
  std::istringstream in(yaml_text);
  YAML::Parser parser(in);
  if (!parser.HandleNextDocument(handler) || !parser.HandleNextDocument(handler) || handler.starts.size() < 2)
    return std::nullopt;
  return handler.starts[1];
}

// The document's one YAML document, every key written once.
YAML::Node parse_one_document(const std::string& yaml_text, const std::string& source) {
  if (const std::size_t bad = first_non_text_byte(yaml_text); bad != std::string::npos) {
    const std::size_t line_start = yaml_text.rfind('\n', bad == 0 ? 0 : bad - 1);
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(yaml_text.begin(), yaml_text.begin() + bad, '\n'));
    const std::size_t column = line_start == std::string::npos || bad == 0 ? bad + 1 : bad - line_start;
    throw ConfigError({fmt::format("{}:{}:{}: expected UTF-8 text, found the byte 0x{:02X} (is this a binary file?)",
                                   source, line, column, static_cast<unsigned char>(yaml_text[bad]))});
  }
  YAML::Node root;
  std::optional<YAML::Mark> second;
  try {
    root = YAML::Load(yaml_text);
    second = second_document(yaml_text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError({fmt::format("{}:{}:{}: YAML syntax error: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg)});
  }
  if (second) {
    throw ConfigError({fmt::format("{}:{}:{}: a second YAML document; expected one (remove the '---' and what "
                                   "follows, or merge it into the first)",
                                   source, second->line + 1, second->column + 1)});
  }
  std::vector<std::string> problems;
  find_duplicate_keys(root, source, "", problems);
  if (!problems.empty()) throw ConfigError(problems);
  return root;
}

}  // namespace

std::string read_text_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::is_directory(status))
    throw InputError(fmt::format("{}: expected a scenario file, found a directory", path));
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw InputError(fmt::format("{}: expected a scenario file, found a device, pipe or socket", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the scenario file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.empty())
    throw InputError(fmt::format("{}: the scenario file is empty; expected a mapping of sections (name, seed, data, "
                                 "model, ...)",
                                 path));
  return text;
}

RunConfig load_config(const std::string& yaml_text, const std::string& source, std::span<const std::string> overrides,
                      LoadOptions options) {
  YAML::Node root = parse_one_document(yaml_text, source);
  if (root.IsNull() && !options.stored) {
    throw ConfigError({fmt::format("{}:1:1: the scenario has no keys; expected a mapping of sections (name, seed, "
                                   "data, model, ...)",
                                   source)});
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
  for (const auto& key : config_keys()) read_key(r, key, c);
  derive(r, c);
  if (!options.stored) refuse_inapplicable(r, c);
  r.report_unknown_keys();
  // Cross-field checks only make sense once every field parsed cleanly.
  if (r.issues.problems.empty()) validate(c, r.issues);
  if (!r.issues.problems.empty()) throw ConfigError(r.issues.problems);
  return c;
}

std::vector<std::pair<std::string, std::string>> config_values(const RunConfig& c) {
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& k : config_keys()) {
    if (k.type == KeyType::StrategyOptions) {
      const StrategyInfo* info = find_strategy(c.strategy.name);
      for (const auto& d : info ? info->options : std::span<const OptionDefault>{})
        values.emplace_back("strategy." + std::string(d.key),
                            fmt::format("{}", option_value(c.strategy, *find_strategy_option(d.key))));
      continue;
    }
    if (!key_applies(k, c) || (k.written && !k.written(c))) continue;
    values.emplace_back(std::string(k.path), key_value_text(k, c));
  }
  return values;
}

std::string to_yaml(const RunConfig& c) {
  // Hand-written rather than YAML::Emitter so numbers print in their shortest
  // round-trip form (0.05, not 0.050000000000000003). Sections open as the
  // table's dotted paths enter them.
  std::string y;
  std::vector<std::string> open;
  auto line = [&](std::string_view path, const std::string& value) {
    auto parts = split_path(std::string(path));
    std::size_t same = 0;
    while (same < open.size() && same + 1 < parts.size() && open[same] == parts[same]) ++same;
    for (std::size_t i = same; i + 1 < parts.size(); ++i) y += fmt::format("{:{}}{}:\n", "", 2 * i, parts[i]);
    y += fmt::format("{:{}}{}: {}\n", "", 2 * (parts.size() - 1), parts.back(), value);
    open.assign(parts.begin(), parts.end() - 1);
  };
  for (const auto& [path, value] : config_values(c)) line(path, value);
  return y;
}

}  // namespace fedhpc
