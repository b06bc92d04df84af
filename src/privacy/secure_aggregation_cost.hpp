#pragma once
// What secure aggregation adds to a round on the virtual clock: the
// protocol's messages (Bonawitz et al. 2017: advertise keys, share keys,
// masked input, unmasking) and its mask expansion. O(n) bytes and mask
// streams per client and O(n^2) bytes through the server for n members.
// Charged after the deadline rule has chosen the survivors: the protocol
// runs once the updates exist, so it never makes a client late.
#include <cstddef>
#include <span>

namespace fedhpc {

// Sizes of the protocol's messages (honest-but-curious variant, no signatures).
struct SecAggSizes {
  static constexpr double kPublicKeys = 64;     // two X25519 public keys (encryption, masking)
  static constexpr double kShareMessage = 100;  // ids, two 32-byte Shamir shares, nonce and tag
  static constexpr double kUnmaskShare = 36;    // a member id and one 32-byte share
  static constexpr double kMemberId = 4;
  static constexpr double kRingElement = 8;     // a masked coordinate: int64, where a plain update sends a float
  static constexpr double kPlainElement = 4;
  // Mask expansion (AES-CTR with hardware AES on one core of the reference device).
  static constexpr double kPrgBytesPerSecond = 1e9;
};

struct SecAggMember {
  double bandwidth_mbps = 100.0;
  double speed = 1.0;
  bool survived = false;  // its masked input reached the server
};

struct SecAggCost {
  double bytes = 0.0;    // every member's up and down traffic the plain round does not have
  double seconds = 0.0;  // added to the round: the slowest survivor's protocol time, then the server's
};

// `members`: those that took part in key agreement; `dim`: coordinates masked.
SecAggCost secure_aggregation_cost(std::span<const SecAggMember> members, std::size_t dim, double latency);

}  // namespace fedhpc
