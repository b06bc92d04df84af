#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "data/dataset.hpp"
#include "data/idx_reader.hpp"

using namespace fedhpc;

namespace {

std::string temp_dir() {
  auto dir = std::filesystem::path(FEDHPC_TEST_OUT) / "idx" / ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::vector<unsigned char> idx_bytes(unsigned char rank, std::vector<std::uint32_t> dims, std::size_t payload) {
  std::vector<unsigned char> b{0, 0, 8, rank};
  for (auto d : dims) {
    b.push_back(static_cast<unsigned char>(d >> 24));
    b.push_back(static_cast<unsigned char>(d >> 16));
    b.push_back(static_cast<unsigned char>(d >> 8));
    b.push_back(static_cast<unsigned char>(d));
  }
  for (std::size_t i = 0; i < payload; ++i) b.push_back(static_cast<unsigned char>(i % 10));
  return b;
}

void write_raw(const std::string& path, const std::vector<unsigned char>& b) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

void write_gz(const std::string& path, const std::vector<unsigned char>& b) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, b.data(), static_cast<unsigned>(b.size()));
  gzclose(f);
}

std::string error_of(const std::string& path, int rank) {
  try {
    read_idx(path, rank);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(IdxReader, ReadsRawAndGzipped) {
  const auto dir = temp_dir();
  write_raw(dir + "/a", idx_bytes(3, {2, 3, 4}, 24));
  write_gz(dir + "/a.gz", idx_bytes(3, {2, 3, 4}, 24));
  for (const auto& p : {dir + "/a", dir + "/a.gz"}) {
    const auto arr = read_idx(p, 3);
    EXPECT_EQ(arr.dims, (std::vector<std::int64_t>{2, 3, 4}));
    ASSERT_EQ(arr.data.size(), 24u);
    EXPECT_EQ(arr.data[13], 3);
  }
}

TEST(IdxReader, RejectsMissingWrongMagicTruncatedAndOverlongFiles) {
  const auto dir = temp_dir();
  EXPECT_EQ(error_of(dir + "/nope", 1), dir + "/nope: cannot open the data file");
  write_raw(dir + "/magic", idx_bytes(1, {5}, 5));
  EXPECT_EQ(error_of(dir + "/magic", 3),
            dir + "/magic: not an idx file of unsigned bytes with 3 dimension(s): magic bytes 00 00 08 01, expected 00 00 08 03");
  write_gz(dir + "/short.gz", idx_bytes(1, {100}, 60));
  EXPECT_EQ(error_of(dir + "/short.gz", 1),
            dir + "/short.gz: truncated data file: the header promises 100 bytes of data, found 60");
  write_raw(dir + "/long", idx_bytes(1, {10}, 11));
  EXPECT_EQ(error_of(dir + "/long", 1),
            dir + "/long: corrupt data file: data continues past the 10 bytes the header declares");
  write_raw(dir + "/tiny", {0, 0});
  EXPECT_EQ(error_of(dir + "/tiny", 1), dir + "/tiny: not an idx file: shorter than its 4-byte header");
}

TEST(FashionMnist, MissingFolderNamesTheKeyAndThePackage) {
  DataConfig cfg;
  cfg.path = "/nonexistent";
  try {
    load_dataset(cfg, 1);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("data.path: /nonexistent/train-images-idx3-ubyte(.gz) not found", 0), 0u)
        << e.what();
  }
}

TEST(FashionMnist, LabelsAndImagesMustAgree) {
  const auto dir = temp_dir();
  for (const char* split : {"train", "t10k"}) {
    write_gz(dir + "/" + split + "-images-idx3-ubyte.gz", idx_bytes(3, {3, 28, 28}, 3 * 784));
    write_gz(dir + "/" + split + "-labels-idx1-ubyte.gz", idx_bytes(1, {2}, 2));
  }
  DataConfig cfg;
  cfg.path = dir;
  try {
    load_dataset(cfg, 1);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), dir + "/train-labels-idx1-ubyte.gz: holds 2 labels, but " + dir +
                                         "/train-images-idx3-ubyte.gz holds 3 images");
  }
}

TEST(FashionMnist, TheDebianPackageLoadsWithItsKnownSizes) {
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  DataConfig config;
  config.path = default_data_path(config.dataset);  // as the config loader fills it in
  const auto split = load_dataset(config, 1);
  EXPECT_EQ(split.train.size(), 60000);
  EXPECT_EQ(split.test.size(), 10000);
  EXPECT_EQ(split.train.feature_size(), 784);
  std::vector<int> per_class(10, 0);
  for (auto y : split.train.labels) ++per_class[static_cast<std::size_t>(y)];
  EXPECT_EQ(per_class, std::vector<int>(10, 6000));  // Fashion-MNIST is balanced
}
