// The built-in rows and the parts they share. A new algorithm does not go
// here: it is one file of its own under src/strategy/ with a
// StrategyRegistrar (rfa.cpp is a small example).
#include "strategy/builtin.hpp"

#include <fmt/format.h>

#include <array>

#include "strategy/catalog.hpp"
#include "strategy/coefficients.hpp"
#include "strategy/robust.hpp"
#include "strategy/scaffold.hpp"
#include "strategy/server_opt.hpp"

namespace fedhpc {

namespace {

// ---- aggregation --------------------------------------------------------

std::vector<double> sample_mean(const CohortView& cohort, const RunConfig&) { return sample_weights(cohort.samples); }

std::vector<double> nova_mean(const CohortView& cohort, const RunConfig& c) {
  std::vector<double> a(cohort.steps.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    a[i] = fednova_effective_steps(cohort.steps[i], c.train.momentum, c.train.lr, c.strategy.mu);
  return fednova_coefficients(cohort.samples, a);
}

std::vector<double> qffl_mean(std::span<const double> loss, std::span<const double> sqnorm, const RunConfig& c) {
  return qffl_coefficients(loss, sqnorm, c.strategy.q, c.train.lr);
}

void median(std::span<const float> rows, std::size_t k, const StrategyConfig&, std::span<double> out) {
  coordinate_median(rows, k, out);
}
std::uint32_t median_kept(std::size_t k, const StrategyConfig&) { return k % 2 == 1 ? 1u : 2u; }

void trimmed_mean(std::span<const float> rows, std::size_t k, const StrategyConfig& o, std::span<double> out) {
  coordinate_trimmed_mean(rows, k, trimmed_count(k, o.trim_fraction), out);
}
std::uint32_t trimmed_kept(std::size_t k, const StrategyConfig& o) {
  return static_cast<std::uint32_t>(k - 2 * trimmed_count(k, o.trim_fraction));
}
std::optional<Infeasible> trimmed_check(std::size_t k, const StrategyConfig& o) {
  if (2 * trimmed_count(k, o.trim_fraction) < k) return std::nullopt;
  return Infeasible{"strategy.trim_fraction",
                    fmt::format("trimming floor({} x {}) values from each end leaves none of {} clients per round",
                                o.trim_fraction, k, k)};
}

// Krum and Multi-Krum (Blanchard et al. 2017): the m best-scored members,
// sample-weighted.
std::vector<double> krum_choose(std::span<const double> sqdist, std::size_t k, std::span<const std::int64_t> samples,
                                std::size_t m, int f) {
  return sample_weights_of(samples, krum_select(krum_scores(sqdist, k, f), m));
}
std::vector<double> krum(std::span<const double> sqdist, std::size_t, std::size_t k,
                         std::span<const std::int64_t> samples, const StrategyConfig& o) {
  return krum_choose(sqdist, k, samples, 1, o.byzantine_f);
}
std::vector<double> multikrum(std::span<const double> sqdist, std::size_t, std::size_t k,
                              std::span<const std::int64_t> samples, const StrategyConfig& o) {
  const std::size_t m =
      o.multikrum_m > 0 ? static_cast<std::size_t>(o.multikrum_m) : k - static_cast<std::size_t>(o.byzantine_f);
  return krum_choose(sqdist, k, samples, m, o.byzantine_f);
}
std::optional<Infeasible> krum_check(std::size_t k, const StrategyConfig& o) {
  const auto f = static_cast<long long>(o.byzantine_f), n = static_cast<long long>(k);
  if (n > 2 * f + 2) return std::nullopt;
  return Infeasible{"strategy.byzantine_f",
                    fmt::format("Krum needs strategy.clients_per_round > 2f + 2: expected f at most {} for {} clients "
                                "per round, found {}",
                                (n - 3) / 2, n, f)};
}
std::optional<Infeasible> multikrum_check(std::size_t k, const StrategyConfig& o) {
  if (auto bad = krum_check(k, o)) return bad;
  const auto most = static_cast<long long>(k) - o.byzantine_f;
  if (o.multikrum_m <= most) return std::nullopt;
  return Infeasible{
      "strategy.multikrum_m",
      fmt::format("expected at most clients_per_round - byzantine_f ({}), found {}", most, o.multikrum_m)};
}

using Shape = AggregationShape;
const AggregationRule kNovaMean{.name = "nova_mean", .shape = Shape::Sum, .coefficients = nova_mean};
const AggregationRule kQfflMean{
    .name = "qffl_mean", .shape = Shape::DeferredSum, .deferred = qffl_mean, .needs_initial_loss = true};
const AggregationRule kMedian{.name = "median", .shape = Shape::Coordinate, .combine = median, .kept = median_kept};
const AggregationRule kTrimmedMean{.name = "trimmed_mean",
                                   .shape = Shape::Coordinate,
                                   .combine = trimmed_mean,
                                   .kept = trimmed_kept,
                                   .check = trimmed_check};
const AggregationRule kKrum{.name = "krum", .shape = Shape::Selection, .choose = krum, .check = krum_check};
const AggregationRule kMultiKrum{
    .name = "multikrum", .shape = Shape::Selection, .choose = multikrum, .check = multikrum_check};

// ---- client rules ---------------------------------------------------------

double no_anchor(const StrategyConfig&) { return 0.0; }
double mu_anchor(const StrategyConfig& o) { return o.mu; }

}  // namespace

constinit const AggregationRule kSampleMean{
    .name = "sample_mean", .shape = AggregationShape::Sum, .coefficients = sample_mean};

constinit const ClientRuleSpec kLocalSgdClient{
    .name = "local_sgd",
    .make = [](const RunConfig&, std::size_t) -> std::unique_ptr<ClientRule> {
      return std::make_unique<FixedTermsRule>(LocalTerms{});
    },
    .group_anchor = no_anchor};
// FedSGD: one step on the full-data gradient.
constinit const ClientRuleSpec kFullBatchClient{
    .name = "full_batch",
    .make = [](const RunConfig&, std::size_t) -> std::unique_ptr<ClientRule> {
      return std::make_unique<FixedTermsRule>(LocalTerms{.full_batch = true});
    },
    .full_batch = true};
// FedProx (Li et al. 2020, eq. 2): each step's gradient gains mu (y - x).
constinit const ClientRuleSpec kProximalClient{
    .name = "proximal",
    .make = [](const RunConfig& c, std::size_t) -> std::unique_ptr<ClientRule> {
      return std::make_unique<FixedTermsRule>(LocalTerms{.anchored = true, .anchor = c.strategy.mu});
    },
    .group_anchor = mu_anchor};

namespace {

// ---- rows -------------------------------------------------------------------

// Defaults: FedAvg's server_lr 1; FedProx mu 0.01 (NIID-Bench's best for
// FMNIST); FedAvgM beta 0.9 (Hsu et al. 2019); adaptive eta, beta1, beta2,
// tau as Reddi et al. 2021 and Flower's defaults; q = 1 (Li et al. 2020 use
// q in {1, 5, 15}).
constexpr OptionDefault kLr1[] = {{"server_lr", 1.0}};
constexpr OptionDefault kFedAvgM[] = {{"server_lr", 1.0}, {"server_momentum", 0.9}};
constexpr OptionDefault kFedProx[] = {{"server_lr", 1.0}, {"mu", 0.01}};
constexpr OptionDefault kFedNova[] = {{"server_lr", 1.0}, {"mu", 0.0}};
constexpr OptionDefault kFedAdam[] = {{"server_lr", 0.1}, {"beta1", 0.9}, {"beta2", 0.99}, {"tau", 1e-3}};
constexpr OptionDefault kFedYogi[] = {{"server_lr", 0.01}, {"beta1", 0.9}, {"beta2", 0.99}, {"tau", 1e-3}};
constexpr OptionDefault kFedAdagrad[] = {{"server_lr", 0.1}, {"beta1", 0.9}, {"tau", 1e-3}};
constexpr OptionDefault kQFedAvg[] = {{"q", 1.0}};
constexpr OptionDefault kTrimmed[] = {{"server_lr", 1.0}, {"trim_fraction", 0.1}};
constexpr OptionDefault kKrumOptions[] = {{"server_lr", 1.0}, {"byzantine_f", 0.0}};
constexpr OptionDefault kMultiKrumOptions[] = {{"server_lr", 1.0}, {"byzantine_f", 0.0}, {"multikrum_m", 0.0}};

const std::array<StrategyInfo, 14> kRows{{
    {"fedsgd",
     "FedSGD (McMahan et al. 2017): one full-batch gradient step per client, sample-weighted mean",
     &kSampleMean,
     &kServerSgd,
     &kFullBatchClient,
     kLr1,
     {}},
    {"fedavg",
     "FedAvg (McMahan et al. 2017): sample-count weighted mean of client models, server lr",
     &kSampleMean,
     &kServerSgd,
     &kLocalSgdClient,
     kLr1,
     {}},
    {"fedavgm",
     "FedAvgM (Hsu et al. 2019): FedAvg with server momentum",
     &kSampleMean,
     &kServerMomentum,
     &kLocalSgdClient,
     kFedAvgM,
     {}},
    {"fedprox",
     "FedProx (Li et al. 2020): local proximal term mu/2 |y - x|^2",
     &kSampleMean,
     &kServerSgd,
     &kProximalClient,
     kFedProx,
     {}},
    {"scaffold",
     "SCAFFOLD (Karimireddy et al. 2020), option II control variates",
     &kSampleMean,
     &kServerSgd,
     &kScaffoldClient,
     kLr1,
     {}},
    {"fednova",
     "FedNova (Wang et al. 2020): averaging normalized by effective local steps",
     &kNovaMean,
     &kServerSgd,
     &kProximalClient,
     kFedNova,
     {}},
    {"fedadam",
     "FedAdam (Reddi et al. 2021): Adam on the server",
     &kSampleMean,
     &kServerAdam,
     &kLocalSgdClient,
     kFedAdam,
     {}},
    {"fedyogi",
     "FedYogi (Reddi et al. 2021): Yogi on the server",
     &kSampleMean,
     &kServerYogi,
     &kLocalSgdClient,
     kFedYogi,
     {}},
    {"fedadagrad",
     "FedAdagrad (Reddi et al. 2021): Adagrad on the server",
     &kSampleMean,
     &kServerAdagrad,
     &kLocalSgdClient,
     kFedAdagrad,
     {}},
    {"qfedavg",
     "q-FedAvg (Li et al. 2020, q-FFL): fairness-weighted average",
     &kQfflMean,
     &kServerSgd,
     &kLocalSgdClient,
     kQFedAvg,
     {}},
    {"median", "coordinate-wise median (Yin et al. 2018)", &kMedian, &kServerSgd, &kLocalSgdClient, kLr1, {}},
    {"trimmed_mean",
     "coordinate-wise trimmed mean (Yin et al. 2018)",
     &kTrimmedMean,
     &kServerSgd,
     &kLocalSgdClient,
     kTrimmed,
     {}},
    {"krum",
     "Krum (Blanchard et al. 2017): the update closest to its n-f-2 neighbours",
     &kKrum,
     &kServerSgd,
     &kLocalSgdClient,
     kKrumOptions,
     {}},
    {"multikrum",
     "Multi-Krum (Blanchard et al. 2017): mean of the m best Krum scores",
     &kMultiKrum,
     &kServerSgd,
     &kLocalSgdClient,
     kMultiKrumOptions,
     {}},
}};

}  // namespace

std::span<const StrategyInfo> builtin_strategies() { return kRows; }

}  // namespace fedhpc
