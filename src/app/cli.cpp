#include "app/cli.hpp"

#include <cstdlib>

#include "core/error.hpp"

namespace fedhpc {

std::string usage(const std::string& topic) {
  if (topic == "run")
    return R"(usage: fedhpc run SCENARIO.yaml [KEY=VALUE ...] [--resume FILE.h5] [--expect-ranks N]

Runs a federated experiment under mpirun/srun. Each KEY=VALUE overrides one
key of the scenario (values are YAML scalars), e.g.
  mpirun -n 2 fedhpc run scenarios/quickstart.yaml train.rounds=5 seed=3
Rank 0 prints one line per round and writes the results file (output.file).
A checkpoint goes into that file every output.checkpoint_every rounds.

SIGTERM or SIGINT (Slurm's warning before a time limit: sbatch --signal)
stops the run at the end of the current round with a checkpoint.
--resume FILE.h5 continues a stopped or killed run in the same file, from its
latest checkpoint, with the same scenario and overrides (any rank count); the
final model is bitwise the one an uninterrupted run makes.

--expect-ranks N refuses to start unless the MPI world has N ranks; inside a
Slurm job the world must also match SLURM_NTASKS (a launch without PMI starts
N separate 1-rank worlds, which this catches).

Exit codes: 0 success; 2 bad input (config, override, data file, rank layout),
with the message naming file:line:col or the key; 1 any other failure;
128+N stopped by signal N after writing a checkpoint (143 for SIGTERM).
)";
  if (topic == "validate")
    return R"(usage: fedhpc validate SCENARIO.yaml [KEY=VALUE ...]

Checks a scenario and its overrides without MPI, data or training, and prints
the resolved configuration (every key, defaults included) as YAML.
Exit code 0 if valid, 2 with every problem listed otherwise.
)";
  if (topic == "report")
    return R"(usage: fedhpc report [--format text|csv|json] FILE.h5 [FILE.h5 ...]
       fedhpc report --follow [--wait SECONDS] [--timeout SECONDS] FILE.h5

Prints a summary of each results file: the configuration, what the scenario
did to the clients, the accuracy curve, the simulated and wall time to reach
each accuracy, and the time spent per phase. With several files, a table
compares them side by side, its columns named by the configuration keys whose
values differ between the runs (listed under "differs"), with each phase's
share of the critical path (rank 0's rounds; the shares sum to 100%).
--format csv (one row per run) or json prints that comparison alone, for
scripts. Works on unfinished (killed) runs too.

--follow prints a running job's rounds as they are written, until the run
completes (exit 0), stops, or its writer is gone (killed: exit 1; the writer
lock FILE.h5.writer tells). --wait waits that long for the file to appear
(right after sbatch); without it a missing file is refused at once, as are a
directory and a file that is not HDF5; a file that is not a results file
after --timeout seconds (default 60) is refused then (exit 2). Ctrl-C leaves.
)";
  if (topic == "keys")
    return R"(usage: fedhpc keys [--markdown]

Lists every scenario key, one line each: key, type and range, default,
description, and when it applies (a key set where it does not apply is
refused). --markdown prints the table of docs/keys.md.
)";
  if (topic == "privacy")
    return R"(usage: fedhpc privacy --sampling-rate Q --noise-multiplier SIGMA --steps T
                      [--orders A,B,...] [--delta D]

The privacy accountant alone: Renyi DP of the Poisson-subsampled Gaussian
mechanism (each step samples every user with probability Q and adds Gaussian
noise of SIGMA times the clip norm), composed over T steps, and the
(epsilon, delta) it gives. Prints one line per order, "ORDER RDP", then
"epsilon E order A" at delta D (default 1e-5). Without --orders the usual grid:
1.1 ... 10.9 by 0.1, 11 ... 63, 128, 256, 512, 1024.
)";
  if (topic == "export")
    return R"(usage: fedhpc export FILE.h5 --csv DIR

Writes every table of a results file as CSV into DIR (created if need be):
rounds.csv, clients.csv, timings.csv, checkpoints.csv, and partition.csv
where the file has per-client rows. Each header cell is "column [unit]".
)";
  if (topic == "list")
    return R"(usage: fedhpc list strategies|models

Lists the registered strategies or models with a one-line description.
)";
  return R"(usage: fedhpc <command> [args]

commands:
  run SCENARIO.yaml [KEY=VALUE ...]       run an experiment (under mpirun/srun); --resume FILE.h5
  validate SCENARIO.yaml [KEY=VALUE ...]  check a scenario, print the resolved config
  report [--follow] FILE.h5 [FILE.h5 ...] summarize results files, compare them; follow a live run
  export FILE.h5 --csv DIR                every table of a results file as CSV
  list strategies|models                  show what is available
  keys [--markdown]                       every scenario key: type, default, meaning
  privacy --sampling-rate Q --noise-multiplier S --steps T   the DP accountant: RDP and epsilon

`fedhpc <command> --help` describes one command; `fedhpc --version` prints the version.
)";
}

