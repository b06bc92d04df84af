#include "fl/experiment.hpp"

#include <cmath>

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
#include "config/issues.hpp"
#include "config/load.hpp"
#include "data/dataset.hpp"
#include "data/partition.hpp"
#include "data/population.hpp"
#include "data/synthetic.hpp"
#include "attack/adversaries.hpp"
#include "fl/collective.hpp"
#include "fl/initial_model.hpp"
#include "fl/output_path.hpp"
#include "fl/placement.hpp"
#include "fl/round.hpp"
#include "fl/run_context.hpp"
#include "metrics/console_sink.hpp"
#include "model/catalog.hpp"
#include "strategy/catalog.hpp"
#include "metrics/hdf5_sink.hpp"
#include "metrics/writer_lock.hpp"
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

// What the training data is: the data set, its split over clients, and
// the generator of on-demand clients.
struct RunData {
  DataSplit data;
  Partition partition;
  std::optional<SyntheticGenerator> on_demand;
};

// Where this rank trains and with how many threads. A dedicated aggregator
// needs a second rank; a CUDA request needs a device.
// runtime.blas_kernel and runtime.aten_kernels: the CPU kernel families the
// run must compute with (float results depend on them, never on the rank
// count). LibTorch's is set here, before its first operation; OpenBLAS picks
// its own when it loads, so only the environment can set it.
void pin_cpu_kernels(const RuntimeConfig& rt) {
  if (!rt.aten_kernels.empty()) {
    request_aten_kernels(rt.aten_kernels);
    if (const std::string got = aten_kernels(); got != rt.aten_kernels)
      throw InputError(fmt::format("runtime.aten_kernels: expected {}, found LibTorch using {} (this CPU may lack "
                                   "{}, or LibTorch had already chosen)",
                                   rt.aten_kernels, got, rt.aten_kernels));
  }
  if (!rt.blas_kernel.empty()) {
    const std::string got = blas_core_name();
    if (got.empty())
      throw InputError(fmt::format("runtime.blas_kernel: expected OpenBLAS kernels {}, found another BLAS: {}",
                                   rt.blas_kernel, describe_blas()));
    if (got != rt.blas_kernel)
      throw InputError(fmt::format("runtime.blas_kernel: expected OpenBLAS kernels {}, found {}; OpenBLAS picks them "
                                   "when it loads: export OPENBLAS_CORETYPE={} for every rank before launching",
                                   rt.blas_kernel, got, rt.blas_kernel));
  }
}

DeviceSpec prepare_device(Comm& comm, const RunConfig& cfg, int& threads) {
  DeviceSpec device;
  agree(comm, [&] {
    if (cfg.runtime.aggregator == AggregatorLayout::Dedicated && comm.size() < 2) {
      throw InputError(fmt::format("runtime.aggregator: dedicated needs at least 2 MPI ranks (rank 0 aggregates, "
                                   "the others train), found {}; use colocated or more ranks",
                                   comm.size()));
    }
    pin_cpu_kernels(cfg.runtime);
    device = choose_device(cfg.runtime, comm.local_rank());
  });
  threads = thread_count(cfg.runtime);
  configure_torch(threads);
  set_blas_threads(threads);
  // A scenario's explicit thread count silently idling (or oversubscribing) a
  // Slurm allocation is easy to miss: say so once.
  if (const int cpus = slurm_cpus_per_task(); comm.rank() == 0 && cfg.runtime.threads > 0 && cpus > 0 &&
                                              cpus != cfg.runtime.threads) {
    fmt::print(stderr,
               "fedhpc: note: runtime.threads={} wins over Slurm's --cpus-per-task={} (runtime.threads=0 "
               "uses the allocation)\n",
               cfg.runtime.threads, cpus);
  }
  return device;
}

// What only the loaded data can answer: the checks that need its number of
// classes (a file carries its own), and whether a character model's inputs
// are indices into its vocabulary.
void check_against_data(const RunConfig& cfg, const DataSplit& data) {
  // The config was checked against the class count its data set kind implies
  // (known_num_classes); again here only where the file says otherwise, or
  // where the kind implies none (hdf5, brown).
  if (known_num_classes(cfg.data) != data.train.num_classes) {
    ConfigIssues issues;
    issues.where = [&](const std::string&) { return cfg.data.path; };
    validate_classes(cfg, data.train.num_classes, issues);
    if (!issues.problems.empty()) throw InputError(issues.problems.front());
  }
  const ModelInfo* model = cfg.model.torchscript.empty() ? find_model(cfg.model.name) : nullptr;
  if (!model || model->input != ModelInput::Characters) return;
  for (const Dataset* set : {&data.train, &data.test}) {
    for (const float v : set->features) {
      if (v != std::floor(v) || v < 0 || v >= static_cast<float>(set->num_classes))
        throw InputError(fmt::format("model.name: {} reads character indices in [0, {}) (the classes), but data.path "
                                     "{} holds the feature {}",
                                     model->name, set->num_classes, cfg.data.path, v));
    }
  }
}

