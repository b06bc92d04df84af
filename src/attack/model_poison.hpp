#pragma once
// Model poisoning: what an adversary submits in place of its honest update
// (`update` is the honest update on entry, the poisoned one on return).
// Pure math on flat vectors, unit-tested on hand-made updates.
#include <cstddef>
#include <span>

namespace fedhpc {

class Rng;

// Sign flipping (Li et al., AAAI 2019, "RSA: Byzantine-robust stochastic
// aggregation methods"): -scale x the honest update.
void sign_flip(std::span<float> update, double scale);

// Boosting (Bhagoji et al., ICML 2019, "Analyzing federated learning through
// an adversarial lens"): scale x the honest update.
void boost(std::span<float> update, double scale);

// Gaussian noise (Blanchard et al., NeurIPS 2017): N(0, sigma^2) in every
// coordinate, in place of the update. Draws come from `rng`, seeded by
// (seed, attack stream, round, client).
void gaussian_noise(std::span<float> update, double sigma, Rng& rng);

// Same value (Li et al., AAAI 2019): `value` in every coordinate.
void same_value(std::span<float> update, double value);

// The honest updates' coordinate-wise mean and population standard deviation
// from their sums and sums of squares over n updates (n > 0).
void honest_moments(std::span<const double> sum, std::span<const double> sum_sq, double n, std::span<double> mean,
                    std::span<double> std_dev);

// A Little Is Enough (Baruch et al., NeurIPS 2019): mean - z x std of the
// round's honest updates, coordinate by coordinate.
void alie(std::span<const double> honest_mean, std::span<const double> honest_std, double z, std::span<float> update);

// ALIE's z for n clients of which m are adversaries (Baruch et al., section
// 3.2): s = floor(n/2 + 1) - m supporters are needed, and z is the standard
// normal quantile of (n - s) / n. s is kept in [1, n - 1] so z stays finite.
double alie_default_z(std::size_t n, std::size_t m);

// Inner-product manipulation (Xie, Koyejo and Gupta, UAI 2020, "Fall of
// Empires"): -epsilon x the mean of the round's honest updates.
void inner_product_manipulation(std::span<const double> honest_mean, double epsilon, std::span<float> update);

// The standard normal quantile Phi^-1(p), p in (0, 1), to double precision
// (bisection on erfc: slow, exact enough, and the same bits everywhere).
double normal_quantile(double p);

}  // namespace fedhpc
