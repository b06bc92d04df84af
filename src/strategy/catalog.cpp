#include "strategy/catalog.hpp"

#include <array>

namespace fedhpc {

namespace {
constexpr std::array<StrategyInfo, 1> kStrategies{{
    {"fedavg", "FedAvg (McMahan et al. 2017): sample-count weighted mean of client models, server lr"},
}};
}  // namespace

std::span<const StrategyInfo> strategy_catalog() { return kStrategies; }

const StrategyInfo* find_strategy(std::string_view name) {
  for (const auto& s : kStrategies)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace fedhpc
