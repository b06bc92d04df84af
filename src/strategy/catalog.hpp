#pragma once
// The strategy registry: one row per `strategy.name`, each row a composition
// of parts that are code, not tags resolved elsewhere:
//   aggregation  a shape and its function (strategy/aggregation_rule.hpp);
//   server       the step root takes with the aggregate (strategy/server_step.hpp);
//   client       the local-training rule and its state (strategy/client_rule.hpp).
// The built-in rows live in strategy/builtin.cpp; any other file under
// src/strategy/ adds its own row with a StrategyRegistrar, so an algorithm
// is one file (see docs/ARCHITECTURE.md). Readable without LibTorch or MPI,
// so config validation and `fedhpc list` stay cheap to compile.
#include <limits>
#include <span>
#include <string_view>

#include "config/schema.hpp"
#include "strategy/aggregation_rule.hpp"
#include "strategy/client_rule.hpp"
#include "strategy/server_step.hpp"

namespace fedhpc {

// A typed option under `strategy.` that some strategies accept. Built-in
// options have a StrategyConfig member; an option a strategy file declares
// has neither pointer and lives in StrategyConfig::extra under its key.
struct StrategyOption {
  std::string_view key;  // without the "strategy." prefix
  double StrategyConfig::*number = nullptr;
  int StrategyConfig::*integer = nullptr;
  double min = 0.0;
  bool min_exclusive = false;
  double max = std::numeric_limits<double>::infinity();
  std::string_view meaning;
  bool is_integer = false;  // for options kept in `extra`
};

struct OptionDefault {
  std::string_view key;
  double value;
};

struct StrategyInfo {
  std::string_view name;
  std::string_view description;
  const AggregationRule* aggregation;
  const ServerStepSpec* server;
  const ClientRuleSpec* client;
  std::span<const OptionDefault> options;    // the options it accepts, with its defaults
  std::span<const StrategyOption> declares;  // options new with this row (not built in)
};

// Adds a row at static initialisation (one per strategy file).
struct StrategyRegistrar {
  explicit StrategyRegistrar(const StrategyInfo& row);
};

// Built-in rows first, in their table order, then registered ones by name.
std::span<const StrategyInfo> strategy_catalog();
// The built-in rows (strategy/builtin.cpp).
std::span<const StrategyInfo> builtin_strategies();
const StrategyInfo* find_strategy(std::string_view name);
std::span<const StrategyOption> strategy_options();
const StrategyOption* find_strategy_option(std::string_view key);
// The default of `key` for `info`, or nullptr when it does not take that option.
const OptionDefault* find_default(const StrategyInfo& info, std::string_view key);

inline bool is_number(const StrategyOption& o) { return o.number || (!o.integer && !o.is_integer); }
// An option's value in a config, and setting it, whatever its storage.
double option_value(const StrategyConfig& options, const StrategyOption& option);
void set_option(StrategyConfig& options, const StrategyOption& option, double value);
// A declared option's value by key (its default when unset), for strategy files.
double extra_option(const StrategyConfig& options, std::string_view key);

// Whether a row keeps state per client (static placement), for validation.
inline bool per_client_state(const StrategyInfo& s) { return s.client->per_client_state; }

}  // namespace fedhpc
