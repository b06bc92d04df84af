#pragma once
// fedhpc's command line: a small hand-written parser.
#include <string>
#include <vector>

namespace fedhpc {

struct Command {
  enum class Kind { Run, Validate, Report, Export, List, Keys, Privacy, Help, Version };
  Kind kind = Kind::Help;
  std::string target;                  // scenario file, results file, or list topic
  std::vector<std::string> overrides;  // key=value, in order (later wins); report: further results files;
                                       // privacy: its flags, as given
  std::string help_topic;              // subcommand whose --help was asked for
  std::string resume_file;             // run --resume FILE.h5
  int expect_ranks = 0;                // run --expect-ranks N (0: not given)
  bool follow = false;                 // report --follow
  int follow_timeout = 60;             // report --follow --timeout SECONDS
  int follow_wait = 0;                 // report --follow --wait SECONDS (for the file to appear)
  std::string format = "text";         // report --format text|csv|json
  std::string csv_dir;                 // export --csv DIR
  bool markdown = false;               // keys --markdown
};

// Throws InputError with a usage hint for anything it does not understand.
Command parse_cli(const std::vector<std::string>& args);

// The help text of a subcommand ("" for the overview).
std::string usage(const std::string& topic);

}  // namespace fedhpc