Command parse_cli(const std::vector<std::string>& args) {
  Command cmd;
  if (args.empty()) throw InputError("no command given\n\n" + usage(""));
  const std::string& sub = args[0];
  if (sub == "--help" || sub == "-h" || sub == "help") return cmd;
  if (sub == "--version") {
    cmd.kind = Command::Kind::Version;
    return cmd;
  }
  static const std::pair<const char*, Command::Kind> kinds[] = {{"run", Command::Kind::Run},
                                                                {"validate", Command::Kind::Validate},
                                                                {"report", Command::Kind::Report},
                                                                {"export", Command::Kind::Export},
                                                                {"list", Command::Kind::List},
                                                                {"keys", Command::Kind::Keys},
                                                                {"privacy", Command::Kind::Privacy}};
  bool known = false;
  for (const auto& [name, kind] : kinds) {
    if (sub == name) {
      cmd.kind = kind;
      known = true;
    }
  }
  if (!known) throw InputError(fmt::format("unknown command '{}'\n\n{}", sub, usage("")));

  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      cmd.help_topic = sub;
      cmd.kind = Command::Kind::Help;
      return cmd;
    }
    if (cmd.kind == Command::Kind::Privacy) {  // its own flags (app/privacy_command.cpp)
      cmd.overrides.push_back(a);
      continue;
    }
    if (a == "--resume" && cmd.kind == Command::Kind::Run) {
      if (i + 1 >= args.size()) throw InputError("run: --resume needs a results file (FILE.h5)");
      cmd.resume_file = args[++i];
      continue;
    }
    if (a == "--expect-ranks" && cmd.kind == Command::Kind::Run) {
      const std::string n = i + 1 < args.size() ? args[++i] : "";
      char* end = nullptr;
      const long v = std::strtol(n.c_str(), &end, 10);
      if (n.empty() || *end != '\0' || v < 1 || v > 1 << 24)
        throw InputError(fmt::format("run: --expect-ranks needs a positive rank count, found '{}'", n));
      cmd.expect_ranks = static_cast<int>(v);
      continue;
    }
    if (a == "--markdown" && cmd.kind == Command::Kind::Keys) {
      cmd.markdown = true;
      continue;
    }
    if (a == "--follow" && cmd.kind == Command::Kind::Report) {
      cmd.follow = true;
      continue;
    }
    if (a == "--csv" && cmd.kind == Command::Kind::Export) {
      cmd.csv_dir = i + 1 < args.size() ? args[++i] : "";
      if (cmd.csv_dir.empty()) throw InputError("export: --csv needs a folder");
      continue;
    }
    if (a == "--format" && cmd.kind == Command::Kind::Report) {
      cmd.format = i + 1 < args.size() ? args[++i] : "";
      if (cmd.format != "text" && cmd.format != "csv" && cmd.format != "json")
        throw InputError(fmt::format("report: --format: expected text, csv or json, found '{}'", cmd.format));
      continue;
    }
    if ((a == "--timeout" || a == "--wait") && cmd.kind == Command::Kind::Report) {
      const std::string n = i + 1 < args.size() ? args[++i] : "";
      char* end = nullptr;
      const long v = std::strtol(n.c_str(), &end, 10);
      if (n.empty() || *end != '\0' || v < 1 || v > 86400)
        throw InputError(fmt::format("report: {} needs whole seconds from 1 to 86400, found '{}'", a, n));
      (a == "--wait" ? cmd.follow_wait : cmd.follow_timeout) = static_cast<int>(v);
      continue;
    }
    if (a.rfind("-", 0) == 0 && a.find('=') == std::string::npos)
      throw InputError(fmt::format("{}: unknown option '{}'\n\n{}", sub, a, usage(sub)));
    if (cmd.target.empty() && cmd.kind != Command::Kind::Keys)
      cmd.target = a;
    else if (cmd.kind == Command::Kind::Run || cmd.kind == Command::Kind::Validate || cmd.kind == Command::Kind::Report)
      cmd.overrides.push_back(a);
    else
      throw InputError(fmt::format("{}: unexpected argument '{}'\n\n{}", sub, a, usage(sub)));
  }
  if (cmd.kind == Command::Kind::Keys || cmd.kind == Command::Kind::Privacy) return cmd;
  if (cmd.target.empty()) throw InputError(fmt::format("{}: missing argument\n\n{}", sub, usage(sub)));
  if (cmd.kind == Command::Kind::Export && cmd.csv_dir.empty())
    throw InputError(fmt::format("export: expected --csv DIR\n\n{}", usage(sub)));
  if (cmd.follow && !cmd.overrides.empty())
    throw InputError("report: --follow takes exactly one results file");
  if (cmd.kind == Command::Kind::List && cmd.target != "strategies" && cmd.target != "models")
    throw InputError(fmt::format("list: expected 'strategies' or 'models', found '{}'", cmd.target));
  return cmd;
}

}  // namespace fedhpc
