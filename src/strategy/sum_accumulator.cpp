#include "strategy/sum_accumulator.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/fixed_point.hpp"

namespace fedhpc {

SumAccumulator::SumAccumulator(std::size_t dim, ReduceMode mode) : dim_(dim), mode_(mode) {
  if (mode_ == ReduceMode::Exact)
    exact_.assign(dim_, 0);
  else
    fast_.assign(dim_ + 1, 0.0);
}

void SumAccumulator::reset() {
  std::fill(exact_.begin(), exact_.end(), 0);
  std::fill(fast_.begin(), fast_.end(), 0.0);
}

std::size_t SumAccumulator::reduce_bytes() const {
  return mode_ == ReduceMode::Exact ? exact_.size() * sizeof(std::int64_t) : fast_.size() * sizeof(double);
}

void SumAccumulator::add(std::span<const float> delta, double weight, double total_weight, std::uint32_t client) {
  FEDHPC_CHECK(delta.size() == dim_, "delta of {} floats, model has {}", delta.size(), dim_);
  if (weight == 0.0) return;
  if (mode_ == ReduceMode::Fast) {
    for (std::size_t i = 0; i < dim_; ++i) {
      if (!std::isfinite(delta[i]))
        throw Error(fmt::format("client {} returned a non-finite update (coordinate {}): training diverged; "
                                "lower train.lr",
                                client, i));
      fast_[i] += weight * static_cast<double>(delta[i]);
    }
    fast_[dim_] += weight;
    return;
  }
  FEDHPC_CHECK(total_weight > 0.0, "exact reduction needs the round's total weight, got {}", total_weight);
  const double p = weight / total_weight;
  for (std::size_t i = 0; i < dim_; ++i) {
    const double term = p * static_cast<double>(delta[i]);
    if (!fits_fixed(term, kUpdateFixedBits)) {
      throw Error(fmt::format("client {} returned an update of {} at coordinate {}, outside the exact reduction's "
                              "fixed-point range (+-{:g}): training diverged; lower train.lr, or use "
                              "runtime.reduce=fast",
                              client, delta[i], i, std::ldexp(1.0, 62 - kUpdateFixedBits)));
    }
    exact_[i] += to_fixed(term, kUpdateFixedBits);
  }
}

std::vector<double> SumAccumulator::mean_from_exact(std::span<const std::int64_t> reduced) {
  std::vector<double> mean(reduced.size());
  for (std::size_t i = 0; i < reduced.size(); ++i) mean[i] = from_fixed(reduced[i], kUpdateFixedBits);
  return mean;
}

std::vector<double> SumAccumulator::mean_from_fast(std::span<const double> reduced) {
  FEDHPC_CHECK(!reduced.empty(), "fast reduction buffer lacks its weight slot");
  const double total = reduced.back();
  std::vector<double> mean(reduced.size() - 1, 0.0);
  if (total > 0.0)
    for (std::size_t i = 0; i + 1 < reduced.size(); ++i) mean[i] = reduced[i] / total;
  return mean;
}

}  // namespace fedhpc
