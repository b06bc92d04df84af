#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "core/error.hpp"
#include "data/partition.hpp"
#include "data/population.hpp"

using namespace fedhpc;

namespace {

// `per_class` samples of each of `classes` labels, interleaved 0,1,2,...
std::vector<std::int64_t> labels(int classes, int per_class) {
  std::vector<std::int64_t> y;
  for (int i = 0; i < per_class; ++i)
    for (int c = 0; c < classes; ++c) y.push_back(c);
  return y;
}

Partition make(PartitionConfig cfg, int clients, const std::vector<std::int64_t>& y, std::uint64_t seed = 1) {
  return make_partition(cfg, clients, y, 10, {}, seed);
}

// Every index appears at most once (exactly once when `all`).
void expect_disjoint(const Partition& p, std::size_t n, bool all) {
  std::vector<int> seen(n, 0);
  for (const auto& c : p.clients)
    for (auto i : c) ++seen[static_cast<std::size_t>(i)];
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_LE(seen[i], 1) << "index " << i;
    if (all) {
      ASSERT_EQ(seen[i], 1) << "index " << i;
    }
  }
}

std::set<std::int64_t> classes_of(const std::vector<std::int64_t>& idx, const std::vector<std::int64_t>& y) {
  std::set<std::int64_t> s;
  for (auto i : idx) s.insert(y[static_cast<std::size_t>(i)]);
  return s;
}

}  // namespace

TEST(SplitSizes, MatchesNumpyArraySplit) {
  EXPECT_EQ(split_sizes(10, 4), (std::vector<std::int64_t>{3, 3, 2, 2}));
  EXPECT_EQ(split_sizes(60000, 100), std::vector<std::int64_t>(100, 600));
  EXPECT_EQ(split_sizes(2, 3), (std::vector<std::int64_t>{1, 1, 0}));
}

TEST(Partition, IidGivesArraySplitSizesAndUsesEverySample) {
  const auto y = labels(10, 100);  // 1000 samples
  auto p = make({.kind = PartitionKind::Iid}, 7, y);
  EXPECT_EQ(p.sizes(), (std::vector<std::int64_t>{143, 143, 143, 143, 143, 143, 142}));
  expect_disjoint(p, y.size(), true);
}

TEST(Partition, ShardsFollowMcMahan) {
  // 10 classes x 30 = 300 samples; 10 clients x 2 shards of 15: each shard
  // is a run of one label, so a client holds at most 2 classes.
  const auto y = labels(10, 30);
  auto p = make({.kind = PartitionKind::Shards, .shards_per_client = 2}, 10, y);
  EXPECT_EQ(p.sizes(), std::vector<std::int64_t>(10, 30));
  expect_disjoint(p, y.size(), true);
  for (const auto& c : p.clients) EXPECT_LE(classes_of(c, y).size(), 2u);
  // The paper's MNIST numbers: 60,000 samples, 100 clients -> 200 shards of 300.
  auto mnist = make({.kind = PartitionKind::Shards, .shards_per_client = 2}, 100, labels(10, 6000));
  EXPECT_EQ(mnist.sizes(), std::vector<std::int64_t>(100, 600));
}

TEST(Partition, ImpossibleShardsIsAnInputErrorNamingTheKey) {
  const auto y = labels(10, 10);
  try {
    make({.kind = PartitionKind::Shards, .shards_per_client = 20}, 10, y);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "data.partition.shards_per_client: 10 clients x 20 shards = 200 shards, but the training set has only "
                 "100 samples");
  }
}

TEST(Partition, DirichletUsesEverySampleRespectsMinSizeAndIsSeeded) {
  const auto y = labels(10, 600);
  PartitionConfig cfg{.kind = PartitionKind::Dirichlet, .alpha = 0.5, .min_size = 10};
  auto a = make(cfg, 10, y, 1);
  expect_disjoint(a, y.size(), true);
  for (auto s : a.sizes()) EXPECT_GE(s, 10);
  EXPECT_EQ(a.clients, make(cfg, 10, y, 1).clients);
  EXPECT_NE(a.clients, make(cfg, 10, y, 2).clients);
  // Skewed: with alpha 0.5 some client misses a class or is far from uniform.
  const auto counts = a.class_counts(y, 10);
  EXPECT_GT(*std::max_element(counts.begin(), counts.end()), 2 * 60);
}

TEST(Partition, DirichletThatCannotMeetMinSizeIsAnInputError) {
  const auto y = labels(10, 10);  // 100 samples, 10 clients, min 11 each: impossible
  EXPECT_THROW(make({.kind = PartitionKind::Dirichlet, .alpha = 0.5, .min_size = 11}, 10, y), InputError);
}

TEST(Partition, LabelKOneGivesEachClientItsOwnClass) {
  const auto y = labels(10, 50);
  auto p = make({.kind = PartitionKind::LabelK, .k = 1}, 10, y);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(classes_of(p.clients[static_cast<std::size_t>(i)], y), std::set<std::int64_t>{i});
    EXPECT_EQ(p.clients[static_cast<std::size_t>(i)].size(), 50u);
  }
}

