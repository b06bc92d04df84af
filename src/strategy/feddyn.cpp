#include "strategy/feddyn.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "strategy/catalog.hpp"

namespace fedhpc {

void feddyn_client_update(std::span<float> memory, std::span<const float> delta, double alpha) {
  FEDHPC_CHECK(memory.size() == delta.size(), "gradient memory of {} for an update of {}", memory.size(), delta.size());
  for (std::size_t i = 0; i < memory.size(); ++i)
    memory[i] = static_cast<float>(static_cast<double>(memory[i]) - alpha * static_cast<double>(delta[i]));
}

void feddyn_server_step(std::span<float> global, std::span<double> h, std::span<const double> mean, double alpha,
                        std::size_t participants, std::size_t num_clients) {
  FEDHPC_CHECK(global.size() == h.size() && mean.size() == h.size(), "model {}, h {}, update {}", global.size(),
               h.size(), mean.size());
  const double share = static_cast<double>(participants) / static_cast<double>(num_clients);
  for (std::size_t i = 0; i < global.size(); ++i) {
    h[i] -= alpha * share * mean[i];
    global[i] = static_cast<float>(static_cast<double>(global[i]) + mean[i] - h[i] / alpha);
  }
}

namespace {

double alpha_of(const StrategyConfig& o) { return extra_option(o, "alpha"); }

// The local terms: the proximal pull alpha (y - x) and the linear term g_k.
class DynamicRegularizer final : public ClientRule {
 public:
  DynamicRegularizer(const RunConfig& c, std::size_t dim) : alpha_(alpha_of(c.strategy)), memory_(dim) {}
  LocalTerms before(ClientId client) override {
    current_ = memory_.of(client);
    return LocalTerms{.anchored = true, .anchor = alpha_, .linear = current_};
  }
  void after(ClientId, std::span<const float> delta, std::int64_t, std::span<float>) override {
    feddyn_client_update(current_, delta, alpha_);
  }
  ClientStateStore* states() override { return &memory_; }

 private:
  double alpha_;
  ClientStateStore memory_;
  std::span<float> current_;
};

class DynamicServer final : public ServerStep {
 public:
  DynamicServer(const StrategyConfig& o, std::size_t dim) : alpha_(alpha_of(o)), h_(dim, 0.0) {}
  void step(std::span<float> global, std::span<const double> mean, const RoundFacts& facts) override {
    feddyn_server_step(global, h_, mean, alpha_, facts.aggregated, facts.num_clients);
  }
  std::vector<double> state() const override { return h_; }
  void restore(std::span<const double> state) override {
    FEDHPC_CHECK(state.size() == h_.size(), "FedDyn's h of {} values, expected {}", state.size(), h_.size());
    std::copy(state.begin(), state.end(), h_.begin());
  }
  double learning_rate() const override { return 1.0; }

 private:
  double alpha_;
  std::vector<double> h_;
};

// The plain mean over the participants.
std::vector<double> uniform(const CohortView& cohort, const RunConfig&) {
  return std::vector<double>(cohort.clients.size(), 1.0 / static_cast<double>(cohort.clients.size()));
}

const AggregationRule kUniformMean{.name = "uniform_mean", .shape = AggregationShape::Sum, .coefficients = uniform};

const ServerStepSpec kServer{.name = "feddyn",
                             .make = [](const StrategyConfig& o, std::size_t dim) -> std::unique_ptr<ServerStep> {
                               return std::make_unique<DynamicServer>(o, dim);
                             },
                             .state_size = [](std::size_t dim) { return dim; }};

const ClientRuleSpec kClient{.name = "dynamic_regularizer",
                             .make = [](const RunConfig& c, std::size_t dim) -> std::unique_ptr<ClientRule> {
                               return std::make_unique<DynamicRegularizer>(c, dim);
                             },
                             .per_client_state = true};

constexpr StrategyOption kOptions[] = {
    {.key = "alpha",
     .min = 0,
     .min_exclusive = true,
     .max = 1e4,
     .meaning = "FedDyn's regularisation: alpha/2 |y - x|^2 locally, h / alpha on the server"},
};
constexpr OptionDefault kDefaults[] = {{"alpha", 0.01}};

const StrategyRegistrar kRow({"feddyn", "FedDyn (Acar et al. 2021): dynamic regularisation, per-client gradient memory",
                              &kUniformMean, &kServer, &kClient, kDefaults, kOptions});

}  // namespace

}  // namespace fedhpc
