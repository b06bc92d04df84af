#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "core/fixed_point.hpp"
#include "core/rng.hpp"

using namespace fedhpc;

TEST(DeriveSeed, EveryComponentChangesTheSeed) {
  const auto base = derive_seed(1, Stream::Train, 3, 7);
  EXPECT_NE(base, derive_seed(2, Stream::Train, 3, 7));
  EXPECT_NE(base, derive_seed(1, Stream::Selection, 3, 7));
  EXPECT_NE(base, derive_seed(1, Stream::Train, 4, 7));
  EXPECT_NE(base, derive_seed(1, Stream::Train, 3, 8));
  EXPECT_EQ(base, derive_seed(1, Stream::Train, Round{3}, ClientId{7}));
}

TEST(DeriveSeed, IsAFixedFunction) {
  // Pinned so that a change to the derivation (which would silently change
  // every partition and cohort) fails loudly.
  EXPECT_EQ(splitmix64(0), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(derive_seed(1, Stream::Partition, 0, 0), derive_seed(1, Stream::Partition, 0, 0));
}

TEST(Rng, SameSeedSameStream) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    differs |= x != c.next_u64();
  }
  EXPECT_TRUE(differs);
}

TEST(Rng, UniformIntStaysInRangeAndCoversIt) {
  Rng rng(7);
  std::vector<int> hits(10, 0);
  for (int i = 0; i < 10000; ++i) {
    const auto v = rng.uniform_int(10);
    ASSERT_LT(v, 10u);
    ++hits[v];
  }
  for (int h : hits) EXPECT_GT(h, 850);  // expected 1000 each
}

TEST(Rng, UniformIsInUnitInterval) {
  Rng rng(9);
  for (int i = 0; i < 10000; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

TEST(Rng, NormalHasUnitMoments) {
  Rng rng(11);
  double sum = 0, sq = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = rng.normal();
    sum += x;
    sq += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sq / n, 1.0, 0.02);
}

TEST(Rng, GammaMeanEqualsShape) {
  for (double shape : {0.1, 0.5, 1.0, 3.0}) {
    Rng rng(13);
    double sum = 0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) sum += rng.gamma(shape);
    EXPECT_NEAR(sum / n, shape, 0.03 * std::max(shape, 1.0)) << "shape " << shape;
  }
}

TEST(Rng, DirichletIsAProbabilityVector) {
  Rng rng(17);
  for (double alpha : {0.01, 0.5, 10.0}) {
    auto p = rng.dirichlet(20, alpha);
    ASSERT_EQ(p.size(), 20u);
    EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-12);
    for (double x : p) EXPECT_GE(x, 0.0);
  }
}

TEST(Rng, PermutationIsAPermutation) {
  Rng rng(19);
  auto p = rng.permutation(1000);
  auto sorted = p;
  std::sort(sorted.begin(), sorted.end());
  for (std::int64_t i = 0; i < 1000; ++i) ASSERT_EQ(sorted[static_cast<std::size_t>(i)], i);
  EXPECT_FALSE(std::is_sorted(p.begin(), p.end()));
}

TEST(FixedPoint, RoundTripsAndRangeGuard) {
  EXPECT_EQ(to_fixed(1.0, 40), std::int64_t{1} << 40);
  EXPECT_EQ(to_fixed(-0.5, 40), -(std::int64_t{1} << 39));
  EXPECT_EQ(from_fixed(std::int64_t{3} << 38, 40), 0.75);
  EXPECT_TRUE(fits_fixed(4.0e6, 40));
  EXPECT_FALSE(fits_fixed(4.3e6, 40));  // 2^22 = 4,194,304
  EXPECT_FALSE(fits_fixed(std::nan(""), 40));
}
