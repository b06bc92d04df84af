#include "metrics/writer_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/proc_stat.hpp"
#include "metrics/timer.hpp"

namespace fedhpc {

namespace {

long long unix_now() { return static_cast<long long>(std::time(nullptr)); }

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "?";
  return buf;
}

std::string read_fd(int fd) {
  std::string text;
  char buf[4096];
  for (off_t at = 0;;) {
    const ssize_t n = pread(fd, buf, sizeof buf, at);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    at += n;
    if (text.size() > 65536) break;  // a sidecar is a few lines; anything bigger is not ours
  }
  return text;
}

std::string read_path(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool same_file(int fd, const std::string& path) {
  struct stat a{}, b{};
  return fstat(fd, &a) == 0 && stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

void write_fd(int fd, const std::string& text) {
  // Best effort: a heartbeat that cannot be written only makes the writer
  // look dead to another host later, which the next beat repairs.
  if (pwrite(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()))
    (void)ftruncate(fd, static_cast<off_t>(text.size()));
}

std::string live_writer_message(const std::string& what, const std::string& results_path,
                                const std::optional<WriterInfo>& w, const std::string& sidecar) {
  return fmt::format("{}: {} is being written by a live run, {}; its lock is {}. Wait for that run to end, or stop "
                     "it, before writing this file again",
                     what, results_path, w ? describe_writer(*w) : "whose lock is just being taken", sidecar);
}

// Watches a sidecar whose writer is on another host until its heartbeat
// advances (Live) or stale_seconds pass without a beat (Gone).
Liveness watch_heartbeat(const std::string& sidecar, const WriterInfo& seen, int stale_seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(stale_seconds);
  while (std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const auto now = parse_writer(read_path(sidecar));
    if (now && now->beats != seen.beats) return Liveness::Live;
  }
  return Liveness::Gone;
}

}  // namespace

std::string sidecar_path(const std::string& results_path) { return results_path + ".writer"; }

std::string format_writer(const WriterInfo& w) {
  return fmt::format(
      "fedhpc results writer\nhost {}\npid {}\nprocess_start {}\nstarted {}\nheartbeat {}\nbeats {}\n", w.host, w.pid,
      w.process_start, w.started_utc, w.heartbeat_unix, w.beats);
}

std::optional<WriterInfo> parse_writer(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != "fedhpc results writer") return std::nullopt;
  WriterInfo w;
  int fields = 0;
  while (std::getline(in, line)) {
    const auto space = line.find(' ');
    if (space == std::string::npos) return std::nullopt;
    const std::string key = line.substr(0, space), value = line.substr(space + 1);
    try {
      if (key == "host") w.host = value;
      else if (key == "pid") w.pid = std::stol(value);
      else if (key == "process_start") w.process_start = std::stoull(value);
      else if (key == "started") w.started_utc = value;
      else if (key == "heartbeat") w.heartbeat_unix = std::stoll(value);
      else if (key == "beats") w.beats = std::stoll(value);
      else continue;
    } catch (const std::exception&) {
      return std::nullopt;  // torn by a concurrent rewrite, or not ours
    }
    ++fields;
  }
  if (fields != 6 || w.host.empty() || w.pid <= 0) return std::nullopt;
  return w;
}

std::string describe_writer(const WriterInfo& w) {
  return fmt::format("pid {} on {} (started {}, last heartbeat {})", w.pid, w.host, w.started_utc,
                     utc_iso(static_cast<std::time_t>(w.heartbeat_unix)));
}

WriterInfo this_writer() {
  WriterInfo w;
  w.host = host_name();
  w.pid = static_cast<long>(getpid());
  w.process_start = read_proc_stat(w.pid).value_or(ProcStat{}).start_ticks;
  w.heartbeat_unix = unix_now();
  w.started_utc = utc_iso(static_cast<std::time_t>(w.heartbeat_unix));
  return w;
}

Liveness judge_writer(const WriterInfo& w, long long now_unix, int stale_seconds) {
  if (w.host == host_name()) {
    // Gone: no such process, a zombie, or another process under a reused pid.
    const auto stat = read_proc_stat(w.pid);
    if (!process_alive(w.pid) || !stat || (w.process_start != 0 && stat->start_ticks != w.process_start))
      return Liveness::Gone;
    return Liveness::Live;
  }
  return now_unix - w.heartbeat_unix > stale_seconds ? Liveness::Gone : Liveness::Unsure;
}

WriterState read_writer(const std::string& results_path) {
  const std::string sidecar = sidecar_path(results_path);
  std::error_code ec;
  if (!std::filesystem::exists(sidecar, ec)) return {};
  return WriterState{true, parse_writer(read_path(sidecar))};
}

struct WriterLock::Impl {
  int fd = -1;
  std::string sidecar;
  WriterInfo me;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  bool owned = false;  // only a sidecar this process wrote is removed at the end
  std::thread heartbeat;

