#pragma once
// Per-client state that survives across rounds (SCAFFOLD's c_i, FedDyn's
// gradient memory): one float vector over the model per client that has
// trained, on the rank that owns the client (static placement). A client is
// data until it trains, so the store grows only with clients that trained.
// Checkpoints read and write it through ids() and of(); fl/ never needs to
// know what the vectors mean.
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/types.hpp"

namespace fedhpc {

class ClientStateStore {
 public:
  explicit ClientStateStore(std::size_t dim) : dim_(dim) {}
  // Client i's vector, zero the first time it is asked for.
  std::span<float> of(ClientId client);
  std::size_t dim() const { return dim_; }
  std::size_t clients() const { return vectors_.size(); }
  // The clients that hold a vector, ascending (checkpoints).
  std::vector<std::uint32_t> ids() const;
  std::size_t bytes() const { return vectors_.size() * dim_ * sizeof(float); }

 private:
  std::size_t dim_;
  std::unordered_map<std::uint32_t, std::vector<float>> vectors_;
};

}  // namespace fedhpc
