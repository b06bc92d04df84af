#include "strategy/catalog.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "core/error.hpp"

namespace fedhpc {

namespace {

using S = StrategyConfig;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::array<StrategyOption, 10> kBuiltinOptions{{
    {"server_lr", &S::server_lr, nullptr, 0.0, true, 1e4, "server learning rate (eta_g; eta for the adaptive ones)"},
    {"mu", &S::mu, nullptr, 0.0, false, 1e4, "proximal coefficient: local objective F_k(y) + mu/2 |y - x|^2"},
    {"server_momentum", &S::server_momentum, nullptr, 0.0, false, 1.0, "server momentum beta: v <- beta v + delta"},
    {"beta1", &S::beta1, nullptr, 0.0, false, 1.0, "first-moment decay of the adaptive server optimizers"},
    {"beta2", &S::beta2, nullptr, 0.0, false, 1.0, "second-moment decay (fedadam, fedyogi)"},
    {"tau", &S::tau, nullptr, 0.0, true, 1e3, "adaptivity: x += eta m / (sqrt(v) + tau)"},
    {"q", &S::q, nullptr, 0.0, false, 1e3, "q-FFL fairness exponent (q = 0 is FedAvg's average)"},
    {"trim_fraction", &S::trim_fraction, nullptr, 0.0, false, 0.5, "share of values cut from each end, per coordinate"},
    {"byzantine_f", nullptr, &S::byzantine_f, 0.0, false, kInf, "number of Byzantine clients Krum tolerates"},
    {"multikrum_m", nullptr, &S::multikrum_m, 0.0, false, kInf, "clients Multi-Krum averages (0: cohort - f)"},
}};

// Rows added by strategy files, in static-initialisation order.
std::vector<StrategyInfo>& registered() {
  static std::vector<StrategyInfo> rows;
  return rows;
}

struct Catalog {
  std::vector<StrategyInfo> rows;
  std::vector<StrategyOption> options;
};

// Built on first use, after every registrar has run.
const Catalog& catalog() {
  static const Catalog c = [] {
    Catalog out;
    const auto builtin = builtin_strategies();
    out.rows.assign(builtin.begin(), builtin.end());
    auto extra = registered();
    std::sort(extra.begin(), extra.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    out.rows.insert(out.rows.end(), extra.begin(), extra.end());
    out.options.assign(kBuiltinOptions.begin(), kBuiltinOptions.end());
    for (const auto& row : extra) out.options.insert(out.options.end(), row.declares.begin(), row.declares.end());
    return out;
  }();
  return c;
}

template <typename T>
const T* find_by_name(std::span<const T> items, std::string_view name, std::string_view T::*field) {
  for (const auto& item : items)
    if (item.*field == name) return &item;
  return nullptr;
}

}  // namespace

StrategyRegistrar::StrategyRegistrar(const StrategyInfo& row) { registered().push_back(row); }

std::span<const StrategyInfo> strategy_catalog() { return catalog().rows; }

const StrategyInfo* find_strategy(std::string_view name) {
  return find_by_name(strategy_catalog(), name, &StrategyInfo::name);
}

std::span<const StrategyOption> strategy_options() { return catalog().options; }

const StrategyOption* find_strategy_option(std::string_view key) {
  return find_by_name(strategy_options(), key, &StrategyOption::key);
}

const OptionDefault* find_default(const StrategyInfo& info, std::string_view key) {
  return find_by_name(info.options, key, &OptionDefault::key);
}

double option_value(const StrategyConfig& options, const StrategyOption& option) {
  if (option.number) return options.*option.number;
  if (option.integer) return options.*option.integer;
  const auto it = options.extra.find(option.key);
  return it == options.extra.end() ? 0.0 : it->second;
}

void set_option(StrategyConfig& options, const StrategyOption& option, double value) {
  if (option.number) {
    options.*option.number = value;
  } else if (option.integer) {
    options.*option.integer = static_cast<int>(value);
  } else {
    options.extra[std::string(option.key)] = value;
  }
}

double extra_option(const StrategyConfig& options, std::string_view key) {
  if (const auto it = options.extra.find(key); it != options.extra.end()) return it->second;
  const StrategyInfo* row = find_strategy(options.name);
  const OptionDefault* d = row ? find_default(*row, key) : nullptr;
  FEDHPC_CHECK(d != nullptr, "strategy {} declares no option {}", options.name, key);
  return d->value;
}

std::optional<Infeasible> check_feasible(const AggregationRule& rule, std::size_t k, const StrategyConfig& options) {
  if (k == 0) return Infeasible{"strategy.clients_per_round", "no client to aggregate"};
  return rule.check ? rule.check(k, options) : std::nullopt;
}

}  // namespace fedhpc
