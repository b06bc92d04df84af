#pragma once
// Renyi differential privacy of the Poisson-subsampled Gaussian mechanism
// (Mironov, Talwar and Zhang 2019, "Renyi Differential Privacy of the Sampled
// Gaussian Mechanism"), composed over steps, and its conversion to
// (epsilon, delta)-DP (Balle et al. 2020; Canonne, Kamath and Steinke 2020).
// The add/remove-one neighbouring relation, as DP-FedAvg's user-level
// guarantee uses it. Pure functions of doubles, pinned by unit tests against
// Google's dp_accounting.
#include <cstdint>
#include <span>
#include <vector>

namespace fedhpc {

// The default order grid: 1.1 ... 10.9 by 0.1, 11 ... 63, 128, 256, 512, 1024.
std::vector<double> default_rdp_orders();

// RDP at `order` (> 1; 1 too when q = 1) of one step of the Gaussian mechanism with noise
// multiplier `sigma` applied to a Poisson sample of rate `q`. Exact for
// q = 1 (order / (2 sigma^2)); 0 for q = 0; infinite for sigma = 0 or an
// infinite order.
double rdp_subsampled_gaussian(double q, double sigma, double order);

// The same composed over `steps` steps (RDP adds up), for every order.
std::vector<double> rdp_composed(double q, double sigma, std::int64_t steps, std::span<const double> orders);

struct EpsilonAt {
  double epsilon;  // the smallest over the orders (0 if every bound is below 0)
  double order;    // the order that gave it
};

// (epsilon, delta)-DP from RDP at each order: for order a > 1.01 and RDP r,
// epsilon = r + log(1 - 1/a) - log(delta a) / (a - 1); 0 where
// delta^2 > 1 - exp(-r) (the KL bound); the smallest over the orders.
EpsilonAt epsilon_from_rdp(std::span<const double> orders, std::span<const double> rdp, double delta);

// The guarantee of a run after each round: one step's RDP computed once over
// the default orders, scaled by the number of steps.
class PrivacyLedger {
 public:
  PrivacyLedger(double q, double sigma);
  EpsilonAt after(std::int64_t steps, double delta) const;

 private:
  std::vector<double> orders_, step_rdp_;
};

}  // namespace fedhpc
