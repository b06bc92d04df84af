// The aggregation collective's throughput against memory copy, measured in
// one run. For each model size S (bytes of float32 parameters,
// -b to -e, times -f), every rank holds the accumulator a round ends with
// (d = S/4 elements: int64 fixed point for `exact`, double for `fast`) and
// the step that combines them on rank 0 is timed:
//   exact: Comm::reduce_sum of int64      fast: Comm::reduce_sum of double
//   memcpy: rank-local std::memcpy of the same accumulator buffer (the baseline)
// Throughput = accumulator bytes / seconds (slowest rank, median of -n); the
// ratio is the median over repeats of memcpy/reduce timed back to back.
// A second table times the whole aggregation of one client update per rank:
// SumAccumulator::add (fixed-point conversion), the reduce, root's decode.
//   mpirun -n 2 build/benchmarks/reduce_bench [-b 10000] [-e 100000000] [-f 10] [-w 1] [-n 5]
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "common.hpp"
#include "comm/mpi_session.hpp"
#include "core/rng.hpp"
#include "strategy/sum_accumulator.hpp"

using namespace fedhpc;

int main(int argc, char** argv) {
  MpiSession mpi(&argc, &argv);
  auto world = mpi.world();
  Comm& comm = *world;
  const bool root = comm.rank() == 0;
  bench::Flags flags(argc, argv);
  const long min_bytes = flags.integer("-b", 10000, "smallest model, bytes of float32 parameters");
  const long max_bytes = flags.integer("-e", 100000000, "largest model, bytes");
  const int factor = flags.integer("-f", 10, "size multiplier between steps");
  const bench::Repeats reps = bench::read_repeats(flags, 5, "repeats per size");
  flags.finish("reduce_bench", root);

  if (root) {
    fmt::print("# reduce_bench: {} ranks; accumulator GB/s (1e9 bytes/s) and ratio to memcpy of the same buffer\n",
               comm.size());
    fmt::print("{:>12} {:>10} {:>10} {:>10} {:>8} {:>10} {:>8}   {:>10} {:>10}\n", "model_bytes", "acc_bytes",
               "memcpy", "exact", "ratio", "fast", "ratio", "agg_exact", "agg_fast");
  }
  for (long bytes = min_bytes; bytes <= max_bytes; bytes *= factor) {
    const auto d = static_cast<std::size_t>(bytes / 4);
    std::vector<float> update(d);
    Rng rng(derive_seed(7, Stream::Train, 0, static_cast<std::uint32_t>(comm.rank())));
    for (auto& v : update) v = static_cast<float>(0.01 * rng.normal());
    SumAccumulator exact(d, ReduceMode::Exact), fast(d, ReduceMode::Fast);
    exact.add(update, 0.5, 1.0, 0);
    fast.add(update, 0.5, 1.0, 0);
    std::vector<std::int64_t> exact_out(root ? d : 0), copy_i(d);
    std::vector<double> fast_out(root ? d : 0);
    const double acc_bytes = static_cast<double>(d * sizeof(std::int64_t));

    const auto collective = bench::interleaved(
        comm, reps, [&] { std::memcpy(copy_i.data(), exact.exact_terms().data(), d * sizeof(std::int64_t)); },
        {[&] { comm.reduce_sum(exact.exact_terms(), exact_out, 0); },
         [&] { comm.reduce_sum(fast.fast_terms(), fast_out, 0); }});
    // The whole aggregation of one update per rank.
    const double t_agg_exact = bench::median_seconds(comm, reps, [&] {
      exact.reset();
      exact.add(update, 0.5, 1.0, 0);
      comm.reduce_sum(exact.exact_terms(), exact_out, 0);
      if (root) (void)SumAccumulator::from_exact(exact_out);
    });
    const double t_agg_fast = bench::median_seconds(comm, reps, [&] {
      fast.reset();
      fast.add(update, 0.5, 1.0, 0);
      comm.reduce_sum(fast.fast_terms(), fast_out, 0);
    });
    if (root) {
      auto gbs = [&](double t) { return acc_bytes / t / 1e9; };
      fmt::print("{:>12} {:>10.0f} {:>10.2f} {:>10.2f} {:>8.3f} {:>10.2f} {:>8.3f}   {:>10.4f} {:>10.4f}\n", bytes,
                 acc_bytes, gbs(collective.baseline_seconds), gbs(collective.seconds[0]), collective.ratio[0],
                 gbs(collective.seconds[1]), collective.ratio[1], t_agg_exact, t_agg_fast);
    }
  }
  return 0;
}
