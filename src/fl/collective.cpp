#include "fl/collective.hpp"

namespace fedhpc {

std::vector<double> reduce_weighted_mean(Comm& comm, const SumAccumulator& acc) {
  const bool root = comm.rank() == 0;
  if (acc.mode() == ReduceMode::Exact) {
    std::vector<std::int64_t> total(root ? acc.exact_terms().size() : 0);
    comm.reduce_sum(acc.exact_terms(), total, 0);
    return root ? SumAccumulator::mean_from_exact(total) : std::vector<double>{};
  }
  std::vector<double> total(root ? acc.fast_terms().size() : 0);
  comm.reduce_sum(acc.fast_terms(), total, 0);
  return root ? SumAccumulator::mean_from_fast(total) : std::vector<double>{};
}

void broadcast_model(Comm& comm, std::vector<float>& model) { comm.bcast(std::as_writable_bytes(std::span(model)), 0); }

}  // namespace fedhpc
