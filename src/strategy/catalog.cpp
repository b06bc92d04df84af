#include "strategy/catalog.hpp"

#include <array>
#include <limits>

namespace fedhpc {

namespace {

using S = StrategyConfig;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::array<StrategyOption, 10> kOptions{{
    {"server_lr", &S::server_lr, nullptr, 0.0, true, kInf, "server learning rate (eta_g; eta for the adaptive ones)"},
    {"mu", &S::mu, nullptr, 0.0, false, kInf, "proximal coefficient: local objective F_k(y) + mu/2 |y - x|^2"},
    {"server_momentum", &S::server_momentum, nullptr, 0.0, false, 1.0, "server momentum beta: v <- beta v + delta"},
    {"beta1", &S::beta1, nullptr, 0.0, false, 1.0, "first-moment decay of the adaptive server optimizers"},
    {"beta2", &S::beta2, nullptr, 0.0, false, 1.0, "second-moment decay (fedadam, fedyogi)"},
    {"tau", &S::tau, nullptr, 0.0, true, kInf, "adaptivity: x += eta m / (sqrt(v) + tau)"},
    {"q", &S::q, nullptr, 0.0, false, kInf, "q-FFL fairness exponent (q = 0 is FedAvg's average)"},
    {"trim_fraction", &S::trim_fraction, nullptr, 0.0, false, 0.5, "share of values cut from each end, per coordinate"},
    {"byzantine_f", nullptr, &S::byzantine_f, 0.0, false, kInf, "number of Byzantine clients Krum tolerates"},
    {"multikrum_m", nullptr, &S::multikrum_m, 0.0, false, kInf, "clients Multi-Krum averages (0: cohort - f)"},
}};

// Defaults: FedAvg's server_lr 1; FedProx mu 0.01 (NIID-Bench's best for
// FMNIST); FedAvgM beta 0.9 (Hsu et al. 2019);
// adaptive eta, beta1, beta2, tau as Reddi et al. 2021 / Flower's defaults
// (Reddi et al. 2021); q = 1 (Li et al. 2020 use q in {1, 5, 15}).
constexpr OptionDefault kLr1[] = {{"server_lr", 1.0}};
constexpr OptionDefault kFedAvgM[] = {{"server_lr", 1.0}, {"server_momentum", 0.9}};
constexpr OptionDefault kFedProx[] = {{"server_lr", 1.0}, {"mu", 0.01}};
constexpr OptionDefault kFedNova[] = {{"server_lr", 1.0}, {"mu", 0.0}};
constexpr OptionDefault kFedAdam[] = {{"server_lr", 0.1}, {"beta1", 0.9}, {"beta2", 0.99}, {"tau", 1e-3}};
constexpr OptionDefault kFedYogi[] = {{"server_lr", 0.01}, {"beta1", 0.9}, {"beta2", 0.99}, {"tau", 1e-3}};
constexpr OptionDefault kFedAdagrad[] = {{"server_lr", 0.1}, {"beta1", 0.9}, {"tau", 1e-3}};
constexpr OptionDefault kQFedAvg[] = {{"q", 1.0}};
constexpr OptionDefault kTrimmed[] = {{"server_lr", 1.0}, {"trim_fraction", 0.1}};
constexpr OptionDefault kKrum[] = {{"server_lr", 1.0}, {"byzantine_f", 0.0}};
constexpr OptionDefault kMultiKrum[] = {{"server_lr", 1.0}, {"byzantine_f", 0.0}, {"multikrum_m", 0.0}};

using A = AggregatorKind;
using V = ServerRule;
using C = ClientRule;
const std::array<StrategyInfo, 14> kStrategies{{
    {"fedsgd", "FedSGD (McMahan et al. 2017): one full-batch gradient step per client, sample-weighted mean",
     A::SampleMean, V::Sgd, C::FullBatch, kLr1},
    {"fedavg", "FedAvg (McMahan et al. 2017): sample-count weighted mean of client models, server lr",
     A::SampleMean, V::Sgd, C::LocalSgd, kLr1},
    {"fedavgm", "FedAvgM (Hsu et al. 2019): FedAvg with server momentum", A::SampleMean, V::Momentum, C::LocalSgd,
     kFedAvgM},
    {"fedprox", "FedProx (Li et al. 2020): local proximal term mu/2 |y - x|^2", A::SampleMean, V::Sgd, C::Proximal,
     kFedProx},
    {"scaffold", "SCAFFOLD (Karimireddy et al. 2020), option II control variates", A::SampleMean, V::Sgd,
     C::Scaffold, kLr1, /*per_client_state=*/true},
    {"fednova", "FedNova (Wang et al. 2020): averaging normalized by effective local steps", A::NovaMean, V::Sgd,
     C::Proximal, kFedNova},
    {"fedadam", "FedAdam (Reddi et al. 2021): Adam on the server", A::SampleMean, V::Adam, C::LocalSgd, kFedAdam},
    {"fedyogi", "FedYogi (Reddi et al. 2021): Yogi on the server", A::SampleMean, V::Yogi, C::LocalSgd, kFedYogi},
    {"fedadagrad", "FedAdagrad (Reddi et al. 2021): Adagrad on the server", A::SampleMean, V::Adagrad, C::LocalSgd,
     kFedAdagrad},
    {"qfedavg", "q-FedAvg (Li et al. 2020, q-FFL): fairness-weighted average", A::FairMean, V::Sgd, C::LocalSgd,
     kQFedAvg, false, /*needs_initial_loss=*/true},
    {"median", "coordinate-wise median (Yin et al. 2018)", A::Median, V::Sgd, C::LocalSgd, kLr1},
    {"trimmed_mean", "coordinate-wise trimmed mean (Yin et al. 2018)", A::TrimmedMean, V::Sgd, C::LocalSgd, kTrimmed},
    {"krum", "Krum (Blanchard et al. 2017): the update closest to its n-f-2 neighbours", A::Krum, V::Sgd,
     C::LocalSgd, kKrum},
    {"multikrum", "Multi-Krum (Blanchard et al. 2017): mean of the m best Krum scores", A::MultiKrum, V::Sgd,
     C::LocalSgd, kMultiKrum},
}};

}  // namespace

std::span<const StrategyInfo> strategy_catalog() { return kStrategies; }

const StrategyInfo* find_strategy(std::string_view name) {
  for (const auto& s : kStrategies)
    if (s.name == name) return &s;
  return nullptr;
}

std::span<const StrategyOption> strategy_options() { return kOptions; }

const StrategyOption* find_strategy_option(std::string_view key) {
  for (const auto& o : kOptions)
    if (o.key == key) return &o;
  return nullptr;
}

const OptionDefault* find_default(const StrategyInfo& info, std::string_view key) {
  for (const auto& d : info.options)
    if (d.key == key) return &d;
  return nullptr;
}

AggregationShape shape_of(AggregatorKind kind) {
  switch (kind) {
    case AggregatorKind::SampleMean:
    case AggregatorKind::NovaMean: return AggregationShape::Sum;
    case AggregatorKind::FairMean: return AggregationShape::DeferredSum;
    case AggregatorKind::Median:
    case AggregatorKind::TrimmedMean: return AggregationShape::Coordinate;
    case AggregatorKind::Krum:
    case AggregatorKind::MultiKrum: return AggregationShape::Selection;
  }
  return AggregationShape::Sum;
}

const char* to_string(AggregatorKind kind) {
  switch (kind) {
    case AggregatorKind::SampleMean: return "sample_mean";
    case AggregatorKind::NovaMean: return "nova_mean";
    case AggregatorKind::FairMean: return "qffl_mean";
    case AggregatorKind::Median: return "median";
    case AggregatorKind::TrimmedMean: return "trimmed_mean";
    case AggregatorKind::Krum: return "krum";
    case AggregatorKind::MultiKrum: return "multikrum";
  }
  return "?";
}

const char* to_string(ServerRule rule) {
  switch (rule) {
    case ServerRule::Sgd: return "sgd";
    case ServerRule::Momentum: return "momentum";
    case ServerRule::Adam: return "adam";
    case ServerRule::Yogi: return "yogi";
    case ServerRule::Adagrad: return "adagrad";
  }
  return "?";
}

const char* to_string(ClientRule rule) {
  switch (rule) {
    case ClientRule::LocalSgd: return "local_sgd";
    case ClientRule::FullBatch: return "full_batch";
    case ClientRule::Proximal: return "proximal";
    case ClientRule::Scaffold: return "scaffold";
  }
  return "?";
}

}  // namespace fedhpc
