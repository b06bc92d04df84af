#pragma once
// FedDyn (Acar, Zhao, Matas, Mattina, Whatmough and Saligrama, ICLR 2021,
// "Federated Learning Based on Dynamic Regularization", Algorithm 1).
// Client k, from the server model x, minimises
//   L_k(y) - <g_k, y> + alpha/2 |y - x|^2
// where g_k, its gradient memory (zero at first), is then updated to
//   g_k <- g_k - alpha (y_k - x).
// The server keeps h (zero at first) over the m clients of the federation:
//   h <- h - alpha (1/m) sum_{k in P} (y_k - x)
//   x <- (1/|P|) sum_{k in P} y_k - h / alpha.
// The plain (unweighted) mean over the round's participants P, as published.
// Option: strategy.alpha (0.01).
#include <cstdint>
#include <span>

namespace fedhpc {

// g_k <- g_k - alpha delta_k, each coordinate in double, rounded once.
void feddyn_client_update(std::span<float> memory, std::span<const float> delta, double alpha);

// With mean = (1/|P|) sum_k delta_k: h <- h - alpha (|P| / m) mean, then
// x <- x + mean - h / alpha, each coordinate in double, rounded once.
void feddyn_server_step(std::span<float> global, std::span<double> h, std::span<const double> mean, double alpha,
                        std::size_t participants, std::size_t num_clients);

}  // namespace fedhpc
