#include "strategy/centered_clip.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "core/error.hpp"
#include "strategy/affine_distance.hpp"
#include "strategy/builtin.hpp"
#include "strategy/catalog.hpp"

namespace fedhpc {

std::vector<double> centered_clip_weights(std::span<const double> sqdist, std::size_t k, double radius,
                                          int iterations) {
  std::vector<double> w(k + 1, 0.0);
  w[k] = 1.0;  // v = the center
  for (int l = 0; l < iterations; ++l) {
    const std::vector<double> dist = distances_from_combination(sqdist, k + 1, w);
    // v <- v (1 - s) + (1/K) sum_i c_i u_i with s = (sum_i c_i) / K, which
    // is exactly 1 when nothing is clipped.
    std::vector<double> clip(k);
    double sum = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
      clip[i] = dist[i] > radius ? radius / dist[i] : 1.0;
      sum += clip[i];
    }
    const double keep = 1.0 - sum / static_cast<double>(k);
    for (double& x : w) x *= keep;
    for (std::size_t i = 0; i < k; ++i) w[i] += clip[i] / static_cast<double>(k);
  }
  return w;
}

namespace {

std::vector<double> clip_choose(std::span<const double> sqdist, std::size_t rows, std::size_t k,
                                std::span<const std::int64_t>, const StrategyConfig& o) {
  FEDHPC_CHECK(rows == k + 1, "centered clipping needs the center as row {}, got {} rows", k, rows);
  return centered_clip_weights(sqdist, k, extra_option(o, "clip_radius"),
                               static_cast<int>(extra_option(o, "clip_iterations")));
}

// x <- x + server_lr Delta, and Delta is the next round's center.
class CenterKeepingStep final : public ServerStep {
 public:
  CenterKeepingStep(const StrategyConfig& o, std::size_t dim) : lr_(o.server_lr), center_(dim, 0.0) {}
  void step(std::span<float> global, std::span<const double> aggregate, const RoundFacts&) override {
    for (std::size_t i = 0; i < global.size(); ++i)
      global[i] = static_cast<float>(static_cast<double>(global[i]) + lr_ * aggregate[i]);
    std::copy(aggregate.begin(), aggregate.end(), center_.begin());
  }
  std::vector<double> state() const override { return center_; }
  void restore(std::span<const double> state) override {
    FEDHPC_CHECK(state.size() == center_.size(), "a center of {} values, expected {}", state.size(), center_.size());
    std::copy(state.begin(), state.end(), center_.begin());
  }
  double learning_rate() const override { return lr_; }
  std::span<const double> center() const override { return center_; }

 private:
  double lr_;
  std::vector<double> center_;
};

const AggregationRule kCenteredClip{
    .name = "centered_clip", .shape = AggregationShape::Selection, .choose = clip_choose, .uses_center = true};

const ServerStepSpec kKeepCenter{.name = "sgd_keeping_center",
                                 .make = [](const StrategyConfig& o, std::size_t dim) -> std::unique_ptr<ServerStep> {
                                   return std::make_unique<CenterKeepingStep>(o, dim);
                                 },
                                 .state_size = [](std::size_t dim) { return dim; }};

constexpr StrategyOption kOptions[] = {
    {.key = "clip_radius",
     .min = 0,
     .min_exclusive = true,
     .max = 1e12,
     .meaning = "centered clipping's tau: the most one update moves the center"},
    {.key = "clip_iterations",
     .min = 1,
     .meaning = "centered clipping's L: clipping steps per round",
     .is_integer = true},
};
constexpr OptionDefault kDefaults[] = {{"clip_radius", 1.0}, {"clip_iterations", 1}};

const StrategyRegistrar kRow({"centered_clip",
                              "centered clipping (Karimireddy et al. 2021): clip each update around the last "
                              "aggregate, L times",
                              &kCenteredClip, &kKeepCenter, &kLocalSgdClient, kDefaults, kOptions});

}  // namespace

}  // namespace fedhpc
