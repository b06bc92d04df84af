// fedhpc's entry point. `run` starts MPI; validate/report/list never do, so
// they work on a login node without a launcher.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "app/follow.hpp"
#include "app/privacy_command.hpp"
#include "app/report.hpp"
#include "app/report_compare.hpp"
#include "metrics/csv_export.hpp"
#include "app/resume_probe.hpp"
#include "comm/agree.hpp"
#include "comm/mpi_session.hpp"
#include "config/keys.hpp"
#include "config/load.hpp"
#include "core/build_info.hpp"
#include "core/printable.hpp"
#include "core/stop_signal.hpp"
#include "fl/experiment.hpp"
#include "model/catalog.hpp"
#include "strategy/catalog.hpp"


namespace fedhpc {
namespace {

void print_error(const std::string& message) {
  std::fprintf(stderr, "fedhpc: error: %s\n", terminal_safe(message).c_str());
}

int validate_command(const Command& cmd) {
  const RunConfig config = load_config(read_text_file(cmd.target), cmd.target, cmd.overrides);
  std::fputs(to_yaml(config).c_str(), stdout);
  return kExitOk;
}

int list_command(const Command& cmd) {
  if (cmd.target == "models") {
    for (const auto& m : model_catalog()) fmt::print("{:<12} {}\n", m.name, m.description);
  } else {
    for (const auto& s : strategy_catalog()) {
      std::string options;
      for (const auto& d : s.options) options += fmt::format("{}{}={:g}", options.empty() ? "" : ", ", d.key, d.value);
      fmt::print("{:<13} {}\n{:<13} options: {}\n", s.name, s.description, "", options.empty() ? "none" : options);
    }
  }
  return kExitOk;
}

// Every key of config/keys.cpp, aligned in columns, or as docs/keys.md's table.
int keys_command(const Command& cmd) {
  const auto rows = key_rows();
  if (cmd.markdown) {
    fmt::print("| key | type | default | applies when | meaning |\n|---|---|---|---|---|\n");
    for (const auto& r : rows)
      fmt::print("| `{}` | {} | `{}` | {} | {} |\n", r.path, r.type, r.default_value,
                 r.applies_when.empty() ? "always" : r.applies_when, r.description);
    return kExitOk;
  }
  // Columns as wide as their widest entry, but a long one (the strategy
  // options' per-strategy defaults) runs over rather than widen them all.
  std::size_t w[3] = {0, 0, 0};
  for (const auto& r : rows) {
    w[0] = std::max(w[0], r.path.size());
    if (r.type.size() <= 40) w[1] = std::max(w[1], r.type.size());
    if (r.default_value.size() <= 36) w[2] = std::max(w[2], r.default_value.size());
  }
  for (const auto& r : rows)
    fmt::print("{:<{}}  {:<{}}  {:<{}}  {}{}\n", r.path, w[0], r.type, w[1], r.default_value, w[2], r.description,
               r.applies_when.empty() ? "" : fmt::format(" (when {})", r.applies_when));
  return kExitOk;
}

// --expect-ranks and SLURM_NTASKS against the MPI world this process is in.
void check_world_size(int world, int expected, const char* slurm_ntasks) {
  if (expected > 0 && world != expected)
    throw InputError(fmt::format("--expect-ranks {}: the MPI world has {} rank(s); launch {} (mpirun -n {}, srun -n {})",
                                 expected, world, expected, expected, expected));
  if (slurm_ntasks && *slurm_ntasks) {
    char* end = nullptr;
    const long tasks = std::strtol(slurm_ntasks, &end, 10);
    if (*end == '\0' && tasks > 0 && tasks != world)
      throw InputError(fmt::format(
          "SLURM_NTASKS is {} but the MPI world has {} rank(s): the launcher did not wire the tasks together "
          "(use srun --mpi=pmix, or mpirun inside the allocation) or the job asked for another task count",
          tasks, world));
  }
}

int run_command(int argc, char** argv, const Command& cmd) {
  const std::string resume_problem =
      !cmd.resume_file.empty() && launched_as_rank_zero() ? probe_resume_file(cmd.resume_file) : "";
  MpiSession mpi(&argc, &argv);
  auto comm = mpi.world();
  try {
    // Rank 0 reads the scenario; every rank parses the same bytes, so config
    // errors are identical everywhere and printed once.
    // The rank layout first: a wrong launch must fail before any work.
    agree(*comm, [&] { check_world_size(comm->size(), cmd.expect_ranks, std::getenv("SLURM_NTASKS")); });
    ExperimentInputs in;
    in.scenario_file = cmd.target;
    in.overrides = cmd.overrides;
    in.mpi_version = mpi.library_version();
    in.resume_file = cmd.resume_file;
    in.resume_problem = resume_problem;
    agree(*comm, [&] {
      if (comm->rank() == 0) in.raw_yaml = read_text_file(cmd.target);
    });
    bcast_string(*comm, in.raw_yaml, 0);
    agree(*comm, [&] { in.config = load_config(in.raw_yaml, cmd.target, cmd.overrides); });
    run_experiment(*comm, in);
    return kExitOk;
  } catch (const StoppedBySignal& s) {
    // Every rank stopped after the same round; the checkpoint is written.
    if (comm->rank() == 0) {
      std::fprintf(stderr,
                   "fedhpc: stopped by %s after round %u; the checkpoint is in %s\n"
                   "fedhpc: continue with the same command and --resume %s\n",
                   signal_name(s.signo), s.last_round, s.results_path.c_str(), s.results_path.c_str());
    }
    return 128 + s.signo;
  } catch (const AgreedInputError& e) {
    if (comm->rank() == 0) print_error(e.what());
    return kExitBadInput;
  } catch (const AgreedError& e) {
    if (comm->rank() == 0) print_error(e.what());
    return kExitFailure;
  } catch (const std::exception& e) {
    // Only this rank knows: the others may be inside a collective. Abort all.
    std::fprintf(stderr, "fedhpc: rank %d (%s): error: %s\n", comm->rank(), comm->host().c_str(),
                 terminal_safe(e.what()).c_str());
    std::fflush(stderr);
    MpiSession::abort(dynamic_cast<const InputError*>(&e) ? kExitBadInput : kExitFailure);
  }
}

}  // namespace
}  // namespace fedhpc

