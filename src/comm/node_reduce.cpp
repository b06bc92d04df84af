#include "comm/node_reduce.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "comm/mpi_check.hpp"
#include "core/error.hpp"

namespace fedhpc {

NodeReducer::NodeReducer(MPI_Comm world) {
  int rank = 0, world_size = 1;
  FEDHPC_MPI_CHECK(MPI_Comm_rank(world, &rank));
  FEDHPC_MPI_CHECK(MPI_Comm_size(world, &world_size));
  world_root_ = rank == 0;
  // Keyed by world rank: world rank 0 is rank 0 of its node, so it leads it.
  // FEDHPC_TEST_RANKS_PER_NODE=k pretends that every k consecutive ranks are
  // a node (they still share memory), so one machine's tests reach the
  // cross-node level too.
  const char* fake = std::getenv("FEDHPC_TEST_RANKS_PER_NODE");
  if (fake != nullptr && std::atoi(fake) > 0)
    FEDHPC_MPI_CHECK(MPI_Comm_split(world, rank / std::atoi(fake), rank, &node_));
  else
    FEDHPC_MPI_CHECK(MPI_Comm_split_type(world, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node_));
  FEDHPC_MPI_CHECK(MPI_Comm_set_errhandler(node_, MPI_ERRORS_RETURN));
  FEDHPC_MPI_CHECK(MPI_Comm_rank(node_, &node_rank_));
  FEDHPC_MPI_CHECK(MPI_Comm_size(node_, &node_size_));
  spans_nodes_ = node_size_ < world_size;
  if (spans_nodes_) {
    FEDHPC_MPI_CHECK(MPI_Comm_split(world, node_rank_ == 0 ? 0 : MPI_UNDEFINED, rank, &leaders_));
    if (leaders_ != MPI_COMM_NULL) FEDHPC_MPI_CHECK(MPI_Comm_set_errhandler(leaders_, MPI_ERRORS_RETURN));
  }

  // Two slots per rank but the leader, which only reads them.
  const auto mine = static_cast<MPI_Aint>(node_rank_ == 0 ? 0 : 2 * kSlotBytes);
  MPI_Info info = MPI_INFO_NULL;
  FEDHPC_MPI_CHECK(MPI_Info_create(&info));
  // Each rank's slots on its own pages (NUMA-local to the rank that writes them).
  FEDHPC_MPI_CHECK(MPI_Info_set(info, "alloc_shared_noncontig", "true"));
  void* base = nullptr;
  const int rc = MPI_Win_allocate_shared(mine, 1, info, node_, &base, &window_);
  MPI_Info_free(&info);
  FEDHPC_MPI_CHECK(rc);
  slots_.assign(2 * static_cast<std::size_t>(node_size_), nullptr);
  for (int r = 1; r < node_size_; ++r) {
    MPI_Aint size = 0;
    int unit = 0;
    void* ptr = nullptr;
    FEDHPC_MPI_CHECK(MPI_Win_shared_query(window_, r, &size, &unit, &ptr));
    FEDHPC_CHECK(static_cast<std::size_t>(size) >= 2 * kSlotBytes, "rank {}'s slots hold {} bytes", r, size);
    slots_[2 * static_cast<std::size_t>(r)] = static_cast<std::byte*>(ptr);
    slots_[2 * static_cast<std::size_t>(r) + 1] = static_cast<std::byte*>(ptr) + kSlotBytes;
  }
  // One passive epoch for the window's lifetime; MPI_Win_sync and barriers order the accesses.
  FEDHPC_MPI_CHECK(MPI_Win_lock_all(MPI_MODE_NOCHECK, window_));
}

NodeReducer::~NodeReducer() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  if (window_ != MPI_WIN_NULL) {
    MPI_Win_unlock_all(window_);
    MPI_Win_free(&window_);
  }
  if (leaders_ != MPI_COMM_NULL) MPI_Comm_free(&leaders_);
  if (node_ != MPI_COMM_NULL) MPI_Comm_free(&node_);
}

