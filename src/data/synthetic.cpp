#include "data/synthetic.hpp"

#include <algorithm>
#include <cmath>

#include "core/rng.hpp"

namespace fedhpc {

namespace {
void append_sample(Dataset& d, const std::vector<double>& x, std::int64_t y, std::int32_t owner) {
  for (double v : x) d.features.push_back(static_cast<float>(v));
  d.labels.push_back(y);
  d.natural_owner.push_back(owner);
}

std::int64_t draw_size(Rng& rng) { return static_cast<std::int64_t>(std::exp(rng.normal(4.0, 2.0))) + 50; }
std::int64_t train_part(std::int64_t n) { return static_cast<std::int64_t>(0.9 * static_cast<double>(n)); }
}  // namespace

SyntheticGenerator::SyntheticGenerator(const SyntheticConfig& config, std::uint64_t seed) : config_(config), seed_(seed) {
  const int dim = config_.dim;
  sigma_.resize(static_cast<std::size_t>(dim));
  for (int j = 0; j < dim; ++j) sigma_[static_cast<std::size_t>(j)] = std::sqrt(std::pow(j + 1.0, -1.2));
  // Synthetic_IID shares one model (W, b ~ N(0, 1)) and v = 0 across devices.
  Rng shared_rng(derive_seed(seed_, Stream::Data, 0, 0xFFFFFFFFu));
  shared_w_.resize(static_cast<std::size_t>(dim * config_.num_classes));
  shared_b_.resize(static_cast<std::size_t>(config_.num_classes));
  for (auto& w : shared_w_) w = shared_rng.normal();
  for (auto& b : shared_b_) b = shared_rng.normal();
}

Dataset SyntheticGenerator::empty() const {
  Dataset d;
  d.sample_shape = {config_.dim};
  d.num_classes = config_.num_classes;
  return d;
}

std::int64_t SyntheticGenerator::train_size(int k) const {
  Rng rng(derive_seed(seed_, Stream::Data, 0, static_cast<std::uint32_t>(k)));
  return train_part(draw_size(rng));
}

void SyntheticGenerator::append_device(int k, Dataset& train, Dataset* test) const {
  const int dim = config_.dim;
  const int classes = config_.num_classes;
  Rng rng(derive_seed(seed_, Stream::Data, 0, static_cast<std::uint32_t>(k)));
  const std::int64_t n = draw_size(rng);
  std::vector<double> w = shared_w_, b = shared_b_, v(static_cast<std::size_t>(dim), 0.0);
  if (!config_.iid) {
    const double u = rng.normal(0.0, config_.alpha);
    const double big_b = rng.normal(0.0, config_.beta);
    for (auto& x : v) x = rng.normal(big_b, 1.0);
    for (auto& x : w) x = rng.normal(u, 1.0);
    for (auto& x : b) x = rng.normal(u, 1.0);
  }
  std::vector<std::vector<double>> xs(static_cast<std::size_t>(n));
  std::vector<std::int64_t> ys(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    auto& x = xs[static_cast<std::size_t>(i)];
    x.resize(static_cast<std::size_t>(dim));
    for (int j = 0; j < dim; ++j) x[static_cast<std::size_t>(j)] = rng.normal(v[static_cast<std::size_t>(j)], sigma_[static_cast<std::size_t>(j)]);
    // argmax of x W + b (softmax is monotone, so it does not change the label)
    std::int64_t best = 0;
    double best_logit = -INFINITY;
    for (int c = 0; c < classes; ++c) {
      double logit = b[static_cast<std::size_t>(c)];
      for (int j = 0; j < dim; ++j) logit += x[static_cast<std::size_t>(j)] * w[static_cast<std::size_t>(j * classes + c)];
      if (logit > best_logit) {
        best_logit = logit;
        best = c;
      }
    }
    ys[static_cast<std::size_t>(i)] = best;
  }
  auto order = rng.permutation(n);
  const std::int64_t train_len = train_part(n);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto s = static_cast<std::size_t>(order[static_cast<std::size_t>(i)]);
    if (i < train_len)
      append_sample(train, xs[s], ys[s], k);
    else if (test)
      append_sample(*test, xs[s], ys[s], k);
  }
}

DataSplit make_synthetic(const SyntheticConfig& config, int num_devices, std::uint64_t seed) {
  const SyntheticGenerator gen(config, seed);
  DataSplit split{gen.empty(), gen.empty()};
  for (int k = 0; k < num_devices; ++k) gen.append_device(k, split.train, &split.test);
  split.test.natural_owner.clear();
  return split;
}

DataSplit make_synthetic_on_demand(const SyntheticConfig& config, int num_devices, std::uint64_t seed) {
  const SyntheticGenerator gen(config, seed);
  DataSplit split{gen.empty(), gen.empty()};
  Dataset unused = gen.empty();
  for (int k = 0; k < std::min(num_devices, config.test_devices); ++k) {
    gen.append_device(k, unused, &split.test);
    unused = gen.empty();
  }
  split.test.natural_owner.clear();
  return split;
}

}  // namespace fedhpc
