// The HDF5 writer and reader against each other, on real files.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include <hdf5.h>

#include "core/error.hpp"
#include "metrics/hdf5_sink.hpp"
#include "metrics/results_reader.hpp"
#include "unit/input_error_of.hpp"

using namespace fedhpc;
using fedhpc::test_support::input_error_of;

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
    ctx.num_params = 3;
    sink.context(ctx);
    PartitionSummary ps{2, 3, {5, 7}, {1, 2, 2, 3, 3, 1}, {}};
    sink.partition(ps);
    for (std::uint32_t r = 1; r <= 3; ++r) {
      std::vector<ClientRecord> clients{{r, 4, 1, 0, 50, 0.5, 10, 0.1, 0.3, 0.1, 2.0, 0.1},
                                        {r, 8, -1, 3, 70, NAN, 0, 0.0, 0.0, 0.1, 1.5, 0.0}};
      std::vector<TimingRecord> timings{{r, 0, 1.0, 0.5}, {r, 1, 1.0, 0.75}};
      sink.round(row(r), clients, timings);
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
  ASSERT_EQ(r.timings.size(), 6u);
  EXPECT_EQ(r.timings[3].round, 2u);
  EXPECT_EQ(r.timings[3].rank, 1);
  EXPECT_EQ(r.timings[3].train_seconds, 0.75);
  EXPECT_GT(r.timings[2].write_seconds, 0.0);  // rank 0's row gets the write time
  EXPECT_EQ(r.timings[3].write_seconds, 0.0);
}

namespace {
CheckpointState state_after(std::uint32_t round, std::vector<std::uint32_t> clients) {
  CheckpointState s;
  s.round = round;
  s.sim_elapsed_seconds = 10.0 * round;
  s.elapsed_seconds = 0.5 * round;
  s.model = {static_cast<float>(round), -1.0f, 0.25f};
  s.server_state = {1, 2, 3, 4, 5, static_cast<double>(round)};
  s.control = {0.5f, static_cast<float>(round), 0.0f};
  for (auto c : clients) {
    s.clients.push_back(c);
    for (int j = 0; j < 3; ++j) s.client_state.push_back(static_cast<float>(100 * c + 10 * round + j));
  }
  return s;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void expect_same(const CheckpointState& a, const CheckpointState& b) {
  EXPECT_EQ(a.round, b.round);
  EXPECT_EQ(a.sim_elapsed_seconds, b.sim_elapsed_seconds);
  EXPECT_EQ(a.elapsed_seconds, b.elapsed_seconds);
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.server_state, b.server_state);
  EXPECT_EQ(a.control, b.control);
  EXPECT_EQ(a.clients, b.clients);
  EXPECT_EQ(a.client_state, b.client_state);
}
}  // namespace