void NodeReducer::sum_to_rank0(std::span<const std::int64_t> in, std::span<std::int64_t> out) {
  sum(in, out, MPI_INT64_T);
}
void NodeReducer::sum_to_rank0(std::span<const double> in, std::span<double> out) { sum(in, out, MPI_DOUBLE); }
void NodeReducer::sum_to_rank0(std::span<const std::uint64_t> in, std::span<std::uint64_t> out) {
  sum(in, out, MPI_UINT64_T);
}

template <class T>
void NodeReducer::sum(std::span<const T> in, std::span<T> out, MPI_Datatype type) {
  const std::size_t n = in.size();
  FEDHPC_CHECK(!world_root_ || out.size() >= n, "reduce output of {} < input {}", out.size(), n);
  const double start = MPI_Wtime();
  const bool leader = node_rank_ == 0;
  // Where this node's sum goes: the output on world rank 0, else (a leader
  // of another node) a buffer for the cross-node reduce.
  T* total = nullptr;
  if (leader && world_root_) {
    total = out.data();
  } else if (leader) {
    node_total_.resize(n * sizeof(T));
    total = reinterpret_cast<T*>(node_total_.data());
  }

  if (node_size_ == 1) {
    if (leader && n > 0) std::memcpy(total, in.data(), n * sizeof(T));
  } else {
    // Chunk k: the other ranks copy it into slot k % 2 while the leader sums
    // chunk k - 1 from slot (k - 1) % 2; the barrier closing step k hands
    // that slot back before step k + 1 refills it.
    const std::size_t per = kSlotBytes / sizeof(T);
    const std::size_t chunks = (n + per - 1) / per;
    auto slot = [&](int r, std::size_t k) {
      return reinterpret_cast<T*>(slots_[2 * static_cast<std::size_t>(r) + k % 2]);
    };
    for (std::size_t k = 0; k <= chunks; ++k) {
      if (!leader && k < chunks) {
        const std::size_t lo = k * per, len = std::min(per, n - lo);
        std::memcpy(slot(node_rank_, k), in.data() + lo, len * sizeof(T));
      }
      if (leader && k >= 1) {
        const std::size_t lo = (k - 1) * per, len = std::min(per, n - lo);
        const T* __restrict own = in.data() + lo;
        const T* __restrict first = slot(1, k - 1);
        T* __restrict dst = total + lo;
        for (std::size_t i = 0; i < len; ++i) dst[i] = own[i] + first[i];
        for (int r = 2; r < node_size_; ++r) {
          const T* __restrict other = slot(r, k - 1);
          for (std::size_t i = 0; i < len; ++i) dst[i] += other[i];
        }
      }
      FEDHPC_MPI_CHECK(MPI_Win_sync(window_));
      FEDHPC_MPI_CHECK(MPI_Barrier(node_));
      FEDHPC_MPI_CHECK(MPI_Win_sync(window_));
    }
  }

  const double node_done = MPI_Wtime();
  node_seconds_ += node_done - start;

  // Across nodes: the leaders' sums, MPI_Reduce'd into rank 0's output.
  if (leaders_ == MPI_COMM_NULL) return;
  constexpr std::size_t kMaxCount = static_cast<std::size_t>(INT_MAX);
  for (std::size_t off = 0; off < n; off += kMaxCount) {
    const int count = static_cast<int>(std::min(kMaxCount, n - off));
    if (world_root_)
      FEDHPC_MPI_CHECK(MPI_Reduce(MPI_IN_PLACE, out.data() + off, count, type, MPI_SUM, 0, leaders_));
    else
      FEDHPC_MPI_CHECK(MPI_Reduce(total + off, nullptr, count, type, MPI_SUM, 0, leaders_));
  }
  cross_seconds_ += MPI_Wtime() - node_done;
}

}  // namespace fedhpc
