#include "strategy/client_state.hpp"

#include <algorithm>

namespace fedhpc {

std::vector<std::uint32_t> ClientStateStore::ids() const {
  std::vector<std::uint32_t> out;
  out.reserve(vectors_.size());
  for (const auto& [id, v] : vectors_) out.push_back(id);
  std::sort(out.begin(), out.end());
  return out;
}

std::span<float> ClientStateStore::of(ClientId client) {
  auto [it, fresh] = vectors_.try_emplace(to_int(client));
  if (fresh) it->second.assign(dim_, 0.0f);
  return it->second;
}

}  // namespace fedhpc
