// One writer per results file: the sidecar lock, its stale detection, and
// the results writer refusing a file another writer holds.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "metrics/hdf5_sink.hpp"
#include "metrics/writer_lock.hpp"
#include "unit/input_error_of.hpp"

using namespace fedhpc;
using fedhpc::test_support::input_error_of;

namespace {

std::string fresh_path(const std::string& name) {
  const auto dir = std::filesystem::path(FEDHPC_TEST_OUT) / "writer_lock";
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::filesystem::remove(p);
  std::filesystem::remove(sidecar_path(p.string()));
  return p.string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// The pid of a process that has exited (and been reaped).
long dead_pid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

}  // namespace

TEST(WriterLock, TheSidecarRoundTrips) {
  WriterInfo w{"node07", 4242, 123456789ULL, "2026-11-30T00:00:00Z", 1796000000, 17};
  const auto back = parse_writer(format_writer(w));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->host, "node07");
  EXPECT_EQ(back->pid, 4242);
  EXPECT_EQ(back->process_start, 123456789ULL);
  EXPECT_EQ(back->started_utc, "2026-11-30T00:00:00Z");
  EXPECT_EQ(back->heartbeat_unix, 1796000000);
  EXPECT_EQ(back->beats, 17);
  EXPECT_EQ(describe_writer(w), "pid 4242 on node07 (started 2026-11-30T00:00:00Z, last heartbeat 2026-11-30T00:53:20Z)");
}

TEST(WriterLock, ATornOrForeignSidecarDoesNotParse) {
  const std::string whole = format_writer(this_writer());
  EXPECT_FALSE(parse_writer(whole.substr(0, whole.size() / 2)).has_value());
  EXPECT_FALSE(parse_writer("").has_value());
  EXPECT_FALSE(parse_writer("some other tool's lock\npid 3\n").has_value());
  EXPECT_FALSE(parse_writer("fedhpc results writer\nhost a\npid x\nprocess_start 1\nstarted s\nheartbeat 1\nbeats 0\n"));
}

TEST(WriterLock, JudgesWritersOnThisHostByTheirProcess) {
  WriterInfo me = this_writer();
  EXPECT_EQ(judge_writer(me, 0, kStaleSeconds), Liveness::Live);
  WriterInfo reused = me;
  reused.process_start += 1;  // the same pid, another process
  EXPECT_EQ(judge_writer(reused, 0, kStaleSeconds), Liveness::Gone);
  WriterInfo dead = me;
  dead.pid = dead_pid();
  EXPECT_EQ(judge_writer(dead, 0, kStaleSeconds), Liveness::Gone);
}

TEST(WriterLock, JudgesWritersOnOtherHostsByTheirHeartbeat) {
  WriterInfo far{"some-other-host", 1, 1, "t", 1000, 5};
  EXPECT_EQ(judge_writer(far, 1000 + kStaleSeconds, kStaleSeconds), Liveness::Unsure);
  EXPECT_EQ(judge_writer(far, 1000 + kStaleSeconds + 1, kStaleSeconds), Liveness::Gone);
}

TEST(WriterLock, ASecondWriterIsRefusedNamingTheFirst) {
  const auto path = fresh_path("held.h5");
  WriterLock first = WriterLock::acquire(path, "output.file");
  ASSERT_TRUE(first.held());
  const WriterState seen = read_writer(path);
  ASSERT_TRUE(seen.present && seen.info);
  EXPECT_EQ(seen.info->pid, static_cast<long>(getpid()));
  const std::string msg = input_error_of([&] { WriterLock::acquire(path, "--resume"); });
  EXPECT_NE(msg.find("--resume: " + path + " is being written by a live run, pid " + std::to_string(getpid())),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("; its lock is " + sidecar_path(path) + ". Wait"), std::string::npos) << msg;
  // The refused attempt left the holder's sidecar alone.
  EXPECT_EQ(read_writer(path).info->pid, static_cast<long>(getpid()));
}

TEST(WriterLock, TheSidecarGoesWithTheWriter) {
  const auto path = fresh_path("released.h5");
  { WriterLock lock = WriterLock::acquire(path, "output.file"); }
  EXPECT_FALSE(std::filesystem::exists(sidecar_path(path)));
  EXPECT_FALSE(read_writer(path).present);
  WriterLock again = WriterLock::acquire(path, "output.file");  // free again
  EXPECT_TRUE(again.held());
}

TEST(WriterLock, ADeadWritersSidecarIsTakenOver) {
  const auto path = fresh_path("stale.h5");
  WriterInfo dead = this_writer();
  dead.pid = dead_pid();
  write_text(sidecar_path(path), format_writer(dead));
  testing::internal::CaptureStderr();
  WriterLock lock = WriterLock::acquire(path, "--resume");
  const std::string warning = testing::internal::GetCapturedStderr();
  EXPECT_NE(warning.find("names a writer that is gone, pid " + std::to_string(dead.pid)), std::string::npos) << warning;
  EXPECT_EQ(read_writer(path).info->pid, static_cast<long>(getpid()));
}

TEST(WriterLock, ALiveWriterOnThisHostIsRefusedEvenWithoutTheLock) {
  // Where the file system ignores flock, the sidecar's process decides.
  const auto path = fresh_path("unlocked.h5");
  WriterInfo parent = this_writer();
  parent.pid = static_cast<long>(getppid());
  parent.process_start = 0;  // unknown: the pid alone decides
  write_text(sidecar_path(path), format_writer(parent));
  const std::string msg = input_error_of([&] { WriterLock::acquire(path, "output.file"); });
  EXPECT_NE(msg.find("is being written by a live run, pid " + std::to_string(getppid())), std::string::npos) << msg;
  EXPECT_NE(slurp(sidecar_path(path)).find("pid " + std::to_string(getppid())), std::string::npos);
}

TEST(WriterLock, AnotherHostsSilentHeartbeatIsTakenOverAfterTheStaleTime) {
  const auto path = fresh_path("far.h5");
  WriterInfo far = this_writer();
  far.host = "some-other-host";
  write_text(sidecar_path(path), format_writer(far));  // a heartbeat from just now, never advancing
  testing::internal::CaptureStderr();
  const auto start = std::chrono::steady_clock::now();
  WriterLock lock = WriterLock::acquire(path, "--resume", LockOptions{.stale_seconds = 2, .heartbeat_seconds = 1});
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  testing::internal::GetCapturedStderr();
  EXPECT_GE(waited, 2.0);
  EXPECT_TRUE(lock.held());
}

TEST(WriterLock, TheHeartbeatAdvances) {
  const auto path = fresh_path("beating.h5");
  WriterLock lock = WriterLock::acquire(path, "output.file", LockOptions{.stale_seconds = 30, .heartbeat_seconds = 1});
  const long long before = read_writer(path).info->beats;
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_GE(read_writer(path).info->beats, before + 2);
}

TEST(WriterLock, TheResultsWriterHoldsTheLockForItsLife) {
  const auto path = fresh_path("sink.h5");
  {
    Hdf5Sink sink(path, false);
    EXPECT_TRUE(read_writer(path).present);
    const std::string msg = input_error_of([&] { Hdf5Sink second(path, true); });
    EXPECT_NE(msg.find("output.file: " + path + " is being written by a live run"), std::string::npos) << msg;
  }
  EXPECT_FALSE(read_writer(path).present);
}
