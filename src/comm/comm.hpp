#pragma once
// The only door to inter-rank communication. The math, the data and the
// training never see MPI: they see this interface. MpiComm (mpi_comm.cpp) is
// the real one; LocalComm is a single-rank stand-in for unit tests.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace fedhpc {

// Seconds a rank has spent in sum-reductions, by level: within its node
// (shared memory) and across nodes (the network).
struct ReduceLevels {
  double node_seconds = 0.0;
  double cross_seconds = 0.0;
};

class Comm {
 public:
  virtual ~Comm() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual int local_rank() const = 0;  // rank among the ranks on this node (GPU choice)
  virtual int num_nodes() const = 0;   // nodes (shared-memory domains) the ranks are spread over
  virtual std::string host() const = 0;

  virtual void barrier() = 0;
  virtual void bcast(std::span<std::byte> data, int root) = 0;
  // Element-wise sums/maxima into `out` on `root` (out may be empty elsewhere).
  virtual void reduce_sum(std::span<const std::int64_t> in, std::span<std::int64_t> out, int root) = 0;
  virtual void reduce_sum(std::span<const double> in, std::span<double> out, int root) = 0;
  // Sums modulo 2^64 (secure aggregation's ring: masked values wrap around).
  virtual void reduce_sum(std::span<const std::uint64_t> in, std::span<std::uint64_t> out, int root) = 0;
  virtual void reduce_max(std::span<const double> in, std::span<double> out, int root) = 0;
  virtual std::int64_t allreduce_min(std::int64_t value) = 0;
  // Running totals since the communicator was made (reduce_sum only).
  virtual ReduceLevels reduce_levels() const = 0;
  // Concatenation of every rank's bytes, in rank order, on root.
  virtual std::vector<std::byte> gatherv(std::span<const std::byte> mine, int root) = 0;
  // Personalized all-to-all: send_counts[r] floats go to rank r (packed in
  // rank order in `send`); recv_counts[r] floats arrive from rank r (packed
  // in rank order in `recv`). Used to transpose client rows into coordinate
  // slices for the robust aggregators.
  virtual void alltoallv(std::span<const float> send, std::span<const std::size_t> send_counts, std::span<float> recv,
                         std::span<const std::size_t> recv_counts) = 0;
};

// A communicator of one rank: every collective is a copy.
std::unique_ptr<Comm> make_local_comm();

}  // namespace fedhpc
