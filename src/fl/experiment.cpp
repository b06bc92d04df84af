#include "fl/experiment.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>

#include "client/trainer.hpp"
#include "comm/agree.hpp"
#include "config/load.hpp"
#include "data/dataset.hpp"
#include "data/partition.hpp"
#include "fl/collective.hpp"
#include "fl/output_path.hpp"
#include "fl/placement.hpp"
#include "fl/round.hpp"
#include "metrics/console_sink.hpp"
#include "strategy/catalog.hpp"
#include "metrics/hdf5_sink.hpp"
#include "metrics/timer.hpp"
#include "scenario/availability_trace.hpp"
#include "scenario/device_profiles.hpp"
#include "scenario/scenario.hpp"
#include "scenario/virtual_clock.hpp"

#ifndef FEDHPC_VERSION
#define FEDHPC_VERSION "0.0.0"
#endif
#ifndef FEDHPC_GIT_SHA
#define FEDHPC_GIT_SHA "unknown"
#endif

namespace fedhpc {

namespace {

// runtime.threads, else Slurm's cpus-per-task, else 1. Bitwise reproducibility
// across rank counts needs the same per-rank thread count in every run.
int thread_count(const RuntimeConfig& rt) {
  if (rt.threads > 0) return rt.threads;
  if (const char* s = std::getenv("SLURM_CPUS_PER_TASK"); s && std::atoi(s) > 0) return std::atoi(s);
  return 1;
}

DeviceSpec choose_device(const RuntimeConfig& rt, int local_rank) {
  const int gpus = rt.device == DeviceKind::Cpu ? 0 : cuda_device_count();
  if (rt.device == DeviceKind::Cuda && gpus == 0)
    throw InputError("runtime.device: cuda was requested, but LibTorch sees no CUDA device");
  if (gpus == 0) return {};
  return {true, local_rank % gpus};  // one GPU per node-local rank, round robin
}

std::string join_hosts(Comm& comm) {
  const std::string me = comm.host() + "\n";
  auto all = comm.gatherv(std::as_bytes(std::span(me.data(), me.size())), 0);
  std::set<std::string> hosts;
  std::stringstream ss(std::string(reinterpret_cast<const char*>(all.data()), all.size()));
  for (std::string h; std::getline(ss, h);) hosts.insert(h);
  std::string joined;
  for (const auto& h : hosts) joined += (joined.empty() ? "" : ",") + h;
  return joined;
}

// scenario.compute.sample_seconds: auto. Root times a few steps of its first
// client's training and broadcasts the per-sample cost, so every rank's
// virtual clock uses the same number (and the results file records it).
double measure_sample_seconds(Comm& comm, const RunConfig& cfg, LocalTrainer& trainer, const Partition& partition,
                              std::span<const float> global) {
  double seconds = 0.0;
  if (comm.rank() == 0) {
    std::vector<float> scratch(global.size());
    ClientHooks hooks;
    hooks.step_limit = 5;
    const auto& indices = partition.clients.front();
    trainer.train(ClientId{0}, Round{0}, indices, global, scratch, hooks);  // warm-up
    const TrainStats s = trainer.train(ClientId{0}, Round{0}, indices, global, scratch, hooks);
    const auto passes = std::min<std::int64_t>(static_cast<std::int64_t>(indices.size()), cfg.train.batch_size) * s.steps;
    seconds = passes > 0 ? s.wall_seconds / static_cast<double>(passes) : 1e-3;
  }
  comm.bcast(std::as_writable_bytes(std::span(&seconds, 1)), 0);
  return seconds;
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : " ") + i;
  return s;
}

}  // namespace

