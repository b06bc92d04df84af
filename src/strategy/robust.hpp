#pragma once
// Byzantine-robust aggregation rules as pure math on a coordinate slice of
// the cohort's updates: after the transpose, a rank holds
// `rows` = K x width floats, row k being client k's slice (cohort order).
// Each rule's result for a coordinate depends only on that coordinate's K
// values, so any slicing over any rank count gives the same bits.
#include <cstdint>
#include <span>
#include <vector>

namespace fedhpc {

// Coordinate-wise median (Yin et al., ICML 2018, "Byzantine-robust distributed
// learning", Definition 1): the middle value, or the mean of the two middle
// values for even K. Unweighted, as published.
void coordinate_median(std::span<const float> rows, std::size_t num_rows, std::span<double> out);

// Coordinate-wise beta-trimmed mean (Yin et al. 2018, Definition 2): drop the
// trim_count largest and trim_count smallest values, average the rest.
void coordinate_trimmed_mean(std::span<const float> rows, std::size_t num_rows, std::size_t trim_count,
                             std::span<double> out);

// For a coordinate-wise rule that keeps the middle `kept` of each
// coordinate's K sorted values: how many of the flagged rows' values
// (adversaries') are kept, summed over the slice's coordinates. Equal values
// are ordered by row (cohort order).
std::uint64_t flagged_values_kept(std::span<const float> rows, std::size_t num_rows,
                                  std::span<const std::uint8_t> flagged, std::size_t kept);

// floor(fraction * K): the values cut from each end.
std::size_t trimmed_count(std::size_t num_rows, double fraction);

// Krum's pairwise distances |u_i - u_j|^2 over this slice, added into `sqdist`
// (K x K, row-major) as fixed-point integers (kDistanceFixedBits). Each block
// of kDistanceBlock coordinates is summed in double, in order, and rounded
// once; slices start on block boundaries, so the integer totals reduced over
// ranks are identical for any rank count.
constexpr int kDistanceFixedBits = 24;
constexpr std::size_t kDistanceBlock = 1024;
void add_pairwise_sqdist(std::span<const float> rows, std::size_t num_rows, std::size_t first_coordinate,
                         std::span<std::int64_t> sqdist);

// Krum scores (Blanchard et al., NeurIPS 2017, section 4): for each i, the sum
// of its K - f - 2 smallest squared distances to the others.
std::vector<double> krum_scores(std::span<const double> sqdist, std::size_t num_rows, int byzantine_f);

// The m clients with the lowest scores (ties: the earlier in cohort order).
std::vector<std::uint8_t> krum_select(std::span<const double> scores, std::size_t m);

}  // namespace fedhpc
