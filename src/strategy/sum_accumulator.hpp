#pragma once
// The local half of a Sum-shaped aggregation (the mean family and Krum's
// final average): each rank streams coef_k * values_k of its clients into one
// buffer, then one reduce combines the ranks (fl/collective.cpp). The
// coefficients are already normalized (strategy/coefficients.hpp), so the
// reduced buffer is the aggregate itself.
//
// exact: each coef_k * value is rounded to fixed point (2^-40) and summed as
//   int64. The total is the same integer for any rank count and reduction
//   order. A value must satisfy |value| * L1 < 2^22, with L1 the sum of |coef|
//   over the round: then every partial sum, on any rank, stays below 2^62.
// fast: coef_k * value summed in double; repeatable only for a fixed rank
//   count and reduce algorithm.
// A buffer may hold several segments (SCAFFOLD: the model update, then the
// control-variate update), each with its own coefficients.
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

  // Adds coefficient * values into [offset, offset + values.size()).
  // `coefficient_l1` is the sum of |coefficient| over every client of the
  // round on all ranks for this segment. Throws Error for a non-finite or
  // out-of-range value, naming `client`.
  void add(std::span<const float> values, double coefficient, double coefficient_l1, std::uint32_t client,
           std::size_t offset = 0);

  // Buffers handed to the reduction (dim() elements, one of them empty).
  std::span<const std::int64_t> exact_terms() const { return exact_; }
  // The exact buffer as the ring of integers modulo 2^64 (additions wrap
  // around there): secure aggregation adds its masks through it.
  std::span<std::uint64_t> exact_ring() {
    return {reinterpret_cast<std::uint64_t*>(exact_.data()), exact_.size()};
  }
  std::span<const double> fast_terms() const { return fast_; }
  std::size_t reduce_bytes() const;

  // The aggregate from a reduced exact buffer.
  static std::vector<double> from_exact(std::span<const std::int64_t> reduced);

 private:
  std::size_t dim_;
  ReduceMode mode_;
  std::vector<std::int64_t> exact_;
  std::vector<double> fast_;
};

}  // namespace fedhpc
