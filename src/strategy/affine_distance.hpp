#pragma once
// Distances from an affine combination of points, knowing only the points'
// pairwise squared distances. For z = sum_j w_j p_j with sum_j w_j = 1:
//   |z - p_k|^2 = sum_j w_j D_jk - 1/2 sum_ij w_i w_j D_ij,   D_ij = |p_i - p_j|^2.
// Rules that reweight updates by their distance to a running estimate (a
// geometric median, a clipped center) therefore run on root from the K x K
// matrix the Selection shape reduces exactly, never touching the vectors:
// the estimate is carried as its weights w.
#include <span>
#include <vector>

namespace fedhpc {

// |z - p_k| for every k (rows points, D row-major rows x rows); w sums to 1.
// Rounding can make a tiny squared distance negative: it is taken as 0.
std::vector<double> distances_from_combination(std::span<const double> sqdist, std::size_t rows,
                                               std::span<const double> w);

}  // namespace fedhpc
