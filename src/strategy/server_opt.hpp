#pragma once
#include <span>
#include <vector>

namespace fedhpc {

// FedAvg's server step with a server learning rate (REPRODUCTION.md section 7):
// x <- x + server_lr * mean_delta, computed in double and rounded once to
// float. With server_lr = 1 this is x <- sum_k p_k y_k.
void apply_server_sgd(std::span<float> global, std::span<const double> mean_delta, double server_lr);

}  // namespace fedhpc
