#include "comm/peer_watch.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/proc_stat.hpp"

namespace fedhpc {

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// When the current MPI call began (steady ms), 0 outside MPI. MPI is called
// from the main thread only (MPI_THREAD_FUNNELED), so one value suffices.
std::atomic<std::int64_t> g_in_mpi_since{0};

}  // namespace

detail::MpiCallMark::MpiCallMark() { g_in_mpi_since.store(now_ms(), std::memory_order_relaxed); }
detail::MpiCallMark::~MpiCallMark() { g_in_mpi_since.store(0, std::memory_order_relaxed); }

PeerWatch::PeerWatch(int my_rank, std::vector<Peer> local_peers, int wait_ms)
    : my_rank_(my_rank), peers_(std::move(local_peers)), wait_ms_(wait_ms) {
  for (const Peer& p : peers_)
    if (!process_alive(p.pid)) return;
  if (!peers_.empty()) thread_ = std::thread([this] { watch(); });
}

PeerWatch::~PeerWatch() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeerWatch::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_; })) {
    const std::int64_t since = g_in_mpi_since.load(std::memory_order_relaxed);
    if (since == 0 || now_ms() - since < wait_ms_) continue;
    for (const Peer& p : peers_) {
      if (process_alive(p.pid)) continue;
      std::fprintf(stderr,
                   "fedhpc: rank %d: rank %d (pid %ld, same node) has ended while this rank waits for it in MPI; "
                   "ending this rank too\n",
                   my_rank_, p.rank, p.pid);
      std::fflush(stderr);
      std::_Exit(1);
    }
  }
}

}  // namespace fedhpc
