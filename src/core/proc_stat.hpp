#pragma once
// One process's line of /proc/PID/stat, for telling a live process from a
// gone one (the writer lock, the peer watch). Header-only: src/comm uses it
// and does not link the core library.
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace fedhpc {

struct ProcStat {
  char state = '?';                   // R, S, D, T, Z (zombie), X (dead), ...
  unsigned long long start_ticks = 0;  // field 22: start time, in clock ticks after boot
};

// Empty when there is no such process (or its line cannot be read).
inline std::optional<ProcStat> read_proc_stat(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const auto close = line.rfind(')');  // the command name before it may hold spaces and parentheses
  if (close == std::string::npos || close + 2 >= line.size()) return std::nullopt;
  std::istringstream fields(line.substr(close + 2));
  ProcStat stat;
  std::string field;
  for (int i = 3; i <= 22; ++i) {
    if (!(fields >> field)) return std::nullopt;
    if (i == 3) stat.state = field[0];
  }
  try {
    stat.start_ticks = std::stoull(field);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return stat;
}

// Running: there, and neither a zombie nor dead.
inline bool process_alive(long pid) {
  const auto stat = read_proc_stat(pid);
  return stat && stat->state != 'Z' && stat->state != 'X';
}

}  // namespace fedhpc
