#pragma once
// The local half of a Sum-shaped aggregation (FedAvg and its server-optimizer
// family): each rank streams its clients' weighted deltas into one buffer of
// the model's size, then one reduce combines the ranks (fl/collective.cpp).
//
// exact: p_k = w_k / W is known before training (the survivors are decided by
//   the replicated cohort), so each p_k * delta_k is rounded to fixed point
//   and summed as int64. The total is the same integer for any rank count and
//   any reduction order. |p_k * delta_k| < 2^22 per coordinate is enforced,
//   so the sum (whose real value is a convex combination) cannot overflow.
// fast: w_k * delta_k summed in double with the weight total in a last slot,
//   then divided; repeatable only for a fixed rank count and reduce algorithm.
#include <cstdint>
#include <span>
#include <vector>

#include "config/schema.hpp"

namespace fedhpc {

class SumAccumulator {
 public:
  SumAccumulator(std::size_t dim, ReduceMode mode);

  ReduceMode mode() const { return mode_; }
  std::size_t dim() const { return dim_; }
  void reset();

  // `total_weight` is the sum of weights over every contributing client of the
  // round on all ranks (exact mode needs it up front; fast mode ignores it).
  // Throws Error for a non-finite or out-of-range update, naming `client`.
  void add(std::span<const float> delta, double weight, double total_weight, std::uint32_t client);

  // Buffers handed to the reduction: exact_terms() has dim() int64s;
  // fast_terms() has dim() + 1 doubles (the last one the weight total).
  std::span<const std::int64_t> exact_terms() const { return exact_; }
  std::span<const double> fast_terms() const { return fast_; }
  std::size_t reduce_bytes() const;

  // The weighted mean of the deltas, from the reduced buffer.
  static std::vector<double> mean_from_exact(std::span<const std::int64_t> reduced);
  static std::vector<double> mean_from_fast(std::span<const double> reduced);

 private:
  std::size_t dim_;
  ReduceMode mode_;
  std::vector<std::int64_t> exact_;
  std::vector<double> fast_;
};

}  // namespace fedhpc
