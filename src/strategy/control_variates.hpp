#pragma once
// SCAFFOLD's control variates (Karimireddy et al., ICML 2020, Algorithm 1,
// option II). The server variate c is replicated on
// every rank (broadcast with the model); each client's c_i lives on the rank
// that owns the client (static placement) and survives across rounds. Only
// clients that have trained hold a vector: a client is data until it trains.
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/types.hpp"

namespace fedhpc {

class ControlVariateStore {
 public:
  explicit ControlVariateStore(std::size_t dim) : dim_(dim) {}
  // Client i's c_i, zero (the paper's start) the first time it is asked for.
  std::span<float> of(ClientId client);
  std::size_t clients() const { return variates_.size(); }
  // The clients that hold a vector, ascending (checkpoints).
  std::vector<std::uint32_t> ids() const;
  std::size_t bytes() const { return variates_.size() * dim_ * sizeof(float); }

 private:
  std::size_t dim_;
  std::unordered_map<std::uint32_t, std::vector<float>> variates_;
};

// The local-step correction c - c_i: each local step is y <- y - lr (g - c_i + c).
void control_correction(std::span<const float> c_local, std::span<const float> c_global, std::span<float> out);

// After K local steps with learning rate lr from x to y (delta = y - x):
//   c_i+ = c_i - c + (x - y) / (K lr),  delta_c = c_i+ - c_i,  c_i <- c_i+.
// The server then does c <- c + (1/N) sum_{i in S} delta_c_i.
void update_control_variate(std::span<float> c_local, std::span<const float> c_global, std::span<const float> delta,
                            std::int64_t steps, double lr, std::span<float> delta_c_out);

}  // namespace fedhpc
