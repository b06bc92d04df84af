#pragma once
// The strategies fedhpc knows, by name. Later strategies (FedProx, FedAdam,
// robust aggregators) are new rows here plus their parts in strategy/.
#include <span>
#include <string_view>

namespace fedhpc {

struct StrategyInfo {
  std::string_view name;
  std::string_view description;
};

std::span<const StrategyInfo> strategy_catalog();
const StrategyInfo* find_strategy(std::string_view name);

}  // namespace fedhpc