int main(int argc, char** argv) {
  using namespace fedhpc;
  Command cmd;
  try {
    cmd = parse_cli(std::vector<std::string>(argv + 1, argv + argc));
    switch (cmd.kind) {
      case Command::Kind::Help: std::fputs(usage(cmd.help_topic).c_str(), stdout); return kExitOk;
      case Command::Kind::Version: std::printf("fedhpc %s (%s%s)\n", build_info().version, build_info().git_sha,
                                                              build_info().git_dirty ? ", modified" : ""); return kExitOk;
      case Command::Kind::Validate: return validate_command(cmd);
      case Command::Kind::Report: {
        if (cmd.follow) return follow_results(cmd.target, stdout, cmd.follow_timeout, cmd.follow_wait);
        std::vector<std::string> files{cmd.target};
        files.insert(files.end(), cmd.overrides.begin(), cmd.overrides.end());
        if (cmd.format == "text")
          print_reports(files, stdout);
        else if (cmd.format == "csv")
          print_comparison_csv(compare_runs(files), stdout);
        else
          print_comparison_json(compare_runs(files), stdout);
        return kExitOk;
      }
      case Command::Kind::Export:
        for (const auto& f : export_csv(cmd.target, cmd.csv_dir)) std::printf("%s\n", f.c_str());
        return kExitOk;
      case Command::Kind::List: return list_command(cmd);
      case Command::Kind::Keys: return keys_command(cmd);
      case Command::Kind::Privacy: return privacy_command(cmd.overrides);
      case Command::Kind::Run: return run_command(argc, argv, cmd);
    }
  } catch (const InputError& e) {
    print_error(e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitFailure;
  }
  return kExitFailure;
}
