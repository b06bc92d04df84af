#include "fl/experiment.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <algorithm>
#include <string_view>
#include <sstream>

#include <fmt/core.h>

#include "client/group_trainer.hpp"
#include "client/trainer.hpp"
#include "core/blas_info.hpp"
#include "core/build_info.hpp"
#include "core/stop_signal.hpp"
#include "comm/agree.hpp"
#include "config/load.hpp"
#include "data/dataset.hpp"
#include "data/partition.hpp"
#include "data/synthetic.hpp"
#include "fl/collective.hpp"
#include "fl/output_path.hpp"
#include "fl/placement.hpp"
#include "fl/round.hpp"
#include "metrics/console_sink.hpp"
#include "strategy/catalog.hpp"
#include "metrics/hdf5_sink.hpp"
#include "metrics/results_reader.hpp"
#include "metrics/timer.hpp"
#include "scenario/availability_trace.hpp"
#include "scenario/device_profiles.hpp"
#include "scenario/scenario.hpp"
#include "scenario/virtual_clock.hpp"

extern char** environ;  // POSIX: the process environment


namespace fedhpc {

namespace {

// Slurm's --cpus-per-task, 0 outside Slurm.
int slurm_cpus_per_task() {
  const char* s = std::getenv("SLURM_CPUS_PER_TASK");
  return s ? std::max(0, std::atoi(s)) : 0;
}

// runtime.threads, else Slurm's cpus-per-task, else 1. Bitwise reproducibility
// across rank counts needs the same per-rank thread count in every run.
int thread_count(const RuntimeConfig& rt) {
  if (rt.threads > 0) return rt.threads;
  if (const int cpus = slurm_cpus_per_task(); cpus > 0) return cpus;
  return 1;
}

DeviceSpec choose_device(const RuntimeConfig& rt, int local_rank) {
  const int gpus = rt.device == DeviceKind::Cpu ? 0 : cuda_device_count();
  if (rt.device == DeviceKind::Cuda && gpus == 0)
    throw InputError("runtime.device: cuda was requested, but LibTorch sees no CUDA device");
  if (gpus == 0) return {};
  return {true, local_rank % gpus};  // one GPU per node-local rank, round robin
}

// Every rank's line, in rank order, on rank 0 (empty elsewhere).
std::vector<std::string> gather_lines(Comm& comm, const std::string& mine) {
  const std::string line = mine + "\n";
  auto all = comm.gatherv(std::as_bytes(std::span(line.data(), line.size())), 0);
  std::vector<std::string> lines;
  std::stringstream ss(std::string(reinterpret_cast<const char*>(all.data()), all.size()));
  for (std::string l; std::getline(ss, l);) lines.push_back(l);
  return lines;
}

// Each rank's device, threads and BLAS: one line when every rank agrees, else
// "rank r: ..." per rank (a node with another BLAS shows up here).
std::string describe_ranks(Comm& comm, const std::string& mine) {
  const auto lines = gather_lines(comm, mine);
  if (lines.empty() || std::all_of(lines.begin(), lines.end(), [&](const auto& l) { return l == lines[0]; }))
    return mine;
  std::string out;
  for (std::size_t r = 0; r < lines.size(); ++r) out += fmt::format("{}rank {}: {}", r ? "; " : "", r, lines[r]);
  return out;
}

std::string join_hosts(Comm& comm) {
  const auto lines = gather_lines(comm, comm.host());
  const std::set<std::string> hosts(lines.begin(), lines.end());
  std::string joined;
  for (const auto& h : hosts) joined += (joined.empty() ? "" : ",") + h;
  return joined;
}

// scenario.compute.sample_seconds: auto. Root times a few steps of its first
// client's training and broadcasts the per-sample cost, so every rank's
// virtual clock uses the same number (and the results file records it).
double measure_sample_seconds(Comm& comm, const RunConfig& cfg, LocalTrainer& trainer, ClientSamples& samples,
                              std::span<const float> global) {
  double seconds = 0.0;
  if (comm.rank() == 0) {
    std::vector<float> scratch(global.size());
    ClientHooks hooks;
    hooks.step_limit = 5;
    const auto client = samples.of(0);
    trainer.train(ClientId{0}, Round{0}, client.data, client.rows, global, scratch, hooks);  // warm-up
    const TrainStats s = trainer.train(ClientId{0}, Round{0}, client.data, client.rows, global, scratch, hooks);
    const auto passes = std::min<std::int64_t>(static_cast<std::int64_t>(client.rows.size()), cfg.train.batch_size) * s.steps;
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

// Open MPI's MCA settings from the environment: they change collective
// algorithms and hence timings (and `fast` reductions).
std::string ompi_mca_settings() {
  std::vector<std::string> lines;
  for (char** e = environ; e && *e; ++e)
    if (std::string_view(*e).starts_with("OMPI_MCA_")) lines.emplace_back(*e);
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string getenv_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// --resume: the file must belong to this configuration (output.* aside:
// where and how results are written does not change the run).
void check_resumable(const std::string& path, const RunConfig& now) {
  const Results stored = read_results(path);
  if (stored.complete) throw InputError(fmt::format("--resume: {} is already complete; nothing to continue", path));
  const auto it = stored.text.find("config_yaml");
  if (it == stored.text.end()) throw InputError(fmt::format("--resume: {} holds no config_yaml", path));
  RunConfig before = load_config(it->second, path + ":config_yaml", {}, {.stored = true});
  RunConfig after = now;
  after.output = before.output;
  const std::string a = to_yaml(before), b = to_yaml(after);
  if (a == b) return;
  std::stringstream sa(a), sb(b);
  std::string la, lb, section;
  while (std::getline(sa, la) && std::getline(sb, lb)) {
    if (!la.empty() && la[0] != ' ') section = la.substr(0, la.find(':'));
    if (la != lb) {
      auto trim = [](const std::string& x) { return x.substr(std::min(x.find_first_not_of(' '), x.size())); };
      throw InputError(fmt::format("--resume: {} was made by a different configuration: under '{}': the file has "
                                   "'{}', this run has '{}'",
                                   path, section, trim(la), trim(lb)));
    }
  }
  throw InputError(fmt::format("--resume: {} was made by a different configuration", path));
}

// Rank 0's checkpoint to every rank (server_state stays on rank 0).
void bcast_checkpoint(Comm& comm, CheckpointState& s) {
  double header[3] = {static_cast<double>(s.round), s.sim_elapsed_seconds, s.elapsed_seconds};
  comm.bcast(std::as_writable_bytes(std::span(header)), 0);
  s.round = static_cast<std::uint32_t>(header[0]);
  s.sim_elapsed_seconds = header[1];
  s.elapsed_seconds = header[2];
  bcast_vector(comm, s.model, 0);
  bcast_vector(comm, s.control, 0);
  bcast_vector(comm, s.clients, 0);
  bcast_vector(comm, s.client_state, 0);
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
  // A scenario's explicit thread count silently idling (or oversubscribing) a
  // Slurm allocation is easy to miss: say so once.
  if (const int cpus = slurm_cpus_per_task(); root && cfg.runtime.threads > 0 && cpus > 0 && cpus != cfg.runtime.threads) {
    fmt::print(stderr, "fedhpc: note: runtime.threads={} wins over Slurm's --cpus-per-task={} (runtime.threads=0 "
                       "uses the allocation)\n", cfg.runtime.threads, cpus);
  }

  DataSplit data;
  Partition partition;
  std::optional<SyntheticGenerator> on_demand;
  agree(comm, [&] {
    data = load_dataset(cfg.data, cfg.seed);
    if (cfg.data.synthetic.on_demand) {
      on_demand.emplace(cfg.data.synthetic, cfg.seed);
      partition = make_on_demand_partition(*on_demand, cfg.data.num_clients);
    } else {
      partition = make_partition(cfg.data.partition, cfg.data.num_clients, data.train.labels, data.train.num_classes,
                                 data.train.natural_owner, cfg.seed);
    }
  });
  ClientSamples samples(data.train, partition, on_demand ? &*on_demand : nullptr);

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
  const bool resuming = !in.resume_file.empty();
  agree(comm, [&] {
    if (!root) return;
    if (resuming) {
      results_path = in.resume_file;
      check_resumable(results_path, cfg);
      return;
    }
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
  if (cfg.scenario.measure_sample_cost) cost.sample_seconds = measure_sample_seconds(comm, cfg, trainer, samples, global);

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
  ctx.device = describe_ranks(comm, fmt::format("{} x{} thread(s); BLAS: {}", device.describe(), threads, describe_blas()));
  ctx.num_params = trainer.num_params();
  ctx.sim_sample_seconds = cost.sample_seconds;
  const StrategyInfo& strategy = *find_strategy(cfg.strategy.name);
  ctx.strategy = fmt::format("{} (aggregator {}, server {}, client {})", strategy.name, strategy.aggregation->name,
                             strategy.server->name, strategy.client->name);
  ctx.fedhpc_version = build_info().version;
  ctx.git_sha = build_info().git_sha;
  ctx.git_dirty = build_info().git_dirty;
  ctx.torch_version = torch_version();
  ctx.mpi_version = in.mpi_version;
  ctx.hdf5_version = hdf5_version();
  ctx.fmt_version = fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100);
  ctx.yaml_cpp_version = build_info().yaml_cpp_version;
  ctx.start_utc = utc_now_iso();
  ctx.slurm_job_id = getenv_or_empty("SLURM_JOB_ID");
  ctx.slurm_nodelist = getenv_or_empty("SLURM_JOB_NODELIST");
  ctx.ompi_mca = ompi_mca_settings();
  ctx.num_clients = partition.num_clients();
  ctx.per_client_state = strategy.client->per_client_state;
  ctx.server_state_size = static_cast<std::int64_t>(strategy.server->state_size(global.size()));
  ctx.control_size = strategy.client->shared_state ? static_cast<std::int64_t>(global.size()) : 0;

  PartitionSummary summary;
  summary.num_clients = partition.num_clients();
  summary.num_classes = data.train.num_classes;
  summary.num_samples = partition.sizes();
  summary.class_counts = partition.class_counts(data.train.labels, data.train.num_classes);

  // 3. Sinks, on rank 0 only. A file that cannot be created stops everyone.
  //    When resuming, rank 0 reads the checkpoint and every rank gets it.
  std::vector<std::unique_ptr<MetricsSink>> sinks;
  CheckpointState start;
  agree(comm, [&] {
    if (!root) return;
    if (resuming) {
      const std::string note = fmt::format("{} resumed on {} rank(s) ({}){}", ctx.start_utc, ctx.num_ranks, ctx.hosts,
                                           ctx.slurm_job_id.empty() ? "" : ", slurm job " + ctx.slurm_job_id);
      sinks.push_back(Hdf5Sink::reopen(results_path, start, note));
    } else {
      sinks.push_back(std::make_unique<Hdf5Sink>(results_path, cfg.output.overwrite));
    }
    sinks.push_back(std::make_unique<ConsoleSink>(stdout, cfg.train.rounds, results_path, cfg.output.progress));
    for (auto& s : sinks) s->context(ctx);
    for (auto& s : sinks) s->partition(summary);
  });

  // 4. The rounds, from the checkpoint when resuming.
  std::unique_ptr<GroupTrainer> groups;
  if (cfg.runtime.client_batch > 1) groups = std::make_unique<GroupTrainer>(cfg, data.train, device);
  RoundRunner runner(cfg, comm, partition, samples, trainer, data.test.size(), data.train.size(), scenario, cost,
                     groups.get());
  if (resuming) {
    bcast_checkpoint(comm, start);
    if (start.round > 0) {
      global = start.model;
      runner.restore(start);
    }
    if (root && cfg.output.progress)
      fmt::print("resuming {} after round {} (checkpoint){}\n", results_path, start.round,
                 start.round == 0 ? ": no checkpoint, starting over" : "");
  }
  Stopwatch elapsed;
  auto elapsed_seconds = [&] { return start.elapsed_seconds + elapsed.seconds(); };
  auto write_checkpoint = [&](std::uint32_t r) {
    CheckpointState state = runner.checkpoint(Round{r}, global);
    if (!root) return;
    state.elapsed_seconds = elapsed_seconds();
    for (auto& s : sinks) s->checkpoint(state);
  };
  install_stop_handlers();
  for (int r = static_cast<int>(start.round) + 1; r <= cfg.train.rounds; ++r) {
    RoundOutcome out = runner.run(Round{static_cast<std::uint32_t>(r)}, global);
    if (root) {
      out.record.elapsed_seconds = elapsed_seconds();
      for (auto& s : sinks) s->round(out.record, out.clients, out.timings);
    }
    if (r == cfg.train.rounds) break;
    // Every rank learns whether any rank was asked to stop, so all of them
    // leave after the same round.
    const int signo = static_cast<int>(-comm.allreduce_min(-static_cast<std::int64_t>(stop_signal())));
    const int every = cfg.output.checkpoint_every;
    if (signo != 0 || (every > 0 && r % every == 0)) write_checkpoint(static_cast<std::uint32_t>(r));
    if (signo != 0) {
      if (root)
        for (auto& s : sinks) s->stopped(signal_name(signo), static_cast<std::uint32_t>(r));
      throw StoppedBySignal{signo, static_cast<std::uint32_t>(r), results_path};
    }
  }
  if (root)
    for (auto& s : sinks) s->finish(global);
}

}  // namespace fedhpc
