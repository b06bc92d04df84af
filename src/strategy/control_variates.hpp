#pragma once
// SCAFFOLD's control variates (Karimireddy et al., ICML 2020, Algorithm 1,
// option II). The server variate c is replicated on
// every rank (broadcast with the model); each client's c_i lives on the rank
// that owns the client (static placement) and survives across rounds. Only
// clients that have trained hold a vector: a client is data until it trains.
#include <cstdint>
#include <span>
#include <vector>

#include "strategy/client_state.hpp"

namespace fedhpc {

// Each client's c_i, zero (the paper's start) until it first trains.
using ControlVariateStore = ClientStateStore;

// The local-step correction c - c_i: each local step is y <- y - lr (g - c_i + c).
void control_correction(std::span<const float> c_local, std::span<const float> c_global, std::span<float> out);

// After K local steps with learning rate lr from x to y (delta = y - x):
//   c_i+ = c_i - c + (x - y) / (K lr),  delta_c = c_i+ - c_i,  c_i <- c_i+.
// The server then does c <- c + (1/N) sum_{i in S} delta_c_i.
void update_control_variate(std::span<float> c_local, std::span<const float> c_global, std::span<const float> delta,
                            std::int64_t steps, double lr, std::span<float> delta_c_out);

}  // namespace fedhpc
