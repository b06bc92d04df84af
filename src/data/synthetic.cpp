#include "data/synthetic.hpp"

#include <cmath>

#include "core/rng.hpp"

namespace fedhpc {

namespace {
void append_sample(Dataset& d, const std::vector<double>& x, std::int64_t y, std::int32_t owner) {
  for (double v : x) d.features.push_back(static_cast<float>(v));
  d.labels.push_back(y);
  d.natural_owner.push_back(owner);
}
}  // namespace

DataSplit make_synthetic(const SyntheticConfig& cfg, int num_devices, std::uint64_t seed) {
  const int dim = cfg.dim;
  const int classes = cfg.num_classes;
  DataSplit split;
  for (Dataset* d : {&split.train, &split.test}) {
    d->sample_shape = {dim};
    d->num_classes = classes;
  }

  std::vector<double> sigma(static_cast<std::size_t>(dim));
  for (int j = 0; j < dim; ++j) sigma[static_cast<std::size_t>(j)] = std::sqrt(std::pow(j + 1.0, -1.2));

  // Synthetic_IID shares one model (W, b ~ N(0, 1)) and v = 0 across devices.
  Rng shared_rng(derive_seed(seed, Stream::Data, 0, 0xFFFFFFFFu));
  std::vector<double> shared_w(static_cast<std::size_t>(dim * classes)), shared_b(static_cast<std::size_t>(classes));
  for (auto& w : shared_w) w = shared_rng.normal();
  for (auto& b : shared_b) b = shared_rng.normal();

  for (int k = 0; k < num_devices; ++k) {
    Rng rng(derive_seed(seed, Stream::Data, 0, static_cast<std::uint32_t>(k)));
    const auto n = static_cast<std::int64_t>(std::exp(rng.normal(4.0, 2.0))) + 50;
    std::vector<double> w = shared_w, b = shared_b, v(static_cast<std::size_t>(dim), 0.0);
    if (!cfg.iid) {
      const double u = rng.normal(0.0, cfg.alpha);
      const double big_b = rng.normal(0.0, cfg.beta);
      for (auto& x : v) x = rng.normal(big_b, 1.0);
      for (auto& x : w) x = rng.normal(u, 1.0);
      for (auto& x : b) x = rng.normal(u, 1.0);
    }
    std::vector<std::vector<double>> xs(static_cast<std::size_t>(n));
    std::vector<std::int64_t> ys(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
      auto& x = xs[static_cast<std::size_t>(i)];
      x.resize(static_cast<std::size_t>(dim));
      for (int j = 0; j < dim; ++j) x[static_cast<std::size_t>(j)] = rng.normal(v[static_cast<std::size_t>(j)], sigma[static_cast<std::size_t>(j)]);
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
    const std::int64_t train_len = static_cast<std::int64_t>(0.9 * static_cast<double>(n));
    for (std::int64_t i = 0; i < n; ++i) {
      const auto s = static_cast<std::size_t>(order[static_cast<std::size_t>(i)]);
      append_sample(i < train_len ? split.train : split.test, xs[s], ys[s], k);
    }
  }
  split.test.natural_owner.clear();
  return split;
}

}  // namespace fedhpc
