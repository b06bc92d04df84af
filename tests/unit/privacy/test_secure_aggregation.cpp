// Secure aggregation's masks: they cancel to the integer, survive dropouts
// through the unmasking step, and make a single masked input look like noise;
// the protocol's cost as computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "privacy/secure_aggregation.hpp"
#include "privacy/secure_aggregation_cost.hpp"

using namespace fedhpc;

namespace {

std::vector<ClientId> ids(std::initializer_list<std::uint32_t> v) {
  std::vector<ClientId> out;
  for (auto x : v) out.push_back(ClientId{x});
  return out;
}

// A client's fixed-point input: arbitrary signed values, as the ring holds them.
std::vector<std::uint64_t> input_of(ClientId c, std::size_t dim) {
  Rng rng(derive_seed(99, Stream::Data, 0, to_int(c)));
  std::vector<std::uint64_t> x(dim);
  for (auto& v : x) v = static_cast<std::uint64_t>(static_cast<std::int64_t>(rng.uniform_int(2000001)) - 1000000);
  return x;
}

// The server's view: the sum of the survivors' masked inputs, then unmasked.
std::vector<std::uint64_t> aggregate(const SecureAggregation& s, std::size_t dim, bool unmask) {
  std::vector<std::uint64_t> total(dim, 0);
  for (ClientId c : s.survivors()) {
    std::vector<std::uint64_t> masked = input_of(c, dim);
    s.mask(c, masked);
    for (std::size_t i = 0; i < dim; ++i) total[i] += masked[i];
  }
  if (unmask) s.unmask(total);
  return total;
}

std::vector<std::uint64_t> plain_sum(std::span<const ClientId> clients, std::size_t dim) {
  std::vector<std::uint64_t> total(dim, 0);
  for (ClientId c : clients) {
    const auto x = input_of(c, dim);
    for (std::size_t i = 0; i < dim; ++i) total[i] += x[i];
  }
  return total;
}

}  // namespace

TEST(SecureAggregation, MasksCancelToTheInteger) {
  SecureAggregation s(7);
  const auto all = ids({2, 5, 11, 12});
  s.begin_round(Round{3}, all, all);
  EXPECT_EQ(aggregate(s, 1000, true), plain_sum(all, 1000));
}

TEST(SecureAggregation, UnmaskingRemovesTheMasksOfMembersThatDroppedAfterMasking) {
  SecureAggregation s(7);
  const auto keyed = ids({1, 3, 5, 7, 9}), survivors = ids({1, 5, 9});
  s.begin_round(Round{1}, keyed, survivors);
  EXPECT_EQ(aggregate(s, 500, true), plain_sum(survivors, 500));
  // Without the unmasking round the pairs with 3 and 7 (and the self masks) remain.
  EXPECT_NE(aggregate(s, 500, false), plain_sum(survivors, 500));
}

TEST(SecureAggregation, AMaskedInputLooksUniformOverTheRing) {
  SecureAggregation s(11);
  const auto all = ids({0, 1, 2});
  s.begin_round(Round{1}, all, all);
  const std::size_t dim = 200000;
  // A highly structured input (all zeros but for a ramp) still comes out as
  // uniform 64-bit noise: mean 1/2 and variance 1/12 of the ring's size.
  std::vector<std::uint64_t> masked(dim);
  for (std::size_t i = 0; i < dim; ++i) masked[i] = i % 7;
  s.mask(ClientId{1}, masked);
  double mean = 0.0, sq = 0.0;
  for (auto v : masked) {
    const double u = std::ldexp(static_cast<double>(v), -64);
    mean += u;
    sq += u * u;
  }
  mean /= dim;
  const double var = sq / dim - mean * mean;
  EXPECT_NEAR(mean, 0.5, 5 * std::sqrt(1.0 / 12 / dim));
  EXPECT_NEAR(var, 1.0 / 12, 0.002);
  // Another round masks the same input differently.
  std::vector<std::uint64_t> again(dim);
  for (std::size_t i = 0; i < dim; ++i) again[i] = i % 7;
  s.begin_round(Round{2}, all, all);
  s.mask(ClientId{1}, again);
  EXPECT_NE(again, masked);
}

TEST(SecureAggregation, AMaskStreamAddedAndSubtractedLeavesTheRingAlone) {
  std::vector<std::uint64_t> ring{0, 1, UINT64_MAX, 42};
  const auto before = ring;
  add_mask_stream(123, +1, ring);
  EXPECT_NE(ring, before);
  add_mask_stream(123, -1, ring);
  EXPECT_EQ(ring, before);
}

TEST(SecureAggregationCost, ThreeMembersByHand) {
  // 10 coordinates, 1 MB/s (8 Mbit/s), speed 1, no latency. Each member:
  // keys 64 up + 3 x 64 down, shares 2 x 2 x 100 = 656 bytes; a survivor adds
  // 10 x 4 (the ring's wider coordinates) + 3 x 4 (survivor list) + 2 x 36
  // (unmasking shares) = 124. Masks: 3 streams of 80 bytes at 1 GB/s.
  std::vector<SecAggMember> m(3, SecAggMember{8.0, 1.0, true});
  SecAggCost c = secure_aggregation_cost(m, 10, 0.0);
  EXPECT_DOUBLE_EQ(c.bytes, 3 * 780.0);
  EXPECT_DOUBLE_EQ(c.seconds, 780.0 / 1e6 + 240.0 / 1e9 + 3 * 80.0 / 1e9);
  // The last one drops after masking: 2 survivors, whose lists are shorter,
  // and the server expands each survivor's pair with it.
  m[2].survived = false;
  c = secure_aggregation_cost(m, 10, 0.0);
  EXPECT_DOUBLE_EQ(c.bytes, 656.0 + 2 * 776.0);
  EXPECT_DOUBLE_EQ(c.seconds, 776.0 / 1e6 + 240.0 / 1e9 + 2 * 2 * 80.0 / 1e9);
  // Latency: three exchanges, each a message up and one down.
  m[2].survived = true;
  EXPECT_DOUBLE_EQ(secure_aggregation_cost(m, 10, 0.5).seconds - secure_aggregation_cost(m, 10, 0.0).seconds, 3.0);
}