TEST(ResultsFile, ReopenReturnsTheLatestCheckpointAndDropsLaterRounds) {
  const auto path = fresh_path("resume.h5");
  {
    Hdf5Sink sink(path, false);
    RunContext ctx;
    ctx.num_params = 3;
    ctx.server_state_size = 6;
    ctx.control_size = 3;
    ctx.per_client_state = true;
    ctx.num_clients = 5;
    sink.context(ctx);
    sink.partition(PartitionSummary{5, 1, {1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}, {}});
    for (std::uint32_t r = 1; r <= 6; ++r) {
      std::vector<ClientRecord> clients{{r, r % 5, 0, 0, 1, 0.5, 1, 0.1, 0.2, 0, 0, 0}};
      std::vector<TimingRecord> timings{{r, 0, 1.0}};
      sink.round(row(r), clients, timings);
      if (r == 2) sink.checkpoint(state_after(2, {4}));
      if (r == 4) sink.checkpoint(state_after(4, {1, 3}));
    }
  }  // closed without finish(): the run did not complete
  // The read-only probe finds the same checkpoint and changes no byte.
  const std::string before = file_bytes(path);
  expect_same(Hdf5Sink::probe_resume(path), state_after(4, {1, 3}));
  EXPECT_EQ(file_bytes(path), before);
  CheckpointState got;
  {
    auto sink = Hdf5Sink::reopen(path, got, "resumed by a test");
    expect_same(got, state_after(4, {1, 3}));
    // Round 5 runs again and lands after round 4.
    std::vector<ClientRecord> clients{{5, 0, 0, 0, 1, 0.5, 1, 0.1, 0.2, 0, 0, 0}};
    std::vector<TimingRecord> timings{{5, 0, 1.0}};
    sink->round(row(5), clients, timings);
    sink->checkpoint(state_after(5, {2}));  // the other slot than round 4's
    sink->finish(std::vector<float>{7.0f, 8.0f, 9.0f});
  }
  const auto r = read_results(path);
  EXPECT_TRUE(r.complete);
  ASSERT_EQ(r.rounds.size(), 5u);
  for (std::uint32_t i = 0; i < 5; ++i) EXPECT_EQ(r.rounds[i].round, i + 1);
  ASSERT_EQ(r.clients.size(), 5u);
  EXPECT_EQ(r.clients[4].client, 0u);  // the re-run round 5's row, not the first one's
  EXPECT_EQ(r.timings.size(), 5u);
  EXPECT_EQ(r.checkpoint_rounds, (std::vector<std::uint32_t>{2, 4, 5}));
  EXPECT_EQ(r.text.at("resumes"), "resumed by a test\n");
  // Reopening again finds round 5's checkpoint, whose clients replaced round 4's.
  CheckpointState again;
  { auto sink = Hdf5Sink::reopen(path, again, "again"); }
  expect_same(again, state_after(5, {2}));
}

TEST(ResultsFile, ReopenWithoutACheckpointStartsOver) {
  const auto path = fresh_path("no_checkpoint.h5");
  {
    Hdf5Sink sink(path, false);
    RunContext ctx;
    ctx.num_params = 2;
    sink.context(ctx);
    sink.partition(PartitionSummary{1, 1, {1}, {1}, {}});
    std::vector<TimingRecord> timings{{1, 0, 1.0}};
    sink.round(row(1), {}, timings);
  }
  CheckpointState got;
  got.round = 99;
  { auto sink = Hdf5Sink::reopen(path, got, "x"); }
  EXPECT_EQ(got.round, 0u);
  EXPECT_TRUE(got.model.empty());
  EXPECT_EQ(read_results(path).rounds.size(), 0u);
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

namespace {
// A results file of one round with one object unlinked, as a damaged or
// hand-edited file may be.
std::string file_without(const std::string& name, const char* object) {
  const auto path = fresh_path(name);
  {
    Hdf5Sink sink(path, false);
    RunContext ctx;
    ctx.num_params = 2;
    sink.context(ctx);
    sink.partition(PartitionSummary{1, 1, {1}, {1}, {}});
    std::vector<TimingRecord> timings{{1, 0, 1.0}};
    sink.round(row(1), {}, timings);
  }
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  EXPECT_GE(H5Ldelete(f, object, H5P_DEFAULT), 0);
  H5Fclose(f);
  return path;
}

}  // namespace

TEST(ResultsFile, AFileWithoutItsRoundsIsDamagedNotEmpty) {
  const auto path = file_without("no_rounds.h5", "rounds");
  EXPECT_EQ(input_error_of([&] { read_results(path); }),
            path + ": has no /rounds; the file is damaged or was not written by fedhpc");
  CheckpointState state;
  EXPECT_EQ(input_error_of([&] { Hdf5Sink::reopen(path, state, "x"); }),
            "--resume: " + path + " has no /rounds; it is damaged or was not written by fedhpc");
}

TEST(ResultsFile, ResumeNamesAMissingCheckpointObject) {
  const auto path = file_without("no_checkpoint_model.h5", "checkpoint/model");
  EXPECT_NO_THROW(read_results(path));  // a report does not need it
  CheckpointState state;
  EXPECT_EQ(input_error_of([&] { Hdf5Sink::reopen(path, state, "x"); }),
            "--resume: " + path + " has no /checkpoint/model; it is damaged or was not written by fedhpc");
  EXPECT_EQ(input_error_of([&] { Hdf5Sink::probe_resume(path); }),
            "--resume: " + path + " has no /checkpoint/model; it is damaged or was not written by fedhpc");
}