  void beat_every(int seconds) {
    std::unique_lock<std::mutex> lock(mutex);
    while (!wake.wait_for(lock, std::chrono::seconds(seconds), [&] { return stopping; })) {
      me.heartbeat_unix = unix_now();
      ++me.beats;
      write_fd(fd, format_writer(me));
    }
  }
  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    if (heartbeat.joinable()) heartbeat.join();
    if (fd < 0) return;
    if (owned) unlink(sidecar.c_str());  // before unlocking: a waiting taker then finds the path gone and retries
    close(fd);
  }
};

namespace {

// Decides about a sidecar this process has just locked (or could not lock
// because the file system has no locks): empty or left by a dead writer is
// ours to take; a live writer's is not.
void take_over_or_refuse(const std::string& what, const std::string& results_path, const std::string& sidecar,
                         const std::string& text, const LockOptions& options) {
  if (text.empty()) return;
  const auto w = parse_writer(text);
  if (!w) {
    fmt::print(stderr, "fedhpc: warning: {} is not a writer lock fedhpc can read; taking it over\n", sidecar);
    return;
  }
  Liveness verdict = judge_writer(*w, unix_now(), options.stale_seconds);
  if (verdict == Liveness::Unsure) verdict = watch_heartbeat(sidecar, *w, options.stale_seconds);
  if (verdict == Liveness::Live) throw InputError(live_writer_message(what, results_path, w, sidecar));
  fmt::print(stderr, "fedhpc: warning: {} names a writer that is gone, {}; taking it over\n", sidecar,
             describe_writer(*w));
}

}  // namespace

WriterLock::WriterLock() = default;
WriterLock::WriterLock(WriterLock&&) noexcept = default;
WriterLock& WriterLock::operator=(WriterLock&&) noexcept = default;
WriterLock::~WriterLock() = default;
bool WriterLock::held() const { return impl_ && impl_->fd >= 0; }

WriterLock WriterLock::acquire(const std::string& results_path, const std::string& what, LockOptions options) {
  const std::string sidecar = sidecar_path(results_path);
  // A few tries: the previous writer may remove the sidecar between our open
  // and our lock, leaving us holding a file no longer at that path.
  for (int attempt = 0; attempt < 10; ++attempt) {
    auto impl = std::make_unique<Impl>();
    impl->sidecar = sidecar;
    impl->fd = open(sidecar.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (impl->fd < 0)
      throw InputError(fmt::format("{}: cannot create the writer lock {}: {}", what, sidecar, std::strerror(errno)));
    if (flock(impl->fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK)
      throw InputError(live_writer_message(what, results_path, parse_writer(read_fd(impl->fd)), sidecar));
    if (!same_file(impl->fd, sidecar)) continue;
    take_over_or_refuse(what, results_path, sidecar, read_fd(impl->fd), options);
    if (!same_file(impl->fd, sidecar)) continue;
    impl->me = this_writer();
    impl->owned = true;
    write_fd(impl->fd, format_writer(impl->me));
    impl->heartbeat = std::thread([p = impl.get(), s = options.heartbeat_seconds] { p->beat_every(s); });
    WriterLock lock;
    lock.impl_ = std::move(impl);
    return lock;
  }
  throw Error(fmt::format("{}: the writer lock {} kept changing under us; try again", what, sidecar));
}

}  // namespace fedhpc
