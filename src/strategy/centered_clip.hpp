#pragma once
// Centered clipping (Karimireddy, He and Jaggi, ICML 2021, "Learning from
// History for Byzantine Robust Optimization"): starting from the previous
// round's aggregate v, L times
//   v <- v + (1/K) sum_k (u_k - v) min(1, tau / |u_k - v|),
// so an update far from the history pulls at most tau. Unweighted, as
// published. A Selection rule whose center is the server step's record of
// the last aggregate (zero before the first): v stays an affine combination
// of the center and the updates, so the iterations run on root on exact
// pairwise distances (strategy/affine_distance.hpp).
// Options: strategy.clip_radius (tau, 1), strategy.clip_iterations (L, 1).
#include <span>
#include <vector>

namespace fedhpc {

// The weights of v over k updates and the center (the last of k + 1 rows)
// after `iterations` clipping steps from v = center.
std::vector<double> centered_clip_weights(std::span<const double> sqdist, std::size_t k, double radius, int iterations);

}  // namespace fedhpc
