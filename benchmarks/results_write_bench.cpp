// What recording costs. Two measurements, each a ratio to a baseline taken in
// the same run:
//
//   results_write_bench [-r ROUNDS] [-k CLIENTS] [-p RANKS] [-d PARAMS] [-c EVERY] [-o FILE]
//     writes a made-up run through the real writer (Hdf5Sink: SWMR, chunked,
//     compressed, flushed every round, checkpoints every EVERY rounds) and the
//     same records through a bare fwrite+fflush of the raw structs; prints the
//     time per round and the file size of each, and their ratios.
//   results_write_bench --from FILE.h5
//     a real run's own measurement: the sum of /rounds write_seconds against
//     the sum of wall_seconds (both timed by that run), i.e. the share of the
//     run that recording cost.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "common.hpp"
#include "metrics/hdf5_sink.hpp"
#include "metrics/results_reader.hpp"
#include "metrics/timer.hpp"

using namespace fedhpc;

namespace {

int from_file(const std::string& path) {
  const Results r = read_results(path);
  double write = 0, wall = 0, worst = 0;
  for (const auto& x : r.rounds) {
    write += x.write_seconds;
    wall += x.wall_seconds;
    worst = std::max(worst, x.write_seconds);
  }
  if (r.rounds.empty() || wall <= 0) {
    std::fprintf(stderr, "%s: no rounds\n", path.c_str());
    return 1;
  }
  const auto n = static_cast<double>(r.rounds.size());
  std::printf("%s: %zu rounds, %zu client rows\n", path.c_str(), r.rounds.size(), r.clients.size());
  std::printf("  round (wall)     %10.3f ms mean\n", 1e3 * wall / n);
  std::printf("  results write    %10.3f ms mean, %.3f ms worst\n", 1e3 * write / n, 1e3 * worst);
  std::printf("  write / round    %10.3f %%\n", 100.0 * write / wall);
  std::printf("  file size        %10.2f MB\n", static_cast<double>(std::filesystem::file_size(path)) / 1e6);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bench::Flags flags(argc, argv);
  const std::string from = flags.text("--from", "", "a results file: report its own write share instead");
  const int rounds = flags.integer("-r", 1000, "rounds");
  const int k = flags.integer("-k", 100, "clients per round");
  const int ranks = flags.integer("-p", 2, "ranks (rows of /timings per round)");
  const int params = flags.integer("-d", 44426, "model parameters (checkpoint size; default the quickstart CNN)");
  const int every = flags.integer("-c", 10, "rounds between checkpoints (0: none)");
  const std::string out = flags.text("-o", "/tmp/fedhpc_results_write_bench", "output path prefix");
  flags.finish("results_write_bench", true);
  if (!from.empty()) return from_file(from);

  // Made-up records with realistic variety (compression sees real-looking numbers).
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<RoundRecord> round_rows(static_cast<std::size_t>(rounds));
  std::vector<std::vector<ClientRecord>> client_rows(static_cast<std::size_t>(rounds));
  std::vector<std::vector<TimingRecord>> timing_rows(static_cast<std::size_t>(rounds));
  for (int r = 0; r < rounds; ++r) {
    auto& x = round_rows[static_cast<std::size_t>(r)];
    x.round = static_cast<std::uint32_t>(r + 1);
    x.wall_seconds = 0.9 + 0.1 * u(rng);
    x.train_loss = 2.0 / (r + 1) + 0.01 * u(rng);
    x.test_accuracy = 0.9 - 0.5 / (r + 1);
    x.test_loss = 0.3 + u(rng) * 0.01;
    x.clients_selected = x.clients_completed = static_cast<std::uint32_t>(k);
    for (int c = 0; c < k; ++c) {
      ClientRecord cr;
      cr.round = x.round;
      cr.client = static_cast<std::uint32_t>(rng() % 10000);
      cr.rank = static_cast<std::int32_t>(c % ranks);
      cr.num_samples = 600;
      cr.loss = 0.5 * u(rng);
      cr.steps = 38;
      cr.wall_seconds = 0.05 + 0.01 * u(rng);
      cr.weight = 1.0 / k;
      cr.sim_compute_seconds = 1.0 + u(rng);
      client_rows[static_cast<std::size_t>(r)].push_back(cr);
    }
    for (int p = 0; p < ranks; ++p) {
      TimingRecord t;
      t.round = x.round;
      t.rank = p;
      t.round_seconds = x.wall_seconds;
      t.train_seconds = 0.8 + 0.05 * u(rng);
      t.reduce_seconds = 0.01 * u(rng);
      timing_rows[static_cast<std::size_t>(r)].push_back(t);
    }
  }
  CheckpointState cp;
  cp.model.resize(static_cast<std::size_t>(params));
  for (auto& v : cp.model) v = static_cast<float>(u(rng) - 0.5);

  // 1. The real writer.
  const std::string h5 = out + ".h5";
  double h5_seconds = 0, checkpoint_seconds = 0;
  {
    Hdf5Sink sink(h5, true);
    RunContext ctx;
    ctx.name = "bench";
    ctx.num_params = params;
    ctx.config_yaml = std::string(4000, 'x');  // a resolved config's size
    sink.context(ctx);
    sink.partition(PartitionSummary{1, 1, {1}, {1}, {}});
    for (int r = 0; r < rounds; ++r) {
      Stopwatch w;
      const auto i = static_cast<std::size_t>(r);
      sink.round(round_rows[i], client_rows[i], timing_rows[i]);
      h5_seconds += w.seconds();
      if (every > 0 && (r + 1) % every == 0) {
        Stopwatch c;
        cp.round = static_cast<std::uint32_t>(r + 1);
        sink.checkpoint(cp);
        checkpoint_seconds += c.seconds();
      }
    }
    sink.finish(cp.model);
  }
  // 2. The baseline: the same bytes, raw, flushed to the OS every round.
  const std::string raw = out + ".raw";
  double raw_seconds = 0;
  {
    std::FILE* f = std::fopen(raw.c_str(), "wb");
    for (int r = 0; r < rounds; ++r) {
      Stopwatch w;
      const auto i = static_cast<std::size_t>(r);
      std::fwrite(client_rows[i].data(), sizeof(ClientRecord), client_rows[i].size(), f);
      std::fwrite(timing_rows[i].data(), sizeof(TimingRecord), timing_rows[i].size(), f);
      std::fwrite(&round_rows[i], sizeof(RoundRecord), 1, f);
      std::fflush(f);
      raw_seconds += w.seconds();
    }
    std::fclose(f);
  }
  const double h5_mb = static_cast<double>(std::filesystem::file_size(h5)) / 1e6;
  const double raw_mb = static_cast<double>(std::filesystem::file_size(raw)) / 1e6;
  const int checkpoints = every > 0 ? rounds / every : 0;
  std::printf("%d rounds x %d clients, %d ranks, checkpoint of %d floats every %d rounds\n", rounds, k, ranks, params,
              every);
  std::printf("%-28s %12s %12s\n", "", "ms/round", "file MB");
  std::printf("%-28s %12.3f %12.2f\n", "raw fwrite+fflush (baseline)", 1e3 * raw_seconds / rounds, raw_mb);
  std::printf("%-28s %12.3f %12.2f\n", "HDF5 results file", 1e3 * h5_seconds / rounds, h5_mb);
  std::printf("%-28s %12.2f %12.2f\n", "ratio", h5_seconds / raw_seconds, h5_mb / raw_mb);
  if (checkpoints > 0)
    std::printf("checkpoint: %.3f ms each (%d written, two slots reused)\n", 1e3 * checkpoint_seconds / checkpoints,
                checkpoints);
  std::filesystem::remove(raw);
  return 0;
}
