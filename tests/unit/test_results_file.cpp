// The HDF5 writer and reader against each other, on real files.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "core/error.hpp"
#include "metrics/hdf5_sink.hpp"
#include "metrics/results_reader.hpp"

using namespace fedhpc;

namespace {
std::string fresh_path(const std::string& name) {
  const auto p = std::filesystem::path(FEDHPC_TEST_OUT) / "results_file" / name;
  std::filesystem::remove(p);
  return p.string();
}

RoundRecord row(std::uint32_t r) {
  RoundRecord x;
  x.round = r;
  x.wall_seconds = 0.5 * r;
  x.train_loss = 1.0 / r;
  x.test_loss = r % 2 ? std::nan("") : 2.0 / r;
  x.test_accuracy = r % 2 ? std::nan("") : 0.1 * r;
  x.clients_selected = 10;
  x.clients_completed = 9;
  x.clients_dropped = 1;
  x.bytes_reduced = 1000 + r;
  x.train_seconds = 0.25;
  return x;
}
}  // namespace

TEST(ResultsFile, EveryRecordReadsBackAndCompleteIsSetLast) {
  const auto path = fresh_path("a.h5");
  {
    Hdf5Sink sink(path, false);
    RunContext ctx;
    ctx.name = "unit";
    ctx.seed = 9;
    ctx.num_ranks = 3;
    ctx.config_yaml = "name: unit\n";
    sink.context(ctx);
    PartitionSummary ps{2, 3, {5, 7}, {1, 2, 2, 3, 3, 1}};
    sink.partition(ps);
    for (std::uint32_t r = 1; r <= 3; ++r) {
      std::vector<ClientRecord> clients{{r, 4, 1, 0, 50, 0.5, 10, 0.1, 0.3, 0.1, 2.0, 0.1},
                                        {r, 8, -1, 3, 70, NAN, 0, 0.0, 0.0, 0.1, 1.5, 0.0}};
      sink.round(row(r), clients);
    }
    const auto partial = read_results(path);  // as a killed job leaves it
    EXPECT_FALSE(partial.complete);
    EXPECT_EQ(partial.rounds.size(), 3u);
    EXPECT_TRUE(partial.final_model.empty());
    sink.finish(std::vector<float>{1.5f, -2.0f, 3.25f});
  }
  const auto r = read_results(path);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.text.at("name"), "unit");
  EXPECT_EQ(r.numbers.at("seed"), 9);
  EXPECT_EQ(r.numbers.at("n_ranks"), 3);
  ASSERT_EQ(r.rounds.size(), 3u);
  EXPECT_EQ(r.rounds[1].round, 2u);
  EXPECT_EQ(r.rounds[1].test_accuracy, 0.2);
  EXPECT_TRUE(std::isnan(r.rounds[0].test_accuracy));
  EXPECT_EQ(r.rounds[2].bytes_reduced, 1003u);
  EXPECT_EQ(r.rounds[2].clients_dropped, 1u);
  EXPECT_GT(r.rounds[0].write_seconds, 0.0);  // patched in after the row was flushed
  ASSERT_EQ(r.clients.size(), 6u);
  EXPECT_EQ(r.clients[5].client, 8u);
  EXPECT_EQ(r.clients[5].num_samples, 70);
  EXPECT_EQ(r.clients[5].status, 3);  // late: nobody trained it
  EXPECT_EQ(r.clients[5].rank, -1);
  EXPECT_EQ(r.clients[5].sim_compute_seconds, 1.5);
  EXPECT_EQ(r.clients[4].sim_download_seconds, 0.1);
  EXPECT_EQ(r.final_model, (std::vector<float>{1.5f, -2.0f, 3.25f}));
  EXPECT_EQ(r.partition_sizes, (std::vector<std::int64_t>{5, 7}));
}

TEST(ResultsFile, AnExistingFileIsNeverOverwrittenUnlessAsked) {
  const auto path = fresh_path("b.h5");
  { Hdf5Sink first(path, false); }
  EXPECT_THROW(Hdf5Sink(path, false), InputError);
  EXPECT_NO_THROW(Hdf5Sink(path, true));
}

TEST(ResultsFile, ReaderRejectsWhatIsNotAResultsFile) {
  EXPECT_THROW(read_results("/nonexistent.h5"), InputError);
  const auto path = fresh_path("c.txt");
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("hello", f);
  std::fclose(f);
  EXPECT_THROW(read_results(path), InputError);
}
