// MPI behind the Comm interface (src/comm is the only code that includes <mpi.h>).
#include <mpi.h>

#include <climits>
#include <cstdlib>
#include <memory>
#include <vector>

#include <unistd.h>

#include "comm/mpi_check.hpp"
#include "comm/mpi_session.hpp"
#include "comm/node_reduce.hpp"
#include "core/error.hpp"

namespace fedhpc {

namespace detail {

std::string processor_name() {
  char name[MPI_MAX_PROCESSOR_NAME] = {};
  int len = 0;
  MPI_Get_processor_name(name, &len);
  return std::string(name, static_cast<std::size_t>(len));
}

[[noreturn]] void mpi_failed(int code, const char* call, const char* file, int line) {
  char msg[MPI_MAX_ERROR_STRING] = {};
  int len = 0;
  MPI_Error_string(code, msg, &len);
  int rank = -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  throw Error(fmt::format("MPI error on rank {} ({}) at {}:{}: {} failed: {}", rank, processor_name(), file, line, call,
                          std::string(msg, static_cast<std::size_t>(len))));
}

}  // namespace detail

namespace {

using detail::processor_name;

template <class T>
MPI_Datatype mpi_type();
template <>
MPI_Datatype mpi_type<std::int64_t>() { return MPI_INT64_T; }
template <>
MPI_Datatype mpi_type<std::uint64_t>() { return MPI_UINT64_T; }
template <>
MPI_Datatype mpi_type<double>() { return MPI_DOUBLE; }

// Counts are int in MPI-3: split anything longer into INT_MAX-sized chunks.
constexpr std::size_t kChunk = static_cast<std::size_t>(INT_MAX);

class MpiComm final : public Comm {
 public:
  MpiComm() {
    FEDHPC_MPI_CHECK(MPI_Comm_dup(MPI_COMM_WORLD, &comm_));
    FEDHPC_MPI_CHECK(MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN));
    FEDHPC_MPI_CHECK(MPI_Comm_rank(comm_, &rank_));
    FEDHPC_MPI_CHECK(MPI_Comm_size(comm_, &size_));
    MPI_Comm node;
    FEDHPC_MPI_CHECK(MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node));
    FEDHPC_MPI_CHECK(MPI_Comm_rank(node, &local_rank_));
    const int leader = local_rank_ == 0 ? 1 : 0;
    FEDHPC_MPI_CHECK(MPI_Allreduce(&leader, &num_nodes_, 1, MPI_INT, MPI_SUM, comm_));
    watch_ = std::make_unique<PeerWatch>(rank_, node_peers(node));
    MPI_Comm_free(&node);
  }
  ~MpiComm() override {
    watch_.reset();
    node_reducer_.reset();  // frees its window and communicators before comm_
    MPI_Comm_free(&comm_);
  }

  // The other ranks on this node, with their process ids.
  std::vector<Peer> node_peers(MPI_Comm node) const {
    int n = 0;
    FEDHPC_MPI_CHECK(MPI_Comm_size(node, &n));
    const long long mine[2] = {rank_, static_cast<long long>(getpid())};
    std::vector<long long> all(2 * static_cast<std::size_t>(n));
    FEDHPC_MPI_CHECK(MPI_Allgather(mine, 2, MPI_LONG_LONG, all.data(), 2, MPI_LONG_LONG, node));
    std::vector<Peer> peers;
    for (int i = 0; i < n; ++i)
      if (all[2 * i] != rank_) peers.push_back(Peer{static_cast<int>(all[2 * i]), static_cast<long>(all[2 * i + 1])});
    return peers;
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int local_rank() const override { return local_rank_; }
  int num_nodes() const override { return num_nodes_; }
  std::string host() const override { return processor_name(); }

  void barrier() override { FEDHPC_MPI_CHECK(MPI_Barrier(comm_)); }

  void bcast(std::span<std::byte> data, int root) override {
    for (std::size_t off = 0; off < data.size(); off += kChunk) {
      const int n = static_cast<int>(std::min(kChunk, data.size() - off));
      FEDHPC_MPI_CHECK(MPI_Bcast(data.data() + off, n, MPI_BYTE, root, comm_));
    }
  }

  void reduce_sum(std::span<const std::int64_t> in, std::span<std::int64_t> out, int root) override {
    if (node_reduce(in.size_bytes(), root)) return node_reducer_->sum_to_rank0(in, out);
    reduce(in, out, MPI_SUM, root);
  }
  void reduce_sum(std::span<const double> in, std::span<double> out, int root) override {
    if (node_reduce(in.size_bytes(), root)) return node_reducer_->sum_to_rank0(in, out);
    reduce(in, out, MPI_SUM, root);
  }
  void reduce_sum(std::span<const std::uint64_t> in, std::span<std::uint64_t> out, int root) override {
    if (node_reduce(in.size_bytes(), root)) return node_reducer_->sum_to_rank0(in, out);
    reduce(in, out, MPI_SUM, root);
  }
  void reduce_max(std::span<const double> in, std::span<double> out, int root) override {
    reduce(in, out, MPI_MAX, root);
  }

  ReduceLevels reduce_levels() const override {
    ReduceLevels t{plain_sum_seconds_, 0.0};
    if (node_reducer_) {
      t.node_seconds += node_reducer_->node_seconds();
      t.cross_seconds += node_reducer_->cross_seconds();
    }
    return t;
  }

  std::int64_t allreduce_min(std::int64_t value) override {
    std::int64_t out = 0;
    FEDHPC_MPI_CHECK(MPI_Allreduce(&value, &out, 1, MPI_INT64_T, MPI_MIN, comm_));
    return out;
  }

  std::vector<std::byte> gatherv(std::span<const std::byte> mine, int root) override {
    FEDHPC_CHECK(mine.size() <= kChunk, "gatherv of {} bytes exceeds INT_MAX", mine.size());
    int count = static_cast<int>(mine.size());
    std::vector<int> counts(rank_ == root ? static_cast<std::size_t>(size_) : 0);
    FEDHPC_MPI_CHECK(MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, root, comm_));
    std::vector<int> displs(counts.size());
    std::vector<std::byte> all;
    if (rank_ == root) {
      long long total = 0;
      for (std::size_t i = 0; i < counts.size(); ++i) {
        displs[i] = static_cast<int>(total);
        total += counts[i];
      }
      FEDHPC_CHECK(total <= INT_MAX, "gatherv total of {} bytes exceeds INT_MAX", total);
      all.resize(static_cast<std::size_t>(total));
    }
    FEDHPC_MPI_CHECK(MPI_Gatherv(mine.data(), count, MPI_BYTE, all.data(), counts.data(), displs.data(), MPI_BYTE,
                                 root, comm_));
    return all;
  }

