#pragma once
// The coefficient each client's update gets in a mean-family aggregate:
// aggregate = sum_k coef_k * (y_k - x). Computed identically on every rank
// from replicated inputs, in cohort order, so the exact reduction sees the
// same terms for any rank count. Pure math, no LibTorch, no MPI.
#include <cstdint>
#include <span>
#include <vector>

namespace fedhpc {

// p_k = n_k / sum_j n_j (all zero when no client has a sample).
std::vector<double> sample_weights(std::span<const std::int64_t> samples);

// Sample weights over the clients with keep[k] != 0, zero elsewhere (Multi-Krum).
std::vector<double> sample_weights_of(std::span<const std::int64_t> samples, std::span<const std::uint8_t> keep);

// FedNova's effective number of local steps a_i = |a_i|_1 (Wang et al.,
// NeurIPS 2020, section 4 / appendix) for tau
// steps of SGD with learning rate lr, heavy-ball momentum rho and proximal
// coefficient mu:
//   plain SGD:     a = tau
//   momentum rho:  a = [tau - rho (1 - rho^tau) / (1 - rho)] / (1 - rho)
//   proximal mu:   a = [1 - (1 - lr mu)^tau] / (lr mu)
// With both momentum and mu, a is the response of the linear recurrence
// v <- rho v + g + mu (y - x), y <- y - lr v to a unit gradient at every step,
// which by linearity is the sum of the per-step coefficients.
double fednova_effective_steps(std::int64_t tau, double momentum, double lr, double mu);

// FedNova's coefficients: x <- x - tau_eff * sum_i p_i (x - y_i) / a_i, i.e.
// coef_i = p_i * tau_eff / a_i with tau_eff = sum_j p_j a_j. tau_eff is formed
// as (sum_j n_j a_j) / n so that equal integer a_i give coef_i == p_i exactly
// (FedNova with equal local steps and no momentum is FedAvg, to the bit).
std::vector<double> fednova_coefficients(std::span<const std::int64_t> samples, std::span<const double> steps);

// q-FFL's coefficients (Li, Sanjabi, Beirami, Smith, ICLR 2020, Algorithm 2,
// q-FedAvg), with L = 1/lr the Lipschitz estimate of the reference code:
//   dw_k = L (x - y_k),  Delta_k = F_k^q dw_k,
//   h_k = q F_k^(q-1) |dw_k|^2 + L F_k^q,  x <- x - sum_k Delta_k / sum_k h_k,
// so coef_k = F_k^q / sum_j (q F_j^(q-1) L |y_j - x|^2 + F_j^q) after dividing
// through by L. F_k is client k's training loss at x (plus 1e-10, as in the
// reference code); q = 0 gives coef_k = 1/K, the plain mean.
std::vector<double> qffl_coefficients(std::span<const double> initial_loss, std::span<const double> delta_sqnorm,
                                      double q, double lr);

}  // namespace fedhpc