void load_data(Comm& comm, const RunConfig& cfg, RunData& out) {
  agree(comm, [&] {
    // Synthetic data is made per client, so its population is checked before
    // any is made; a data set read from files is checked once its number of
    // classes is known (reading it does not depend on the population).
    const bool synthetic = cfg.data.dataset == DatasetKind::Synthetic;
    if (synthetic) check_population_fits(cfg.data, cfg.data.synthetic.num_classes, available_memory_bytes());
    out.data = load_dataset(cfg.data, cfg.seed);
    if (!synthetic) check_population_fits(cfg.data, out.data.train.num_classes, available_memory_bytes());
    check_against_data(cfg, out.data);
    if (cfg.data.synthetic.on_demand) {
      out.on_demand.emplace(cfg.data.synthetic, cfg.seed);
      out.partition = make_on_demand_partition(*out.on_demand, cfg.data.num_clients);
    } else {
      out.partition = make_partition(cfg.data.partition, cfg.data.num_clients, out.data.train.labels,
                                     out.data.train.num_classes, out.data.train.natural_owner, cfg.seed);
    }
  });
}

// Scenario files (device profiles, availability trace) are read on every
// rank, so a bad line stops the run before any result exists.
Scenario build_scenario(Comm& comm, const RunConfig& cfg) {
  DeviceProfiles profiles;
  AvailabilityTrace trace;
  agree(comm, [&] {
    if (!cfg.scenario.profiles.empty()) profiles = read_device_profiles(cfg.scenario.profiles);
    if (!cfg.scenario.availability_trace.empty()) trace = AvailabilityTrace(cfg.scenario.availability_trace);
  });
  return Scenario(cfg.scenario, cfg.seed, cfg.data.num_clients, std::move(profiles), std::move(trace));
}

// The results file: the one to resume (it must belong to this
// configuration), or a new one that must not exist unless overwriting.
std::string choose_results_path(Comm& comm, const RunConfig& cfg, const ExperimentInputs& in) {
  std::string path;
  agree(comm, [&] {
    if (comm.rank() != 0) return;
    if (!in.resume_file.empty()) {
      path = in.resume_file;
      // A live writer's file is refused as such, whatever the reads found.
      if (!in.resume_problem.empty()) {
        (void)WriterLock::acquire(path, "--resume");
        throw InputError(in.resume_problem);
      }
      check_resumable(path, cfg);
      return;
    }
    path = expand_output_path(cfg.output.file, cfg);
    if (!cfg.output.overwrite && std::filesystem::exists(path)) {
      throw InputError(fmt::format("output.file: {} already exists; set output.overwrite=true or choose another "
                                   "output.file",
                                   path));
    }
  });
  return path;
}

// The model on every rank (a model that cannot be built for this data is bad
// input on all of them); rank 0 draws the initial weights (or reads
// model.init) and broadcasts them.
std::unique_ptr<LocalTrainer> build_model(Comm& comm, const RunConfig& cfg, const DataSplit& data,
                                          const DeviceSpec& device, std::vector<float>& global) {
  std::unique_ptr<LocalTrainer> trainer;
  agree(comm, [&] { trainer = std::make_unique<LocalTrainer>(cfg, data.train, data.test, device); });
  global.assign(static_cast<std::size_t>(trainer->num_params()), 0.0f);
  agree(comm, [&] {
    if (comm.rank() != 0) return;
    global = cfg.model.init.empty() ? trainer->initial_params()
                                    : read_initial_model(cfg.model.init, trainer->num_params());
  });
  broadcast_model(comm, global);
  return trainer;
}

// What /partition records (rank 0 only: it is built just for the file).
PartitionSummary summarize(const RunData& d, const RunConfig& cfg) {
  PartitionSummary summary;
  summary.num_clients = d.partition.num_clients();
  summary.num_classes = d.data.train.num_classes;
  if (d.partition.on_demand() && summary.num_clients > kMaxPartitionRows) {
    summary.derived = fmt::format(
        "data.synthetic.on_demand with {} clients (more than {} get no rows): client k's samples are synthetic "
        "device k of the run's seed and data.synthetic (config_yaml), its sample count the device's first draw; "
        "no class counts; adversaries as scenario.adversaries picks them",
        summary.num_clients, kMaxPartitionRows);
    return summary;
  }
  summary.num_samples = d.partition.sizes();
  summary.class_counts = d.partition.class_counts(d.data.train.labels, d.data.train.num_classes);
  const Adversaries adversaries(cfg.scenario.adversaries, cfg.seed, summary.num_clients);
  if (!adversaries.ids().empty()) {
    summary.adversary.assign(static_cast<std::size_t>(summary.num_clients), 0);
    for (const auto id : adversaries.ids()) summary.adversary[id] = 1;
  }
  return summary;
}

