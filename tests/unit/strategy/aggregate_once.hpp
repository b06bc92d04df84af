#pragma once
// One aggregation of hand-made updates through the strategy's own row and
// CohortAggregator on a one-rank LocalComm: the code path of a real round,
// minus MPI (tests/e2e runs every strategy on 1, 2 and 3 ranks).
#include <cstdint>
#include <vector>

#include "comm/comm.hpp"
#include "fl/aggregation.hpp"
#include "strategy/catalog.hpp"

namespace fedhpc::testing {

inline AggregateResult aggregate_once(const RunConfig& config, const std::vector<std::vector<float>>& deltas,
                                      std::vector<std::int64_t> samples, std::vector<double> center = {}) {
  auto comm = make_local_comm();
  std::vector<ClientId> clients;
  for (std::size_t k = 0; k < deltas.size(); ++k) clients.push_back(ClientId{static_cast<std::uint32_t>(k)});
  const std::vector<std::int64_t> steps(deltas.size(), 1);
  const std::vector<int> owners(deltas.size(), 0);
  CohortAggregator agg(*find_strategy(config.strategy.name), config, deltas[0].size());
  agg.begin_round({clients, samples, steps, owners, {}, {}, Round{0}});
  for (std::size_t k = 0; k < deltas.size(); ++k) agg.add(k, deltas[k], {}, 0.0);
  return agg.finish(*comm, center);
}

// A config for `strategy` with its declared defaults.
inline RunConfig config_for(const char* strategy) {
  RunConfig c;
  c.strategy.name = strategy;
  const StrategyInfo& row = *find_strategy(strategy);
  for (const auto& d : row.options) set_option(c.strategy, *find_strategy_option(d.key), d.value);
  return c;
}

}  // namespace fedhpc::testing
