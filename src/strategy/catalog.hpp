#pragma once
// The strategy registry: one row per `strategy.name`, each row a composition
// of parts rather than a subclass:
//   selector   uniform cohort (strategy/selector.hpp), shared by all rows;
//   aggregator how client updates combine (a Sum with coefficients known
//              before training, a Sum whose coefficients need the clients'
//              results, a coordinate-wise rule, or a Krum selection);
//   server     the server optimizer applied to the aggregate;
//   client     the hook in local training (plain SGD, one full-batch step,
//              a proximal term, SCAFFOLD's control-variate correction).
// Readable without LibTorch or MPI, so config validation and `fedhpc list`
// stay cheap to compile.
#include <limits>
#include <span>
#include <string_view>

#include "config/schema.hpp"

namespace fedhpc {

enum class AggregatorKind {
  SampleMean,   // sum_k p_k delta_k, p_k = n_k / n (McMahan et al. 2017)
  NovaMean,     // FedNova's normalized average (Wang et al. 2020)
  FairMean,     // q-FFL's weights (Li et al. 2020), known only after training
  Median,       // coordinate-wise median (Yin et al. 2018)
  TrimmedMean,  // coordinate-wise trimmed mean (Yin et al. 2018)
  Krum,         // the one update with the best Krum score (Blanchard et al. 2017)
  MultiKrum,    // the mean of the m best Krum scores (Blanchard et al. 2017)
};
enum class ServerRule { Sgd, Momentum, Adam, Yogi, Adagrad };
enum class ClientRule { LocalSgd, FullBatch, Proximal, Scaffold };

// How the aggregator's work is laid out over ranks.
enum class AggregationShape {
  Sum,         // coefficients known before training: streamed, one reduce
  DeferredSum, // coefficients from the clients' results: buffer, agree, reduce
  Coordinate,  // transpose to coordinate slices, combine, gather
  Selection,   // transpose, pairwise distances, select, then a Sum
};

// A typed option under `strategy.` that some strategies accept.
struct StrategyOption {
  std::string_view key;  // without the "strategy." prefix
  double StrategyConfig::*number = nullptr;
  int StrategyConfig::*integer = nullptr;
  double min = 0.0;
  bool min_exclusive = false;
  double max = std::numeric_limits<double>::infinity();
  std::string_view meaning;
};

struct OptionDefault {
  std::string_view key;
  double value;
};

struct StrategyInfo {
  std::string_view name;
  std::string_view description;
  AggregatorKind aggregator;
  ServerRule server;
  ClientRule client;
  std::span<const OptionDefault> options;  // the options it accepts, with its defaults
  bool per_client_state = false;           // state lives on the owning rank across rounds
  bool needs_initial_loss = false;         // the client reports F_k(x) before training
};

std::span<const StrategyInfo> strategy_catalog();
const StrategyInfo* find_strategy(std::string_view name);
std::span<const StrategyOption> strategy_options();
const StrategyOption* find_strategy_option(std::string_view key);
// The default of `key` for `info`, or nullptr when it does not take that option.
const OptionDefault* find_default(const StrategyInfo& info, std::string_view key);

AggregationShape shape_of(AggregatorKind kind);
const char* to_string(AggregatorKind kind);
const char* to_string(ServerRule rule);
const char* to_string(ClientRule rule);

}  // namespace fedhpc
