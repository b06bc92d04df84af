#pragma once
// Every configuration key, declared once. A row names the key's dotted path,
// the RunConfig member it sets, its type and range, a one-line description,
// and when it applies. The loader reads with the table (types, ranges, the
// refusal of a key that cannot apply), to_yaml writes with it, --resume
// compares what it writes, and `fedhpc keys` and docs/keys.md list it.
// Strategy options (strategy.mu and the like) are rows of the strategy
// catalog, whose defaults depend on the strategy; the table holds a
// placeholder row where they go.
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/schema.hpp"

namespace fedhpc {

enum class KeyType {
  Integer,
  Seed,          // unsigned 64-bit
  Number,        // a finite double
  NumberOrAuto,  // a number, or the word auto (measured at start-up)
  Flag,
  Text,          // a non-empty string
  Choice,        // one of the enum's spellings
  Distribution,  // a number, name(a, b) or {name: [a, b]}
  IntegerList,   // [a, b, ...], each an integer in the key's range
  NumberList,    // [a, b, ...], each a finite number in the key's range
  StrategyOptions,  // placeholder: the chosen strategy's options (strategy/catalog)
};

// The member a key sets: one accessor, the one of its type.
struct KeyField {
  int& (*integer)(RunConfig&) = nullptr;
  std::uint64_t& (*seed)(RunConfig&) = nullptr;
  double& (*number)(RunConfig&) = nullptr;
  bool& (*flag)(RunConfig&) = nullptr;  // NumberOrAuto: set when the value is auto
  std::string& (*text)(RunConfig&) = nullptr;
  Distribution& (*distribution)(RunConfig&) = nullptr;
  std::vector<std::int64_t>& (*integers)(RunConfig&) = nullptr;
  std::vector<double>& (*numbers)(RunConfig&) = nullptr;
  int (*get_choice)(const RunConfig&) = nullptr;
  void (*set_choice)(RunConfig&, int) = nullptr;
  std::span<const EnumName> choices;
};

struct KeySpec {
  std::string_view path;
  KeyType type;
  KeyField field;
  std::string_view description;
  // Numbers and integers: the accepted range; distributions: the range of
  // their draws.
  double min = -std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  double max = std::numeric_limits<double>::infinity();
  bool max_exclusive = false;
  // When the key means something (nullptr: always). Set while it does not,
  // it is refused, naming `applies_when`; to_yaml leaves it out.
  bool (*applies)(const RunConfig&) = nullptr;
  std::string_view applies_when;
  // Optional values that to_yaml writes only when set (nullptr: always).
  bool (*written)(const RunConfig&) = nullptr;
};

std::span<const KeySpec> config_keys();
// "in [0, 1)", ">= 1": a range as messages and the key table write it.
std::string range_words(double min, bool min_exclusive, double max, bool max_exclusive = false);
const KeySpec* find_key(std::string_view path);

bool key_applies(const KeySpec& key, const RunConfig& config);
// The value as to_yaml writes it ("0.05", "\"results/x.h5\"", "lognormal(0, 1)").
std::string key_value_text(const KeySpec& key, const RunConfig& config);
// "integer >= 1", "number in [0, 1]", "one of iid, shards, ...".
std::string key_type_text(const KeySpec& key);

// One line of `fedhpc keys`: every key of the table, with the strategy
// options spelled out in place of their placeholder row.
struct KeyRow {
  std::string path, type, default_value, description, applies_when;
};
std::vector<KeyRow> key_rows();

}  // namespace fedhpc
