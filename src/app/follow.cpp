#include "app/follow.hpp"

#include <chrono>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/in_child.hpp"
#include "metrics/results_reader.hpp"
#include "metrics/writer_lock.hpp"

namespace fedhpc {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Refuses at once what can never become a results file.
void refuse_non_results(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) throw InputError(fmt::format("{}: no such results file", path));
  if (fs::is_directory(st)) throw InputError(fmt::format("{}: is a directory, not a results file", path));
  if (!fs::is_regular_file(st)) throw InputError(fmt::format("{}: is not a regular file, not a results file", path));
  if (fs::file_size(path, ec) > 0 && !is_hdf5(path))
    throw InputError(fmt::format("{}: is not an HDF5 file, not a fedhpc results file", path));
}

// Whether the run writing a file is still there, judged on every poll
// without locking: its sidecar's process on this host, or on another host a
// heartbeat that advanced within kStaleSeconds.
class WriterWatch {
 public:
  explicit WriterWatch(std::string path) : path_(std::move(path)), changed_(Clock::now()) {}

  // True once the writer is gone on two polls in a row (the writer removes
  // its sidecar only after its last write, so one poll may fall between).
  bool gone() {
    const bool now_gone = gone_now();
    const bool result = now_gone && was_gone_;
    was_gone_ = now_gone;
    return result;
  }
  std::string who() const { return last_ ? describe_writer(*last_) : "no writer lock"; }

 private:
  bool gone_now() {
    const WriterState s = read_writer(path_);
    if (!s.present) return true;
    if (!s.info) return false;  // being written; next poll
    if (!last_ || last_->beats != s.info->beats) changed_ = Clock::now();
    last_ = s.info;
    const long long now = static_cast<long long>(std::time(nullptr));
    const Liveness l = judge_writer(*s.info, now, kStaleSeconds);
    if (l != Liveness::Unsure) return l == Liveness::Gone;
    return seconds_since(changed_) > kStaleSeconds;
  }

  std::string path_;
  std::optional<WriterInfo> last_;
  Clock::time_point changed_;
  bool was_gone_ = false;
};

void print_header(const std::string& path, const Results& r, std::FILE* out) {
  fmt::print(out, "following {} ({}, {})\n  {:>6}  {:>9}  {:>9}  {:>10}  {:>11}  {:>9}  {:>8}\n", path,
             r.shown("name"), r.complete ? "already complete" : "live", "round", "test_acc", "test_loss",
             "train_loss", "simulated_s", "elapsed_s", "clients");
}

void print_row(const RoundRecord& x, std::FILE* out) {
  fmt::print(out, "  {:>6}  {:>9.4f}  {:>9.4f}  {:>10.4f}  {:>11.1f}  {:>9.1f}  {:>4}/{:<3}\n", x.round,
             x.test_accuracy, x.test_loss, x.train_loss, x.sim_elapsed_seconds, x.elapsed_seconds,
             x.clients_completed, x.clients_selected);
}

}  // namespace

// --wait: a job just submitted has not created its file yet.
void wait_for(const std::string& path, int wait_seconds) {
  using namespace std::chrono_literals;
  const Clock::time_point start = Clock::now();
  std::error_code ec;
  while (!std::filesystem::exists(path, ec) && seconds_since(start) < wait_seconds) std::this_thread::sleep_for(1s);
  if (!std::filesystem::exists(path, ec) && wait_seconds > 0)
    throw InputError(fmt::format("{}: no such results file after waiting {} s (--wait)", path, wait_seconds));
}

int follow_results(const std::string& path, std::FILE* out, int timeout_seconds, int wait_seconds) {
  using namespace std::chrono_literals;
  wait_for(path, wait_seconds);
  refuse_non_results(path);
  const Clock::time_point start = Clock::now();
  WriterWatch writer(path);
  std::size_t shown = 0;
  bool header = false;
  for (;; std::this_thread::sleep_for(1s)) {
    // Each poll opens the file afresh (SWMR read) and closes it again, so the
    // writer is never kept from its final flush.
    survive_in_child(path, [&] {
      if (count_rounds(path) >= 0) (void)read_results(path, /*rounds_only=*/true);
    });
    const long n = count_rounds(path);
    if (n < 0) {  // not (yet) a results file: just created, or not fedhpc's
      if (writer.gone())
        throw InputError(fmt::format("{}: not a fedhpc results file, and no live run is writing it ({})", path,
                                     writer.who()));
      if (seconds_since(start) > timeout_seconds)
        throw InputError(fmt::format("{}: did not become a fedhpc results file within {} s (--timeout)", path,
                                     timeout_seconds));
      continue;
    }
    const Results r = read_results(path, /*rounds_only=*/true);
    if (!header) print_header(path, r, out);
    header = true;
    for (; shown < r.rounds.size(); ++shown) print_row(r.rounds[shown], out);
    std::fflush(out);
    if (r.complete) {
      fmt::print(out, "complete: {} rounds\n", r.rounds.size());
      return kExitOk;
    }
    if (!r.shown("end_utc").empty()) {
      fmt::print(out, "stopped at {} after {} rounds (continue it with fedhpc run ... --resume {})\n",
                 r.shown("end_utc"), r.rounds.size(), path);
      return kExitFailure;
    }
    if (writer.gone()) {
      fmt::print(out, "the run writing this file is gone after {} rounds (it was killed or failed): {}; "
                      "continue it with fedhpc run ... --resume {}\n",
                 r.rounds.size(), writer.who(), path);
      return kExitFailure;
    }
  }
}

}  // namespace fedhpc
