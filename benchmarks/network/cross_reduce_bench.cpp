// The cross-node level of the aggregation's reduce, against memcpy of the same
// buffer (the baseline, measured in the same run), and the virtual clock's
// network terms fitted to it. Run with one rank on each of two nodes, so the
// whole reduce crosses the network:
//   scripts/local_cluster.sh mpirun --host node1:1,node2:1 -n 2 build/benchmarks/cross_reduce_bench -p eth_1g
// For each accumulator size (int64 fixed point, as `exact` mode reduces), the
// median over -n repeats of rank 0's time in the cross-node level
// (Comm::reduce_levels). Then latency and bandwidth are fitted to
// t = latency + 8 bytes / bandwidth, minimising the squared relative error
// (small sizes count as much as large ones), and every size's time is
// predicted by the scenario's cost model (CostModel::transfer_seconds, the
// virtual clock's transfer time) with them. Prints one row per size and a
// closing FEDHPC_NETWORK line; -c FILE appends the rows as CSV (profile,
// bytes, measured_s, memcpy_s, latency_s, bandwidth_mbps, predicted_s, error).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "common.hpp"
#include "comm/mpi_session.hpp"
#include "scenario/virtual_clock.hpp"

using namespace fedhpc;

namespace {

struct Point {
  double bytes = 0, seconds = 0, memcpy_seconds = 0;
};

// Least squares of (a + b x - t) / t over the points: a latency, b seconds per byte.
std::pair<double, double> fit_relative(const std::vector<Point>& pts) {
  double s00 = 0, s01 = 0, s11 = 0, r0 = 0, r1 = 0;
  for (const auto& p : pts) {
    const double w = 1.0 / (p.seconds * p.seconds);
    s00 += w;
    s01 += w * p.bytes;
    s11 += w * p.bytes * p.bytes;
    r0 += w * p.seconds;
    r1 += w * p.seconds * p.bytes;
  }
  const double det = s00 * s11 - s01 * s01;
  return {(r0 * s11 - r1 * s01) / det, (s00 * r1 - s01 * r0) / det};
}

// Rank 0's seconds in the cross-node level of one reduce.
double cross_seconds(Comm& comm, std::span<const std::int64_t> in, std::span<std::int64_t> out) {
  comm.barrier();
  const double before = comm.reduce_levels().cross_seconds;
  comm.reduce_sum(in, out, 0);
  return comm.reduce_levels().cross_seconds - before;
}

}  // namespace

int main(int argc, char** argv) {
  MpiSession mpi(&argc, &argv);
  auto world = mpi.world();
  Comm& comm = *world;
  const bool root = comm.rank() == 0;
  bench::Flags flags(argc, argv);
  const std::string sizes = flags.text("-s", "1,2,5,10,20,50,100", "accumulator sizes, MB (1e6 bytes)");
  const std::string profile = flags.text("-p", "unnamed", "the interconnect's name, for the output");
  const std::string csv = flags.text("-c", "", "append the rows to this CSV file");
  const bench::Repeats reps = bench::read_repeats(flags, 5, "repeats per size");
  flags.finish("cross_reduce_bench", root);
  if (comm.num_nodes() < 2 && root)
    fmt::print(stderr, "cross_reduce_bench: warning: all ranks on one node; nothing crosses a network\n");

  std::vector<Point> pts;
  for (const auto& mb : bench::split_list(sizes)) {
    const auto n = static_cast<std::size_t>(std::stod(mb) * 1e6 / sizeof(std::int64_t));
    std::vector<std::int64_t> in(n, comm.rank() + 1), out(root ? n : 0), copy(n);
    for (int w = 0; w < reps.warmup; ++w) cross_seconds(comm, in, out);
    std::vector<double> samples, copies;
    for (int i = 0; i < reps.measured; ++i) {
      samples.push_back(cross_seconds(comm, in, out));
      copies.push_back(bench::time_once(comm, [&] { std::memcpy(copy.data(), in.data(), n * sizeof(std::int64_t)); }));
    }
    pts.push_back({static_cast<double>(n * sizeof(std::int64_t)), bench::median(samples), bench::median(copies)});
  }
  if (!root) return 0;

  const auto [latency, per_byte] = fit_relative(pts);
  const double mbps = 8.0 / per_byte / 1e6;
  fmt::print("# cross_reduce_bench: profile {}, {} ranks on {} nodes, median of {}\n", profile, comm.size(),
             comm.num_nodes(), reps.measured);
  fmt::print("{:>12} {:>12} {:>12} {:>10} {:>12} {:>10}\n", "bytes", "measured_s", "memcpy_s", "x_memcpy",
             "predicted_s", "error");
  std::FILE* out = csv.empty() ? nullptr : std::fopen(csv.c_str(), "a");
  double worst = 0;
  for (const auto& p : pts) {
    const CostModel model{0.0, p.bytes, latency};
    const double predicted = model.transfer_seconds(mbps);
    const double error = predicted / p.seconds - 1.0;
    worst = std::max(worst, std::abs(error));
    fmt::print("{:>12.0f} {:>12.6f} {:>12.6f} {:>10.1f} {:>12.6f} {:>+9.1f}%\n", p.bytes, p.seconds,
               p.memcpy_seconds, p.seconds / p.memcpy_seconds, predicted, 100 * error);
    if (out)
      fmt::print(out, "{},{:.0f},{:.9f},{:.9f},{:.9e},{:.3f},{:.9f},{:.6f}\n", profile, p.bytes, p.seconds,
                 p.memcpy_seconds, latency, mbps, predicted, error);
  }
  if (out) std::fclose(out);
  fmt::print("FEDHPC_NETWORK profile={} latency_seconds={:.6e} bandwidth_mbps={:.1f} worst_error={:.3f}\n", profile,
             latency, mbps, worst);
  return 0;
}
