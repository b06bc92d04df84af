#pragma once
// Secure aggregation by pairwise masking (Bonawitz et al. 2017, "Practical
// Secure Aggregation for Privacy-Preserving Machine Learning"), simulated
// where it affects results: in the ring of integers modulo 2^64, which is the
// exact reduction's fixed-point sum read as unsigned, so the masks cancel to
// the integer and a secure run's aggregate is the plain one, bit for bit.
//
// Every pair of members that took part in key agreement shares a mask
// stream (key agreement simulated: the stream's key derives from (seed,
// round, i, j)); member i adds the masks it shares with each j > i and
// subtracts those with each j < i, plus a self mask of its own (the
// protocol's double masking). The server removes the survivors' self masks
// and, for each member that dropped after masking, the survivors' pairwise
// masks with it: what the protocol's unmasking round reconstructs from
// secret shares.
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"

namespace fedhpc {

class SecureAggregation {
 public:
  explicit SecureAggregation(std::uint64_t seed) : seed_(seed) {}

  // `keyed`: the members that advertised and shared keys; `survivors`: those
  // whose masked input the server took (a subset). Both sorted by id.
  void begin_round(Round round, std::vector<ClientId> keyed, std::vector<ClientId> survivors);
  // Adds `client`'s masks (pairwise and self) into `ring`: with its fixed-
  // point input already there, `ring` then holds its masked input.
  void mask(ClientId client, std::span<std::uint64_t> ring) const;
  // The server's unmasking of the sum of the survivors' masked inputs.
  void unmask(std::span<std::uint64_t> ring) const;

  std::span<const ClientId> keyed() const { return keyed_; }
  std::span<const ClientId> survivors() const { return survivors_; }

 private:
  std::uint64_t pair_key(ClientId a, ClientId b) const;  // a < b
  std::uint64_t self_key(ClientId a) const;

  std::uint64_t seed_;
  Round round_{0};
  std::vector<ClientId> keyed_, survivors_;
};

// ring += sign * PRG(key) (sign +1 or -1), element-wise modulo 2^64. The PRG
// is SplitMix64 in counter mode, standing in for the protocol's AES-CTR.
void add_mask_stream(std::uint64_t key, int sign, std::span<std::uint64_t> ring);

}  // namespace fedhpc
