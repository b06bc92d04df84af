#include <gtest/gtest.h>

#include "data/hdf5_dataset.hpp"
#include "unit/input_error_of.hpp"

using namespace fedhpc;

namespace {
const std::string kTiny = std::string(FEDHPC_FIXTURES) + "/data/hdf5/tiny.h5";
}

TEST(Hdf5Dataset, ReadsTheSplitsAndTheOwnersOfANaturalPartition) {
  DataConfig config;
  config.num_clients = 3;
  config.partition.kind = PartitionKind::Natural;
  const DataSplit split = load_hdf5_dataset(kTiny, config);
  EXPECT_EQ(split.train.size(), 12);
  EXPECT_EQ(split.test.size(), 6);
  EXPECT_EQ(split.train.num_classes, 3);
  EXPECT_EQ(split.train.sample_shape, (std::vector<std::int64_t>{4}));
  EXPECT_EQ(split.train.labels[4], 1);  // y = i % 3
  EXPECT_EQ(split.train.natural_owner, (std::vector<std::int32_t>{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}));
  EXPECT_EQ(split.test.natural_owner, (std::vector<std::int32_t>{0, 0, 1, 1, 2, 2}));
}

TEST(Hdf5Dataset, OwnersAreLeftOutOfOtherPartitions) {
  DataConfig config;
  config.num_clients = 2;  // fewer than the file's owners: they are not read
  const DataSplit split = load_hdf5_dataset(kTiny, config);
  EXPECT_TRUE(split.train.natural_owner.empty());
  EXPECT_TRUE(split.test.natural_owner.empty());
}

TEST(Hdf5Dataset, ANonHdf5FileIsNamed) {
  const std::string path = std::string(FEDHPC_FIXTURES) + "/data/trace_small.csv";
  EXPECT_EQ(test_support::input_error_of([&] { load_hdf5_dataset(path, DataConfig{}); }),
            "data.path: " + path + ": expected an HDF5 file, found something else");
}
