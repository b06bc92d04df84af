// Who is adversarial: an exact count, a pure function of (seed, client).
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "attack/adversaries.hpp"
#include "core/rng.hpp"

using namespace fedhpc;

TEST(Adversaries, AFractionIsTheClientsWithTheSmallestHashes) {
  AdversaryConfig c;
  c.attack = AttackKind::SignFlip;
  c.fraction = 0.2;
  const Adversaries a(c, 42, 100);
  ASSERT_EQ(a.ids().size(), 20u);
  // By hand: sort all 100 clients by their hash, keep the first 20.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> all;
  for (std::uint32_t id = 0; id < 100; ++id) all.emplace_back(derive_seed(42, Stream::Adversary, 0u, id), id);
  std::sort(all.begin(), all.end());
  std::vector<std::uint32_t> expected;
  for (int i = 0; i < 20; ++i) expected.push_back(all[static_cast<std::size_t>(i)].second);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(std::vector<std::uint32_t>(a.ids().begin(), a.ids().end()), expected);
  for (std::uint32_t id = 0; id < 100; ++id)
    EXPECT_EQ(a.contains(ClientId{id}), std::binary_search(expected.begin(), expected.end(), id));
  // Another seed, another set of the same size.
  const Adversaries b(c, 43, 100);
  EXPECT_EQ(b.ids().size(), 20u);
  EXPECT_NE(std::vector<std::uint32_t>(b.ids().begin(), b.ids().end()), expected);
}

TEST(Adversaries, AListIsTakenAsGivenAndTheAttackStartsOnItsRound) {
  AdversaryConfig c;
  c.attack = AttackKind::Gaussian;
  c.clients = {7, 3};
  c.start_round = 5;
  const Adversaries a(c, 1, 10);
  EXPECT_EQ(std::vector<std::uint32_t>(a.ids().begin(), a.ids().end()), (std::vector<std::uint32_t>{3, 7}));
  EXPECT_FALSE(a.attacking(Round{4}));
  EXPECT_TRUE(a.attacking(Round{5}));
}

TEST(Adversaries, NoAttackOrAZeroFractionIsNobody) {
  AdversaryConfig c;
  c.fraction = 0.5;  // attack none
  EXPECT_TRUE(Adversaries(c, 1, 10).ids().empty());
  c.attack = AttackKind::Alie;
  c.fraction = 0.0;
  const Adversaries a(c, 1, 10);
  EXPECT_TRUE(a.ids().empty());
  EXPECT_FALSE(a.attacking(Round{3}));
}
