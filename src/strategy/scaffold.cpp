#include "strategy/scaffold.hpp"

#include <vector>

#include "strategy/control_variates.hpp"

namespace fedhpc {

namespace {

class ScaffoldRule final : public ClientRule {
 public:
  ScaffoldRule(const RunConfig& config, std::size_t dim)
      : lr_(config.train.lr),
        num_clients_(static_cast<double>(config.data.num_clients)),
        control_(dim, 0.0f),  // c = 0 at the start (Algorithm 1)
        correction_(dim),
        clients_(dim) {}

  LocalTerms before(ClientId client) override {
    local_ = clients_.of(client);
    control_correction(local_, control_, correction_);
    // Applied after each optimizer step, outside the momentum buffer: with
    // momentum 0 this is the paper's y <- y - lr (g - c_i + c); with
    // momentum it is where NIID-Bench's code applies it.
    return LocalTerms{.shift = correction_};
  }

  void after(ClientId, std::span<const float> delta, std::int64_t steps, std::span<float> upload) override {
    update_control_variate(local_, control_, delta, steps, lr_, upload);
  }

  std::size_t upload_size() const override { return control_.size(); }
  double upload_divisor() const override { return num_clients_; }

  // c <- c + (1/N) sum_{i in S} delta_c_i (Algorithm 1, line 17).
  void apply_upload(std::span<const double> sum) override {
    for (std::size_t j = 0; j < control_.size(); ++j)
      control_[j] = static_cast<float>(static_cast<double>(control_[j]) + sum[j]);
  }

  std::span<float> shared() override { return control_; }
  ClientStateStore* states() override { return &clients_; }

 private:
  double lr_, num_clients_;
  std::vector<float> control_, correction_;
  ControlVariateStore clients_;
  std::span<float> local_;  // the c_i of the client being trained
};

}  // namespace

const ClientRuleSpec kScaffoldClient{.name = "scaffold",
                                     .make = [](const RunConfig& c, std::size_t dim) -> std::unique_ptr<ClientRule> {
                                       return std::make_unique<ScaffoldRule>(c, dim);
                                     },
                                     .per_client_state = true,
                                     .shared_state = true};

}  // namespace fedhpc
