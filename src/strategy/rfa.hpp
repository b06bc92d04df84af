#pragma once
// RFA, robust federated aggregation (Pillutla, Kakade and Harchaoui, IEEE
// TSP 2022): the aggregate is the geometric median of the updates, weighted
// by sample counts, found by the smoothed Weiszfeld algorithm,
//   z <- sum_k beta_k u_k / sum_k beta_k,   beta_k = alpha_k / max(nu, |z - u_k|),
// from z = the weighted mean, for a fixed number of iterations. A Selection
// rule: the iterations run on root on the exact pairwise distances
// (strategy/affine_distance.hpp), and the result is one weighted sum.
// Options: strategy.rfa_iterations (3), strategy.rfa_smoothing (nu, 1e-6).
#include <cstdint>
#include <span>
#include <vector>

namespace fedhpc {

// The weights of the smoothed Weiszfeld estimate after `iterations` steps,
// from the points' squared distances (k x k) and their weights alpha.
std::vector<double> weiszfeld_weights(std::span<const double> sqdist, std::span<const double> alpha, int iterations,
                                      double smoothing);

}  // namespace fedhpc