  void alltoallv(std::span<const float> send, std::span<const std::size_t> send_counts, std::span<float> recv,
                 std::span<const std::size_t> recv_counts) override {
    const auto p = static_cast<std::size_t>(size_);
    FEDHPC_CHECK(send_counts.size() == p && recv_counts.size() == p, "alltoallv counts for {}/{} ranks, world is {}",
                 send_counts.size(), recv_counts.size(), p);
    auto layout = [&](std::span<const std::size_t> counts, std::size_t capacity, const char* what) {
      std::vector<int> n(p), displ(p);
      std::size_t total = 0;
      for (std::size_t r = 0; r < p; ++r) {
        FEDHPC_CHECK(total <= INT_MAX && counts[r] <= INT_MAX, "alltoallv {} offsets exceed INT_MAX", what);
        displ[r] = static_cast<int>(total);
        n[r] = static_cast<int>(counts[r]);
        total += counts[r];
      }
      FEDHPC_CHECK(total <= capacity, "alltoallv {} of {} floats into a buffer of {}", what, total, capacity);
      return std::pair{n, displ};
    };
    auto [sn, sd] = layout(send_counts, send.size(), "send");
    auto [rn, rd] = layout(recv_counts, recv.size(), "receive");
    FEDHPC_MPI_CHECK(MPI_Alltoallv(send.data(), sn.data(), sd.data(), MPI_FLOAT, recv.data(), rn.data(), rd.data(),
                                   MPI_FLOAT, comm_));
  }

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1, local_rank_ = 0, num_nodes_ = 1;
  std::unique_ptr<NodeReducer> node_reducer_;  // made at the first sum to rank 0 (collective)
  double plain_sum_seconds_ = 0.0;             // sums by one MPI_Reduce over comm_
  std::unique_ptr<PeerWatch> watch_;           // ends this rank when a peer on its node dies mid-collective

  // Sums to rank 0 go through the node-aware reduction (node_reduce.hpp)
  // when they are large, and always when the ranks span several nodes (its
  // two levels are then timed apart). Every rank decides alike: the same
  // size and root on all of them; the reducer is made at the first sum to
  // rank 0 (collective).
  bool node_reduce(std::size_t bytes, int root) {
    if (size_ < 2 || root != 0) return false;
    if (!node_reducer_) node_reducer_ = std::make_unique<NodeReducer>(comm_);
    return bytes >= NodeReducer::kMinBytes || node_reducer_->spans_nodes();
  }

  template <class T>
  void reduce(std::span<const T> in, std::span<T> out, MPI_Op op, int root) {
    FEDHPC_CHECK(rank_ != root || out.size() >= in.size(), "reduce output of {} < input {}", out.size(), in.size());
    // A sum gets here with several ranks only on one node (fedhpc's sums
    // all go to rank 0): all of it is the node level.
    const double start = MPI_Wtime();
    for (std::size_t off = 0; off < in.size(); off += kChunk) {
      const int n = static_cast<int>(std::min(kChunk, in.size() - off));
      T* dst = rank_ == root ? out.data() + off : nullptr;
      FEDHPC_MPI_CHECK(MPI_Reduce(in.data() + off, dst, n, mpi_type<T>(), op, root, comm_));
    }
    if (op == MPI_SUM) plain_sum_seconds_ += MPI_Wtime() - start;
  }
};

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  int provided = 0;
  // FUNNELED: only the main thread calls MPI; LibTorch's pool threads never do.
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    throw Error("MPI_Init_thread failed");
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

MpiSession::~MpiSession() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

std::unique_ptr<Comm> MpiSession::world() const { return std::make_unique<MpiComm>(); }

std::string MpiSession::library_version() const {
  char v[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int len = 0;
  MPI_Get_library_version(v, &len);
  std::string s(v, static_cast<std::size_t>(len));
  if (auto nl = s.find_first_of(",\n"); nl != std::string::npos) s.resize(nl);
  return s;
}

void MpiSession::abort(int exit_code) {
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);  // MPI_Abort does not return; this only silences [[noreturn]]
}

}  // namespace fedhpc