TEST(Partition, LabelKSplitsEachClassAmongItsHolders) {
  const auto y = labels(10, 60);
  auto p = make({.kind = PartitionKind::LabelK, .k = 3}, 10, y);
  expect_disjoint(p, y.size(), false);
  std::vector<int> holders(10, 0);
  for (std::size_t i = 0; i < 10; ++i) {
    const auto cls = classes_of(p.clients[i], y);
    EXPECT_EQ(cls.size(), 3u);
    EXPECT_TRUE(cls.count(static_cast<std::int64_t>(i)));  // client i holds label i mod 10
    for (auto c : cls) ++holders[static_cast<std::size_t>(c)];
  }
  const auto counts = p.class_counts(y, 10);
  for (std::size_t i = 0; i < 10; ++i)
    for (std::size_t c = 0; c < 10; ++c) {
      const auto n = counts[i * 10 + c];
      if (n == 0) continue;
      const auto h = holders[c];  // 60 split over h holders: 60/h or 60/h + 1
      EXPECT_TRUE(n == 60 / h || n == 60 / h + 1) << "client " << i << " class " << c;
    }
}

TEST(Partition, QuantitySkewKeepsLabelsMixedAndSizesUneven) {
  const auto y = labels(10, 100);
  auto p = make({.kind = PartitionKind::Quantity, .beta = 0.5, .min_size = 10}, 10, y);
  expect_disjoint(p, y.size(), true);
  auto s = p.sizes();
  EXPECT_GE(*std::min_element(s.begin(), s.end()), 10);
  EXPECT_NE(*std::min_element(s.begin(), s.end()), *std::max_element(s.begin(), s.end()));
}

TEST(Partition, NaturalFollowsTheOwners) {
  const std::vector<std::int64_t> y{0, 1, 0, 1, 1};
  const std::vector<std::int32_t> owner{1, 0, 1, 2, 0};
  auto p = make_partition({.kind = PartitionKind::Natural}, 3, y, 2, owner, 1);
  EXPECT_EQ(p.clients, (std::vector<std::vector<std::int64_t>>{{1, 4}, {0, 2}, {3}}));
  EXPECT_EQ(p.class_counts(y, 2), (std::vector<std::int64_t>{0, 2, 2, 0, 0, 1}));
}

TEST(Partition, MoreClientsThanSamples) {
  EXPECT_THROW(make({.kind = PartitionKind::Iid}, 11, labels(10, 1)), InputError);
}

// On demand, nothing is kept per client: only rank 0's /partition rows,
// written up to kMaxPartitionRows clients (a size, 10 class counts, a flag).
TEST(Population, OnDemandPopulationsCostOnlyTheRowsWritten) {
  DataConfig c;
  c.dataset = DatasetKind::Synthetic;
  c.synthetic.num_classes = 10;
  c.synthetic.on_demand = true;
  c.num_clients = 1000;
  EXPECT_EQ(population_bytes(c, 10), 1000u * (11 * 8 + 1));
  c.num_clients = 100'000'000;
  EXPECT_EQ(population_bytes(c, 10), 1'000'000u * (11 * 8 + 1));
  EXPECT_NO_THROW(check_population_fits(c, 10, std::uint64_t{1} << 30));
}

TEST(Population, APopulationThatCannotFitIsRefusedWithTheEstimate) {
  DataConfig c;
  c.dataset = DatasetKind::Synthetic;
  c.synthetic.num_classes = 10;
  c.num_clients = 1000;
  EXPECT_EQ(population_bytes(c, 10), 1000u * (256 + 2 * 10 * 8));
  EXPECT_NO_THROW(check_population_fits(c, 10, std::uint64_t{1} << 30));
  EXPECT_NO_THROW(check_population_fits(c, 10, std::nullopt));  // unknown memory: no check
  c.num_clients = 1 << 30;
  try {
    check_population_fits(c, 10, std::uint64_t{64} << 30);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "data.num_clients: 1073741824 clients need about 416.0 GiB of bookkeeping on every rank, "
                           "and 64.0 GiB is available here; use fewer clients");
  }
}

// A data set's own number of classes sizes the class counts (the Brown
// corpus has a class per character of its vocabulary, not 10).
TEST(Population, TheEstimateCountsTheDataSetsClasses) {
  DataConfig c;
  c.dataset = DatasetKind::Brown;
  c.num_clients = 1000;
  EXPECT_EQ(population_bytes(c, 80), 1000u * (256 + 2 * 80 * 8));
  c.num_clients = 100'000'000;
  EXPECT_NO_THROW(check_population_fits(c, 10, std::uint64_t{64} << 30));  // 38.7 GiB
  EXPECT_THROW(check_population_fits(c, 80, std::uint64_t{64} << 30), InputError);  // 143.1 GiB
}
