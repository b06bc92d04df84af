#pragma once
// Turns an aggregator's local buffer into the cohort's result on root: the
// single MPI step of a round.
#include <span>

#include "comm/comm.hpp"

namespace fedhpc {

// Rank 0's float vector to every rank.
void broadcast_model(Comm& comm, std::span<float> model);

}  // namespace fedhpc
