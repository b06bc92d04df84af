#pragma once
// Turns an aggregator's local buffer into the cohort's result on root: the
// single MPI step of a round (DESIGN.md B.3, B.6).
#include <vector>

#include "comm/comm.hpp"
#include "strategy/sum_accumulator.hpp"

namespace fedhpc {

// Reduces the Sum-shaped buffer to rank 0 and returns the weighted mean delta
// there (empty on other ranks).
std::vector<double> reduce_weighted_mean(Comm& comm, const SumAccumulator& acc);

// Rank 0's float vector to every rank.
void broadcast_model(Comm& comm, std::vector<float>& model);

}  // namespace fedhpc
