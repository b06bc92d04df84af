#pragma once
// Fixed-point integers make sums exact: integer addition is associative, so a
// reduction gives the same bits whatever the rank count or reduction tree.
// Used by runtime.reduce=exact and by the evaluation loss.
#include <cmath>
#include <cstdint>

#include "core/error.hpp"

namespace fedhpc {

// 2^-40 ~ 9e-13 resolution, far below float32's 6e-8 relative precision; the
// range of a single term is +-2^22 (4.2e6) before the 2^62 overflow guard.
constexpr int kUpdateFixedBits = 40;
// Evaluation loss sums per batch: 2^-32 resolution, range +-2^30.
constexpr int kLossFixedBits = 32;

// Terms are kept below 2^62 so that a sum of terms whose real values add up
// to at most the same bound cannot overflow int64 (see SumAccumulator).
inline bool fits_fixed(double x, int bits) { return std::isfinite(x) && std::fabs(std::ldexp(x, bits)) < 0x1p62; }

// Round to nearest, ties to even (the default rounding mode): std::llrint is
// one instruction (cvtsd2si) with -fno-math-errno, where std::llround is a
// library call that dominated FedAvg's aggregation (20 ns per coordinate).
// Multiplying by 2^bits is exact, so this is round(x * 2^bits) as ldexp would give.
inline double fixed_scale(int bits) { return std::ldexp(1.0, bits); }
inline std::int64_t to_fixed(double x, int bits) { return std::llrint(x * fixed_scale(bits)); }
inline double from_fixed(std::int64_t q, int bits) { return static_cast<double>(q) * fixed_scale(-bits); }

}  // namespace fedhpc
