#include "privacy/rdp_accountant.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace fedhpc {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// log(exp(a) + exp(b)) without overflow.
double log_add(double a, double b) {
  if (a == -kInf) return b;
  if (b == -kInf) return a;
  const double hi = std::max(a, b), lo = std::min(a, b);
  return hi + std::log1p(std::exp(lo - hi));
}

// log(exp(a) - exp(b)) for a >= b.
double log_sub(double a, double b) {
  if (b == -kInf) return a;
  FEDHPC_CHECK(a >= b, "log_sub of a larger value ({} < {})", a, b);
  if (a == b) return -kInf;
  return a + std::log(-std::expm1(b - a));
}

// log(erfc(x)), also where erfc(x) underflows (x large): its asymptotic series.
double log_erfc(double x) {
  const double r = std::erfc(x);
  if (r > 0.0) return std::log(r);
  const double x2 = x * x;
  return -x2 - std::log(x) - 0.5 * std::log(M_PI) + std::log1p(-0.5 / x2 + 0.75 / (x2 * x2) - 1.875 / (x2 * x2 * x2));
}

// log A_a for an integer order: the binomial expansion of
// E_{z ~ mu0} [(mu(z) / mu0(z))^a] over the mixture mu = (1-q) mu0 + q mu1
// (Mironov et al. 2019, section 3.3).
double log_a_integer(double q, double sigma, std::int64_t a) {
  double log_a = -kInf;
  for (std::int64_t k = 0; k <= a; ++k) {
    const double log_binom = std::lgamma(static_cast<double>(a) + 1) - std::lgamma(static_cast<double>(k) + 1) -
                             std::lgamma(static_cast<double>(a - k) + 1);
    const double kd = static_cast<double>(k);
    const double term = log_binom + kd * std::log(q) + static_cast<double>(a - k) * std::log1p(-q) +
                        (kd * kd - kd) / (2.0 * sigma * sigma);
    log_a = log_add(log_a, term);
  }
  return log_a;
}

// log A_a for a fractional order: the two infinite series on either side of
// z0 = sigma^2 log(1/q - 1) + 1/2 (Mironov et al. 2019, section 3.3), summed
// until their terms fall below e^-30 of the total.
double log_a_fractional(double q, double sigma, double a) {
  double log_a0 = -kInf, log_a1 = -kInf;
  const double z0 = sigma * sigma * std::log(1.0 / q - 1.0) + 0.5;
  const double s2 = std::sqrt(2.0) * sigma;
  // log |binomial(a, i)| and its sign, carried from one term to the next:
  // binomial(a, i + 1) = binomial(a, i) (a - i) / (i + 1).
  double log_coef = 0.0;
  int sign = 1;
  for (std::int64_t i = 0;; ++i) {
    if (i > 0) {
      const double factor = (a - static_cast<double>(i - 1)) / static_cast<double>(i);
      if (factor == 0.0) sign = 0;
      if (factor < 0.0) sign = -sign;
      log_coef += std::log(std::fabs(factor));
    }
    const double id = static_cast<double>(i), j = a - id;
    const double log_t0 = log_coef + id * std::log(q) + j * std::log1p(-q);
    const double log_t1 = log_coef + j * std::log(q) + id * std::log1p(-q);
    const double log_e0 = std::log(0.5) + log_erfc((id - z0) / s2);
    const double log_e1 = std::log(0.5) + log_erfc((z0 - j) / s2);
    const double log_s0 = log_t0 + (id * id - id) / (2.0 * sigma * sigma) + log_e0;
    const double log_s1 = log_t1 + (j * j - j) / (2.0 * sigma * sigma) + log_e1;
    if (sign > 0) {
      log_a0 = log_add(log_a0, log_s0);
      log_a1 = log_add(log_a1, log_s1);
    } else if (sign < 0) {
      log_a0 = log_sub(log_a0, log_s0);
      log_a1 = log_sub(log_a1, log_s1);
    }
    if (std::max(log_s0, log_s1) < -30.0 || i > 100000) break;
  }
  return log_add(log_a0, log_a1);
}

}  // namespace

std::vector<double> default_rdp_orders() {
  std::vector<double> orders;
  for (int x = 11; x < 110; ++x) orders.push_back(x / 10.0);
  for (int x = 11; x < 64; ++x) orders.push_back(x);
  for (double x : {128.0, 256.0, 512.0, 1024.0}) orders.push_back(x);
  return orders;
}

double rdp_subsampled_gaussian(double q, double sigma, double order) {
  FEDHPC_CHECK(q >= 0.0 && q <= 1.0 && sigma >= 0.0 && order >= 1.0, "rdp of q {}, sigma {}, order {}", q, sigma,
               order);
  if (q == 0.0) return 0.0;
  if (sigma == 0.0 || std::isinf(order)) return kInf;
  if (q == 1.0) return order / (2.0 * sigma * sigma);  // order 1 too: the KL divergence
  FEDHPC_CHECK(order > 1.0, "the subsampled Gaussian's RDP needs an order above 1, found {}", order);
  const double log_a = order == std::floor(order) ? log_a_integer(q, sigma, static_cast<std::int64_t>(order))
                                                  : log_a_fractional(q, sigma, order);
  return log_a / (order - 1.0);
}

std::vector<double> rdp_composed(double q, double sigma, std::int64_t steps, std::span<const double> orders) {
  std::vector<double> rdp;
  for (double a : orders) rdp.push_back(static_cast<double>(steps) * rdp_subsampled_gaussian(q, sigma, a));
  return rdp;
}

EpsilonAt epsilon_from_rdp(std::span<const double> orders, std::span<const double> rdp, double delta) {
  FEDHPC_CHECK(orders.size() == rdp.size() && delta > 0.0 && delta < 1.0, "{} orders, {} RDP values, delta {}",
               orders.size(), rdp.size(), delta);
  EpsilonAt best{kInf, orders.empty() ? 0.0 : orders[0]};
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const double a = orders[i], r = rdp[i];
    FEDHPC_CHECK(a >= 1.0 && r >= 0.0, "RDP {} at order {}", r, a);
    double eps = kInf;
    if (delta * delta + std::expm1(-r) > 0.0) {
      eps = 0.0;  // small divergence: delta <= sqrt(1 - exp(-KL)) already holds at epsilon 0
    } else if (a > 1.01) {  // the bound is unstable as a -> 1 (and useless there)
      eps = r + std::log1p(-1.0 / a) - std::log(delta * a) / (a - 1.0);
    }
    if (eps < best.epsilon) best = {eps, a};
  }
  best.epsilon = std::max(0.0, best.epsilon);
  return best;
}

PrivacyLedger::PrivacyLedger(double q, double sigma)
    : orders_(default_rdp_orders()), step_rdp_(rdp_composed(q, sigma, 1, orders_)) {}

EpsilonAt PrivacyLedger::after(std::int64_t steps, double delta) const {
  std::vector<double> rdp(step_rdp_.size());
  for (std::size_t i = 0; i < rdp.size(); ++i) rdp[i] = step_rdp_[i] * static_cast<double>(steps);
  return epsilon_from_rdp(orders_, rdp, delta);
}

}  // namespace fedhpc
