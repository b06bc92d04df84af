#include "strategy/affine_distance.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace fedhpc {

std::vector<double> distances_from_combination(std::span<const double> sqdist, std::size_t rows,
                                               std::span<const double> w) {
  FEDHPC_CHECK(sqdist.size() == rows * rows && w.size() == rows, "{} distances and {} weights for {} points",
               sqdist.size(), w.size(), rows);
  std::vector<double> to_each(rows, 0.0);  // sum_j w_j D_jk
  for (std::size_t j = 0; j < rows; ++j)
    for (std::size_t k = 0; k < rows; ++k) to_each[k] += w[j] * sqdist[j * rows + k];
  double spread = 0.0;  // 1/2 sum_ij w_i w_j D_ij
  for (std::size_t i = 0; i < rows; ++i) spread += 0.5 * w[i] * to_each[i];
  std::vector<double> out(rows);
  for (std::size_t k = 0; k < rows; ++k) out[k] = std::sqrt(std::max(0.0, to_each[k] - spread));
  return out;
}

}  // namespace fedhpc