void run_experiment(Comm& comm, const ExperimentInputs& in) {
  const RunConfig& cfg = in.config;
  const bool root = comm.rank() == 0;

  // 1. Everything that can be bad input is checked, on every rank, before the
  //    results file exists. agree() makes all ranks fail together.
  DeviceSpec device;
  agree(comm, [&] {
    if (cfg.runtime.aggregator == AggregatorLayout::Dedicated && comm.size() < 2) {
      throw InputError(fmt::format("runtime.aggregator: dedicated needs at least 2 MPI ranks (rank 0 aggregates, "
                                   "the others train), found {}; use colocated or more ranks",
                                   comm.size()));
    }
    device = choose_device(cfg.runtime, comm.local_rank());
  });
  const int threads = thread_count(cfg.runtime);
  configure_torch(threads);

  DataSplit data;
  Partition partition;
  agree(comm, [&] {
    data = load_dataset(cfg.data, cfg.seed);
    partition = make_partition(cfg.data.partition, cfg.data.num_clients, data.train.labels, data.train.num_classes,
                               data.train.natural_owner, cfg.seed);
  });

  // Scenario files (device profiles, availability trace): read on every rank,
  // so a bad line stops the run before any result exists.
  DeviceProfiles profiles;
  AvailabilityTrace trace;
  agree(comm, [&] {
    if (!cfg.scenario.profiles.empty()) profiles = read_device_profiles(cfg.scenario.profiles);
    if (!cfg.scenario.availability_trace.empty()) trace = AvailabilityTrace(cfg.scenario.availability_trace);
  });
  const Scenario scenario(cfg.scenario, cfg.seed, cfg.data.num_clients, std::move(profiles), std::move(trace));

  std::string results_path;
  agree(comm, [&] {
    if (!root) return;
    results_path = expand_output_path(cfg.output.file, cfg.name, cfg.seed);
    if (!cfg.output.overwrite && std::filesystem::exists(results_path)) {
      throw InputError(fmt::format("output.file: {} already exists; set output.overwrite=true or choose another "
                                   "output.file",
                                   results_path));
    }
  });

  // 2. The model: rank 0 draws the initial weights and broadcasts them.
  LocalTrainer trainer(cfg, data.train, data.test, device);
  std::vector<float> global(static_cast<std::size_t>(trainer.num_params()));
  if (root) global = trainer.initial_params();
  broadcast_model(comm, global);

  CostModel cost{cfg.scenario.sample_seconds, 4.0 * static_cast<double>(trainer.num_params()), cfg.scenario.latency};
  if (cfg.scenario.measure_sample_cost) cost.sample_seconds = measure_sample_seconds(comm, cfg, trainer, partition, global);

  RunContext ctx;
  ctx.name = cfg.name;
  ctx.scenario_file = in.scenario_file;
  ctx.config_yaml = to_yaml(cfg);
  ctx.raw_yaml = in.raw_yaml;
  ctx.cli_overrides = join(in.overrides);
  ctx.seed = cfg.seed;
  ctx.num_ranks = comm.size();
  ctx.num_trainers = static_cast<int>(trainer_ranks(comm.size(), cfg.runtime.aggregator).size());
  ctx.hosts = join_hosts(comm);
  ctx.device = fmt::format("{} x{} thread(s)", device.describe(), threads);
  ctx.num_params = trainer.num_params();
  ctx.sim_sample_seconds = cost.sample_seconds;
  const StrategyInfo& strategy = *find_strategy(cfg.strategy.name);
  ctx.strategy = fmt::format("{} (aggregator {}, server {}, client {})", strategy.name, to_string(strategy.aggregator),
                             to_string(strategy.server), to_string(strategy.client));
  ctx.fedhpc_version = FEDHPC_VERSION;
  ctx.git_sha = FEDHPC_GIT_SHA;
  ctx.torch_version = torch_version();
  ctx.mpi_version = in.mpi_version;
  ctx.hdf5_version = hdf5_version();
  ctx.start_utc = utc_now_iso();
  if (const char* job = std::getenv("SLURM_JOB_ID")) ctx.slurm_job_id = job;

  PartitionSummary summary;
  summary.num_clients = partition.num_clients();
  summary.num_classes = data.train.num_classes;
  summary.num_samples = partition.sizes();
  summary.class_counts = partition.class_counts(data.train.labels, data.train.num_classes);

  // 3. Sinks, on rank 0 only. A file that cannot be created stops everyone.
  std::vector<std::unique_ptr<MetricsSink>> sinks;
  agree(comm, [&] {
    if (!root) return;
    sinks.push_back(std::make_unique<Hdf5Sink>(results_path, cfg.output.overwrite));
    if (cfg.output.progress) sinks.push_back(std::make_unique<ConsoleSink>(stdout, cfg.train.rounds, results_path));
    for (auto& s : sinks) s->context(ctx);
    for (auto& s : sinks) s->partition(summary);
  });

  // 4. The rounds.
  RoundRunner runner(cfg, comm, partition, trainer, data.test.size(), data.train.size(), scenario, cost);
  Stopwatch elapsed;
  for (int r = 1; r <= cfg.train.rounds; ++r) {
    RoundOutcome out = runner.run(Round{static_cast<std::uint32_t>(r)}, global);
    if (!root) continue;
    out.record.elapsed_seconds = elapsed.seconds();
    for (auto& s : sinks) s->round(out.record, out.clients);
  }
  if (root)
    for (auto& s : sinks) s->finish(global);
}

}  // namespace fedhpc
