#include <gtest/gtest.h>

#include <cstdlib>

#include "comm/agree.hpp"
#include "mpi_world.hpp"

using namespace fedhpc;
using fedhpc::test::world;

TEST(MpiComm, ReduceSumOfIntegersAndDoubles) {
  Comm& c = world();
  const int p = c.size(), r = c.rank();
  const std::int64_t big = std::int64_t{1} << 60;
  const std::vector<std::int64_t> in{r, 1, r == 0 ? big : 0};
  std::vector<std::int64_t> out(r == 0 ? 3 : 0);
  c.reduce_sum(in, out, 0);
  const std::vector<double> din{0.5 * r, 1.0};
  std::vector<double> dout(r == 0 ? 2 : 0), dmax(r == 0 ? 2 : 0);
  c.reduce_sum(din, dout, 0);
  c.reduce_max(din, dmax, 0);
  if (r == 0) {
    EXPECT_EQ(out, (std::vector<std::int64_t>{p * (p - 1) / 2, p, big}));
    EXPECT_EQ(dout, (std::vector<double>{0.25 * p * (p - 1), 1.0 * p}));
    EXPECT_EQ(dmax, (std::vector<double>{0.5 * (p - 1), 1.0}));
  }
}

// Buffers of 1 MB and more take the node-aware reduction (comm/node_reduce):
// sizes below, at and above that line, a whole number of 256 KB chunks and a
// ragged last one, twice each (the shared window is reused), exact values.
TEST(MpiComm, LargeReduceSumsAreExactOnAnyRankCount) {
  Comm& c = world();
  const auto p = static_cast<std::int64_t>(c.size());
  const std::int64_t r = c.rank();
  const std::size_t chunk = (std::size_t{256} << 10) / 8, threshold = (std::size_t{1} << 20) / 8;
  for (const std::size_t n : {threshold - 1, threshold, 8 * chunk, 5 * chunk + 1234}) {
    for (int repeat = 0; repeat < 2; ++repeat) {
      std::vector<std::int64_t> in(n);
      std::vector<double> din(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto k = static_cast<std::int64_t>(i);
        in[i] = k * (r + 1) + repeat;
        din[i] = 0.25 * static_cast<double>(k) + static_cast<double>(r);  // every partial sum exact
      }
      std::vector<std::int64_t> out(r == 0 ? n : 0);
      std::vector<double> dout(r == 0 ? n : 0);
      c.reduce_sum(in, out, 0);
      c.reduce_sum(din, dout, 0);
      if (r != 0) continue;
      std::size_t wrong = 0, dwrong = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const auto k = static_cast<std::int64_t>(i);
        wrong += out[i] != k * p * (p + 1) / 2 + p * repeat;
        dwrong += dout[i] != 0.25 * static_cast<double>(k * p) + static_cast<double>(p * (p - 1) / 2);
      }
      EXPECT_EQ(wrong, 0u) << n << " int64 elements, repeat " << repeat;
      EXPECT_EQ(dwrong, 0u) << n << " doubles, repeat " << repeat;
    }
  }
}

// reduce_levels: the time of sum-reductions by level. On one node nothing
// crosses nodes; with nodes posed by FEDHPC_TEST_RANKS_PER_NODE=2 every
// node's leader (even ranks) spends time across nodes and no other rank does,
// whether the sum is small (a two-level MPI_Reduce) or large.
TEST(MpiComm, ReduceLevelsAreTimedApart) {
  Comm& c = world();
  const int r = c.rank();
  const ReduceLevels before = c.reduce_levels();
  for (const std::size_t n : {std::size_t{3}, std::size_t{1} << 18}) {
    const std::vector<std::int64_t> in(n, r);
    std::vector<std::int64_t> out(r == 0 ? n : 0);
    c.reduce_sum(in, out, 0);
    if (r == 0) {
      EXPECT_EQ(out[n - 1], std::int64_t{c.size()} * (c.size() - 1) / 2);
    }
  }
  const ReduceLevels after = c.reduce_levels();
  const double cross = after.cross_seconds - before.cross_seconds;
  EXPECT_GE(after.node_seconds - before.node_seconds, 0.0);
  const char* posed = std::getenv("FEDHPC_TEST_RANKS_PER_NODE");
  if (posed == nullptr || c.size() <= 2) {
    EXPECT_EQ(cross, 0.0) << "rank " << r << " on one node";
    if (c.size() > 1) {
      EXPECT_GT(after.node_seconds - before.node_seconds, 0.0);
    }
  } else if (r % 2 == 0) {
    EXPECT_GT(cross, 0.0) << "rank " << r << " leads a posed node";
  } else {
    EXPECT_EQ(cross, 0.0) << "rank " << r << " does not lead its node";
  }
}

TEST(MpiComm, GathervConcatenatesInRankOrder) {
  Comm& c = world();
  const std::vector<std::byte> mine(static_cast<std::size_t>(c.rank() + 1), std::byte(c.rank()));
  const auto all = c.gatherv(mine, 0);
  if (c.rank() == 0) {
    std::vector<std::byte> expected;
    for (int r = 0; r < c.size(); ++r) expected.insert(expected.end(), static_cast<std::size_t>(r + 1), std::byte(r));
    EXPECT_EQ(all, expected);
  } else {
    EXPECT_TRUE(all.empty());
  }
}

TEST(MpiComm, BroadcastAndMinimum) {
  Comm& c = world();
  std::string s = c.rank() == 0 ? "from the root" : "";
  bcast_string(c, s, 0);
  EXPECT_EQ(s, "from the root");
  std::vector<float> v = c.rank() == 0 ? std::vector<float>{1.5f, 2.5f} : std::vector<float>{};
  bcast_vector(c, v, 0);
  EXPECT_EQ(v, (std::vector<float>{1.5f, 2.5f}));
  EXPECT_EQ(c.allreduce_min(10 - c.rank()), 10 - (c.size() - 1));
}

TEST(Agree, OneFailingRankFailsEveryRankWithItsMessage) {
  Comm& c = world();
  const int last = c.size() - 1;
  try {
    agree(c, [&] {
      if (c.rank() == last) throw InputError("rank " + std::to_string(last) + " cannot read data.path");
    });
    FAIL() << "agree did not throw";
  } catch (const AgreedInputError& e) {
    EXPECT_EQ(std::string(e.what()), "rank " + std::to_string(last) + " cannot read data.path");
  }
  try {
    agree(c, [&] {
      if (c.rank() == 0) throw std::runtime_error("internal");
    });
    FAIL() << "agree did not throw";
  } catch (const AgreedError& e) {
    EXPECT_STREQ(e.what(), "internal");
  }
  EXPECT_NO_THROW(agree(c, [] {}));
}
