#pragma once
#include <cstdint>

#include "data/dataset.hpp"

namespace fedhpc {

// FedProx's Synthetic(alpha, beta) (Li et al. 2020, generate_synthetic.py):
// one device per client, n_k = int(LogNormal(4, 2)) + 50 samples, device
// weights W_k, b_k ~ N(u_k, 1) with u_k ~ N(0, alpha), inputs x ~ N(v_k, diag(j^-1.2))
// with v_k ~ N(B_k, 1), B_k ~ N(0, beta); y = argmax(x W_k + b_k). Each device
// keeps 90% for training and pools 10% into the test set. Seeded per device.
DataSplit make_synthetic(const SyntheticConfig& config, int num_devices, std::uint64_t seed);

}  // namespace fedhpc