// Rank 0's sinks: the results file (new, or reopened to resume, which reads
// its checkpoint into `start`) and the console. A file that cannot be
// created stops everyone.
std::vector<std::unique_ptr<MetricsSink>> open_sinks(Comm& comm, const RunConfig& cfg, const std::string& path,
                                                     bool resuming, const RunContext& ctx, const RunData& d,
                                                     CheckpointState& start) {
  std::vector<std::unique_ptr<MetricsSink>> sinks;
  agree(comm, [&] {
    if (comm.rank() != 0) return;
    const PartitionSummary summary = summarize(d, cfg);
    if (resuming) {
      const std::string note = fmt::format("{} resumed on {} rank(s) ({}){}", ctx.start_utc, ctx.num_ranks, ctx.hosts,
                                           ctx.slurm_job_id.empty() ? "" : ", slurm job " + ctx.slurm_job_id);
      sinks.push_back(Hdf5Sink::reopen(path, start, note));
    } else {
      sinks.push_back(std::make_unique<Hdf5Sink>(path, cfg.output.overwrite));
    }
    sinks.push_back(std::make_unique<ConsoleSink>(stdout, cfg.train.rounds, path, cfg.output.progress));
    for (auto& s : sinks) s->context(ctx);
    for (auto& s : sinks) s->partition(summary);
  });
  return sinks;
}

// --resume: every rank takes rank 0's checkpoint.
void continue_from(Comm& comm, const RunConfig& cfg, const std::string& path, CheckpointState& start,
                   RoundRunner& runner, std::vector<float>& global) {
  bcast_checkpoint(comm, start);
  if (start.round > 0) {
    global = start.model;
    runner.restore(start);
  }
  if (comm.rank() == 0 && cfg.output.progress)
    fmt::print("resuming {} after round {} (checkpoint){}\n", path, start.round,
               start.round == 0 ? ": no checkpoint, starting over" : "");
}

// The rounds after `start`, a checkpoint every output.checkpoint_every
// rounds, and a checkpoint and a clean stop when any rank was signalled.
void run_rounds(Comm& comm, const RunConfig& cfg, const std::string& path, RoundRunner& runner,
                std::vector<float>& global, const CheckpointState& start,
                std::vector<std::unique_ptr<MetricsSink>>& sinks) {
  const bool root = comm.rank() == 0;
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
      throw StoppedBySignal{signo, static_cast<std::uint32_t>(r), path};
    }
  }
  if (root)
    for (auto& s : sinks) s->finish(global);
}

}  // namespace

// Set-up steps first: everything that can be bad input is checked on every
// rank, inside agree(), before the results file exists.
void run_experiment(Comm& comm, const ExperimentInputs& in) {
  const RunConfig& cfg = in.config;
  int threads = 1;
  const DeviceSpec device = prepare_device(comm, cfg, threads);
  RunData d;
  load_data(comm, cfg, d);
  ClientSamples samples(d.data.train, d.partition, d.on_demand ? &*d.on_demand : nullptr);
  const Scenario scenario = build_scenario(comm, cfg);
  const std::string path = choose_results_path(comm, cfg, in);
  const bool resuming = !in.resume_file.empty();

  std::vector<float> global;
  const auto trainer = build_model(comm, cfg, d.data, device, global);
  CostModel cost{cfg.scenario.sample_seconds, 4.0 * static_cast<double>(trainer->num_params()), cfg.scenario.latency};
  if (cfg.scenario.measure_sample_cost) cost.sample_seconds = measure_sample_seconds(comm, cfg, *trainer, samples, global);

  const RunContext ctx = describe_run(comm, in, RunFacts{device, threads, trainer->num_params(), d.partition.num_clients(),
                                                         cost.sample_seconds, &d.data, trainer->num_buffer_values()});
  CheckpointState start;
  auto sinks = open_sinks(comm, cfg, path, resuming, ctx, d, start);

  std::unique_ptr<GroupTrainer> groups;
  if (cfg.runtime.client_batch > 1) groups = std::make_unique<GroupTrainer>(cfg, d.data.train, device);
  RoundRunner runner(cfg, comm, d.partition, samples, *trainer, d.data, scenario, cost, groups.get());
  if (resuming) continue_from(comm, cfg, path, start, runner, global);
  run_rounds(comm, cfg, path, runner, global, start, sinks);
}

}  // namespace fedhpc
