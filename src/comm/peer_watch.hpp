#pragma once
// A rank waiting in MPI for a peer on its node that has died would wait until
// Open MPI kills it, and Open MPI waits odls_base_sigkill_timeout twice (we
// raise it to 30 s so that Ctrl-C leaves time for a checkpoint). PeerWatch
// ends such a rank within seconds instead: a thread checks, while this rank
// has been inside an MPI call for a while, whether a peer process on the same
// node is gone (no such process, or a zombie), and if so exits with 1.
// Remote peers are not watched: a dead one breaks its connections, and MPI
// reports that itself.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace fedhpc {

namespace detail {
// Marks the span of one MPI call (FEDHPC_MPI_CHECK), so the watch knows when
// this rank is waiting in MPI.
class MpiCallMark {
 public:
  MpiCallMark();
  ~MpiCallMark();
};
}  // namespace detail

struct Peer {
  int rank = 0;
  long pid = 0;
};

class PeerWatch {
 public:
  // Does nothing when a peer's process cannot be seen (another PID
  // namespace): a watch that cannot tell must not end a healthy run.
  PeerWatch(int my_rank, std::vector<Peer> local_peers, int wait_ms = 2000);
  ~PeerWatch();
  PeerWatch(const PeerWatch&) = delete;
  PeerWatch& operator=(const PeerWatch&) = delete;

 private:
  void watch();

  int my_rank_;
  std::vector<Peer> peers_;
  int wait_ms_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fedhpc
