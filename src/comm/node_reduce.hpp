#pragma once
// A node-aware sum-reduction to rank 0 for large buffers. Open
// MPI's MPI_Reduce between ranks of one node copies each peer's whole buffer
// into the root's memory and then sums it: the root moves the data several
// times over DRAM and reaches about half of memcpy's rate. Here the ranks of a
// node share an MPI-3 window of two small slots each: the ranks other than the
// leader copy their buffer into their slots a chunk at a time while the leader
// sums the previous chunk of every slot (still in cache) with its own into
// the output, so the leader's DRAM traffic is that of one memcpy. Across nodes
// the node leaders then combine their sums with MPI_Reduce (two levels).
//
// Internal to src/comm (it includes <mpi.h>); MpiComm uses it for
// reduce_sum to rank 0 of buffers of at least kMinBytes, and of every size
// when the ranks span several nodes, so that the time of each level can be
// told apart (levels()).
#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace fedhpc {

class NodeReducer {
 public:
  // Buffers smaller than this go to MPI_Reduce: for them latency, not
  // bandwidth, decides, and the per-chunk barriers would cost more.
  static constexpr std::size_t kMinBytes = std::size_t{1} << 20;
  // One slot: a chunk of a peer's buffer in flight. Two per rank (one being
  // filled while the leader reads the other); small enough to stay in cache.
  static constexpr std::size_t kSlotBytes = std::size_t{256} << 10;

  // Collective over `world`. `world` must outlive the reducer.
  explicit NodeReducer(MPI_Comm world);
  ~NodeReducer();
  NodeReducer(const NodeReducer&) = delete;
  NodeReducer& operator=(const NodeReducer&) = delete;

  // Collective. Sums `in` over all ranks into `out` on world rank 0, in a
  // fixed order for a fixed layout of ranks over nodes: the leader's own
  // values, then its node's other ranks in rank order, then (across nodes)
  // MPI_Reduce's order.
  void sum_to_rank0(std::span<const std::int64_t> in, std::span<std::int64_t> out);
  void sum_to_rank0(std::span<const double> in, std::span<double> out);
  void sum_to_rank0(std::span<const std::uint64_t> in, std::span<std::uint64_t> out);  // modulo 2^64

  // Whether the ranks are spread over more than one node (real or posed).
  bool spans_nodes() const { return spans_nodes_; }
  // Seconds this rank has spent in each level of sum_to_rank0 so far.
  double node_seconds() const { return node_seconds_; }
  double cross_seconds() const { return cross_seconds_; }

 private:
  MPI_Comm node_ = MPI_COMM_NULL;     // the ranks of this node; rank 0 of the world is a leader
  MPI_Comm leaders_ = MPI_COMM_NULL;  // one rank per node (MPI_COMM_NULL elsewhere), only with several nodes
  MPI_Win window_ = MPI_WIN_NULL;
  int node_rank_ = 0, node_size_ = 1;
  bool world_root_ = false;
  bool spans_nodes_ = false;
  double node_seconds_ = 0.0, cross_seconds_ = 0.0;
  std::vector<std::byte*> slots_;      // [rank on node][2] slots, mapped into this process
  std::vector<std::byte> node_total_;  // a leader's node sum before the cross-node reduce (not rank 0)

  template <class T>
  void sum(std::span<const T> in, std::span<T> out, MPI_Datatype type);
};

}  // namespace fedhpc
