// The RDP accountant against Google's dp_accounting (its
// rdp_privacy_accountant_test.py and compute_dp_sgd_privacy_lib_test.py) and
// against closed forms.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "privacy/rdp_accountant.hpp"

using namespace fedhpc;

TEST(RdpAccountant, PoissonSampledGaussianMatchesDpAccounting) {
  // q = 0.01, sigma = 2.5, 50 steps: dp_accounting's values, rtol 1e-4.
  const std::vector<double> orders{1.5, 2.5, 5, 50, 100};
  const std::vector<double> expected{6.5007e-04, 1.0854e-03, 2.1808e-03, 2.3846e-02, 1.6742e+02};
  const auto rdp = rdp_composed(0.01, 2.5, 50, orders);
  for (std::size_t i = 0; i < orders.size(); ++i)
    EXPECT_NEAR(rdp[i], expected[i], 1e-4 * expected[i]) << "order " << orders[i];
  EXPECT_TRUE(std::isinf(rdp_subsampled_gaussian(0.01, 2.5, INFINITY)));
}

TEST(RdpAccountant, TheUnsampledGaussianIsAlphaOverTwoSigmaSquared) {
  const double alpha = 3.14159, sigma = 2.71828;
  EXPECT_EQ(rdp_subsampled_gaussian(1.0, sigma, alpha), alpha / (2 * sigma * sigma));
  EXPECT_EQ(rdp_subsampled_gaussian(0.0, sigma, alpha), 0.0);
}

TEST(RdpAccountant, PureDpConvertsAsByHand) {
  std::vector<double> orders, rdp;
  for (int a = 2; a <= 32; ++a) orders.push_back(a), rdp.push_back(1.1);
  const EpsilonAt e = epsilon_from_rdp(orders, rdp, 1e-5);
  EXPECT_NEAR(e.epsilon, 1.32783806176, 1e-10);
  EXPECT_EQ(e.order, 32);
}

TEST(RdpAccountant, TheGaussianWithSigma4Point53IsOneOneMillionthDp) {
  std::vector<double> orders;
  for (int i = 1000; i < 100000; ++i) orders.push_back(0.001 * i);
  const auto rdp = rdp_composed(1.0, 4.530877117, 1, orders);
  EXPECT_NEAR(epsilon_from_rdp(orders, rdp, 1e-6).epsilon, 1.0, 1e-7);
}

// DP-SGD examples of compute_dp_sgd_privacy: n examples, batches of b,
// q = b / n, ceil(epochs n / b) steps.
TEST(RdpAccountant, PublishedDpSgdSettings) {
  std::vector<double> orders{1.25, 1.5, 1.75, 2., 2.25, 2.5, 3., 3.5, 4., 4.5};
  for (int a = 5; a < 64; ++a) orders.push_back(a);
  for (double a : {128.0, 256.0, 512.0}) orders.push_back(a);
  const EpsilonAt mnist = epsilon_from_rdp(orders, rdp_composed(150.0 / 60000, 1.3, 6000, orders), 1e-5);
  EXPECT_NEAR(mnist.epsilon, 0.7242234026109595, 1e-9);
  EXPECT_EQ(mnist.order, 19.0);
  const EpsilonAt large = epsilon_from_rdp(orders, rdp_composed(100.0 / 100000, 1.0, 30000, orders), 1e-7);
  EXPECT_NEAR(large.epsilon, 1.4154988495444845, 1e-9);
  EXPECT_EQ(large.order, 13.0);
}

TEST(RdpAccountant, TheDefaultOrderGrid) {
  const auto orders = default_rdp_orders();
  EXPECT_EQ(orders.front(), 1.1);
  EXPECT_EQ(orders[98], 10.9);
  EXPECT_EQ(orders[99], 11.0);
  EXPECT_EQ(orders.back(), 1024.0);
  EXPECT_EQ(orders.size(), 99u + 53u + 4u);
}
