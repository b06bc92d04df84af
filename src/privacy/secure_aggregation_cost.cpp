#include "privacy/secure_aggregation_cost.hpp"

#include <algorithm>

namespace fedhpc {

SecAggCost secure_aggregation_cost(std::span<const SecAggMember> members, std::size_t dim, double latency) {
  using S = SecAggSizes;
  const auto n = static_cast<double>(members.size());
  const auto d = static_cast<double>(dim);
  double survivors = 0.0;
  for (const auto& m : members) survivors += m.survived ? 1.0 : 0.0;
  const double dropped = n - survivors;
  const double stream_bytes = d * S::kRingElement;

  SecAggCost cost;
  double slowest = 0.0;
  for (const auto& m : members) {
    // Advertise keys (up), every member's keys (down); share keys: n - 1 up, n - 1 down.
    double bytes = S::kPublicKeys + n * S::kPublicKeys + 2.0 * (n - 1.0) * S::kShareMessage;
    double exchanges = 2.0;
    if (m.survived) {
      // The masked input's extra width; the unmasking round: the list of
      // survivors down, one share per other member up.
      bytes += d * (S::kRingElement - S::kPlainElement) + survivors * S::kMemberId + (n - 1.0) * S::kUnmaskShare;
      exchanges += 1.0;
      const double masks = n * stream_bytes / (S::kPrgBytesPerSecond * m.speed);  // n - 1 pairs and a self mask
      const double seconds = 2.0 * exchanges * latency + bytes * 8.0 / (m.bandwidth_mbps * 1e6) + masks;
      slowest = std::max(slowest, seconds);
    }
    cost.bytes += bytes;
  }
  // The server expands each survivor's self mask and its pairs with the dropped.
  const double server = survivors * (1.0 + dropped) * stream_bytes / S::kPrgBytesPerSecond;
  cost.seconds = survivors > 0.0 ? slowest + server : 0.0;
  return cost;
}

}  // namespace fedhpc
