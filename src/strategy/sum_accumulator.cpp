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
    fast_.assign(dim_, 0.0);
}

void SumAccumulator::reset() {
  std::fill(exact_.begin(), exact_.end(), 0);
  std::fill(fast_.begin(), fast_.end(), 0.0);
}

std::size_t SumAccumulator::reduce_bytes() const {
  return mode_ == ReduceMode::Exact ? exact_.size() * sizeof(std::int64_t) : fast_.size() * sizeof(double);
}

void SumAccumulator::add(std::span<const float> values, double coefficient, double coefficient_l1,
                         std::uint32_t client, std::size_t offset) {
  FEDHPC_CHECK(offset + values.size() <= dim_, "segment [{}, {}) outside a buffer of {}", offset,
               offset + values.size(), dim_);
  if (coefficient == 0.0) return;
  auto diverged = [&](std::size_t i, const char* why) {
    return DivergedError(fmt::format("client {} returned an update of {} at coordinate {}, {}: training diverged; lower "
                             "train.lr{}",
                             client, values[i], i, why, mode_ == ReduceMode::Exact ? ", or use runtime.reduce=fast" : ""));
  };
  if (mode_ == ReduceMode::Fast) {
    double* out = fast_.data() + offset;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!std::isfinite(values[i])) throw diverged(i, "not a finite number");
      out[i] += coefficient * static_cast<double>(values[i]);
    }
    return;
  }
  // |value| * L1 < 2^22 bounds every partial sum of the segment by 2^22, i.e.
  // 2^62 in fixed point.
  const double limit = std::ldexp(1.0, 62 - kUpdateFixedBits) / std::max(1.0, coefficient_l1);
  std::int64_t* out = exact_.data() + offset;
  // coefficient * 2^40 is exact, so scaled * v rounds like (coefficient * v) * 2^40.
  const double scaled = coefficient * fixed_scale(kUpdateFixedBits);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = static_cast<double>(values[i]);
    if (!(std::fabs(v) < limit)) throw diverged(i, fmt::format("outside the exact reduction's range (+-{:g})", limit).c_str());
    // Added modulo 2^64: equal to a plain sum within range, and defined when
    // secure aggregation's masks make the buffer wrap around.
    out[i] = static_cast<std::int64_t>(static_cast<std::uint64_t>(out[i]) +
                                       static_cast<std::uint64_t>(std::llrint(scaled * v)));
  }
}

std::vector<double> SumAccumulator::from_exact(std::span<const std::int64_t> reduced) {
  std::vector<double> sum(reduced.size());
  const double scale = fixed_scale(-kUpdateFixedBits);  // exact: the same as from_fixed per element
  for (std::size_t i = 0; i < reduced.size(); ++i) sum[i] = static_cast<double>(reduced[i]) * scale;
  return sum;
}

}  // namespace fedhpc
