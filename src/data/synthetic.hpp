#pragma once
#include <cstdint>
#include <vector>

#include "data/dataset.hpp"

namespace fedhpc {

// FedProx's Synthetic(alpha, beta) (Li et al. 2020, generate_synthetic.py):
// one device per client, n_k = int(LogNormal(4, 2)) + 50 samples, device
// weights W_k, b_k ~ N(u_k, 1) with u_k ~ N(0, alpha), inputs x ~ N(v_k, diag(j^-1.2))
// with v_k ~ N(B_k, 1), B_k ~ N(0, beta); y = argmax(x W_k + b_k). Each device
// keeps 90% for training and pools 10% into the test set. Seeded per device,
// so any device can be made alone, bit for bit as in the whole set.
class SyntheticGenerator {
 public:
  SyntheticGenerator(const SyntheticConfig& config, std::uint64_t seed);

  // An empty data set of this shape (features of `dim`, `num_classes`).
  Dataset empty() const;
  // Device k's training samples (appended to `train`, natural_owner k) and
  // its test samples (appended to `test` when given).
  void append_device(int k, Dataset& train, Dataset* test) const;
  // Device k's number of training samples, from its first draw only.
  std::int64_t train_size(int k) const;

 private:
  SyntheticConfig config_;
  std::uint64_t seed_;
  std::vector<double> sigma_, shared_w_, shared_b_;
};

// Every device's samples, in device order (the eager data set).
DataSplit make_synthetic(const SyntheticConfig& config, int num_devices, std::uint64_t seed);

// data.synthetic.on_demand: no training samples are made up front (a client's
// are generated when it trains); the test set pools the test samples of the
// first min(num_devices, config.test_devices) devices.
DataSplit make_synthetic_on_demand(const SyntheticConfig& config, int num_devices, std::uint64_t seed);

}  // namespace fedhpc
