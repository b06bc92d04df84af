#pragma once
// One writer per results file. The writer holds an advisory lock (flock) on a
// sidecar file, FILE.h5.writer, for the run's life. The sidecar names the
// writer (host, pid, when it started) and carries a heartbeat the writer
// rewrites every kHeartbeatSeconds, so a process on another host can tell a
// live writer from a dead one where the file system does not share locks.
//
// A second `fedhpc run` on the same file (--resume, output.overwrite=true)
// finds the lock held and stops with exit 2 naming the writer. A sidecar left
// by a killed writer is stale: on the same host its process is gone; on
// another host its heartbeat has not advanced for kStaleSeconds. A stale
// sidecar is taken over with a warning. Readers (report --follow) never lock;
// they use writer_state() to stop waiting on a dead writer.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace fedhpc {

constexpr int kHeartbeatSeconds = 5;
constexpr int kStaleSeconds = 30;

// What a sidecar says about its writer.
struct WriterInfo {
  std::string host;
  long pid = 0;
  unsigned long long process_start = 0;  // clock ticks after boot (/proc/PID/stat), tells a reused pid apart
  std::string started_utc;
  long long heartbeat_unix = 0;  // the writer's clock at its latest beat
  long long beats = 0;           // counts up with every beat
};

std::string sidecar_path(const std::string& results_path);
std::string format_writer(const WriterInfo& w);
std::optional<WriterInfo> parse_writer(const std::string& text);
std::string describe_writer(const WriterInfo& w);  // "pid 123 on node01 (since ...)"

// This process as a writer: host, pid, process start, now.
WriterInfo this_writer();

// Whether the writer named by `w` is alive, judged without waiting: Live or
// Gone on this host (its process), Live or Gone on another host when its
// heartbeat is recent or older than stale_seconds, else Unsure.
enum class Liveness { Live, Gone, Unsure };
Liveness judge_writer(const WriterInfo& w, long long now_unix, int stale_seconds);

struct LockOptions {
  int stale_seconds = kStaleSeconds;
  int heartbeat_seconds = kHeartbeatSeconds;
};

class WriterLock {
 public:
  // Takes the lock of `results_path` for this process, creating its folder.
  // Throws InputError naming `what` (the key or flag) and the live writer.
  // Where the sidecar's writer on another host is Unsure, watches its
  // heartbeat for up to stale_seconds before taking over.
  static WriterLock acquire(const std::string& results_path, const std::string& what, LockOptions options = {});

  WriterLock();
  WriterLock(WriterLock&&) noexcept;
  WriterLock& operator=(WriterLock&&) noexcept;
  ~WriterLock();  // stops the heartbeat, removes the sidecar, unlocks

  bool held() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The writer of `results_path` as a reader sees it (no locking): no sidecar
// (nobody is writing it, or its writer predates the lock), or its info.
struct WriterState {
  bool present = false;
  std::optional<WriterInfo> info;  // empty while a writer is still writing its sidecar
};
WriterState read_writer(const std::string& results_path);

}  // namespace fedhpc
