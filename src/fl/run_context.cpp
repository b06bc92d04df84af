#include "fl/run_context.hpp"

#include "attack/adversaries.hpp"
#include "fl/round.hpp"
#include "fl/round_attack.hpp"
#include "privacy/dp_params.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/ranges.h>
#include <fmt/core.h>

#include "config/load.hpp"
#include "core/blas_info.hpp"
#include "core/build_info.hpp"
#include "fl/placement.hpp"
#include "metrics/hdf5_sink.hpp"
#include "metrics/timer.hpp"
#include "strategy/catalog.hpp"

extern char** environ;  // POSIX: the process environment

namespace fedhpc {

namespace {

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

std::string describe_data(const DataConfig& d, const DataSplit& data) {
  std::string out = fmt::format("{}{}{}: {} training and {} test samples of shape [{}], {} classes", to_string(d.dataset),
                                d.path.empty() ? "" : " ", d.path, data.train.size(), data.test.size(),
                                fmt::join(data.train.sample_shape, ", "), data.train.num_classes);
  if (!data.name.empty()) out += fmt::format("; the file's name: {:?}", data.name);
  if (d.dataset == DatasetKind::Brown)
    out += fmt::format("; next character after {} characters, stride {}, natural clients: {}s", kBrownSequence,
                       d.brown.stride, to_string(d.brown.client));
  if (!data.test.natural_owner.empty()) out += "; test samples have owners (per-client evaluation)";
  if (!d.normalize.mean.empty())
    out += fmt::format("; normalized (x - mean) / std with mean [{}], std [{}]", fmt::join(d.normalize.mean, ", "),
                       fmt::join(d.normalize.std, ", "));
  return out;
}

std::string describe_model(const ModelConfig& m, const RunFacts& facts) {
  return fmt::format("{}; {} values ({} of them buffers, {}); initial weights: {}",
                     m.torchscript.empty() ? fmt::format("built-in {}", m.name) : "TorchScript " + m.torchscript,
                     facts.num_params, facts.num_buffer_values,
                     m.buffers == BufferPolicy::Average ? "averaged like parameters" : "kept local by each client",
                     m.init.empty() ? (m.torchscript.empty() ? "drawn from the seed" : "the file's own")
                                    : "model.init " + m.init);
}

}  // namespace

RunContext describe_run(Comm& comm, const ExperimentInputs& in, const RunFacts& facts) {
  const RunConfig& cfg = in.config;
  RunContext ctx;
  ctx.name = cfg.name;
  ctx.scenario_file = in.scenario_file;
  ctx.config_yaml = to_yaml(cfg);
  ctx.raw_yaml = in.raw_yaml;
  ctx.cli_overrides = join(in.overrides);
  ctx.seed = cfg.seed;
  ctx.num_ranks = comm.size();
  ctx.num_nodes = comm.num_nodes();
  ctx.num_trainers = static_cast<int>(trainer_ranks(comm.size(), cfg.runtime.aggregator).size());
  ctx.hosts = join_hosts(comm);
  ctx.device = describe_ranks(
      comm, fmt::format("{} x{} thread(s); BLAS: {}; CPU kernels: OpenBLAS {}, LibTorch {}", facts.device.describe(),
                        facts.threads, describe_blas(), blas_core_name().empty() ? "-" : blas_core_name(),
                        aten_kernels()));
  ctx.num_params = facts.num_params;
  ctx.sim_sample_seconds = facts.sample_seconds;
  const StrategyInfo& strategy = *find_strategy(cfg.strategy.name);
  ctx.strategy = fmt::format("{} (aggregator {}, server {}, client {})", strategy.name, strategy.aggregation->name,
                             strategy.server->name, strategy.client->name);
  const Adversaries adversaries(cfg.scenario.adversaries, cfg.seed, facts.num_clients);
  ctx.attack = describe_attack(cfg.scenario.adversaries, adversaries);
  if (ctx.attack.empty()) ctx.attack = "none";
  ctx.privacy = describe_dp(cfg);
  ctx.secure_aggregation =
      cfg.privacy.secure_aggregation
          ? "pairwise masking (Bonawitz et al. 2017) in the int64 ring, simulated key agreement; the protocol's "
            "traffic and mask expansion charged on the virtual clock after the deadline"
          : "off";
  ctx.sampling = to_string(cfg.strategy.sampling);
  ctx.data = describe_data(cfg.data, *facts.data);
  ctx.model = describe_model(cfg.model, facts);
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
  ctx.num_clients = facts.num_clients;
  ctx.per_client_state = strategy.client->per_client_state;
  ctx.server_state_size =
      static_cast<std::int64_t>(RoundRunner::server_state_size(cfg, static_cast<std::size_t>(facts.num_params)));
  ctx.control_size = strategy.client->shared_state ? facts.num_params : 0;
  return ctx;
}

}  // namespace fedhpc
