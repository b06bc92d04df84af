#pragma once
// A round's aggregation across ranks, for every shape of
// strategy/aggregation_rule.hpp (the rule supplies the math):
//   Sum          coefficients known before training; each trained client is
//                streamed into the accumulator, then one reduce.
//   DeferredSum  coefficients need every client's result (q-FFL): local
//                updates are kept, the per-client scalars are gathered and the
//                coefficients broadcast, then the same streaming and reduce.
//   Selection    updates kept, transposed to coordinate slices, partial
//                pairwise distances reduced, root chooses coefficients, then
//                a Sum.
//   Coordinate   updates kept, transposed, combined per coordinate slice,
//                slices gathered on root.
// No rank ever holds more than its own clients' updates plus a 1/P slice of
// the cohort's; root never holds K full models.
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "comm/comm.hpp"
#include "config/schema.hpp"
#include "core/types.hpp"
#include "privacy/secure_aggregation.hpp"
#include "strategy/catalog.hpp"
#include "strategy/sum_accumulator.hpp"

namespace fedhpc {

struct AggregateResult {
  std::vector<double> model_delta;    // root: the aggregate Delta over the model
  std::vector<double> upload_sum;     // root: (1/D) sum_i upload_i of the client rule
  std::vector<double> weights;        // every rank: each member's coefficient (NaN for coordinate rules)
  std::uint32_t aggregated = 0;       // members with a non-zero coefficient, or values kept per coordinate
  double adversaries_aggregated = 0;  // attacking members with a non-zero coefficient; coordinate rules: their
                                      // values kept, mean over coordinates
  std::uint64_t bytes = 0;            // bytes this rank sent into the aggregation collectives
};

// DP-FedAvg's estimator: every member weighs 1 / K, K the expected cohort
// size, whoever survives (the fixed denominator its sensitivity needs).
std::vector<double> fixed_denominator_weights(std::size_t members, int expected_cohort);

class CohortAggregator {
 public:
  CohortAggregator(const StrategyInfo& strategy, const RunConfig& config, std::size_t dim);

  void begin_round(const CohortView& cohort);
  // After this rank trained cohort member k (any order: an attacker's update
  // may come after the others').
  // `upload` is what the client rule sends along (empty when it sends
  // nothing); initial_loss is the client's loss at x, for rules that ask.
  void add(std::size_t k, std::span<const float> delta, std::span<const float> upload, double initial_loss);
  // The collective part; every rank calls it. `center` is root's server-step
  // center (empty elsewhere), for rules that measure updates against it.
  AggregateResult finish(Comm& comm, std::span<const double> center = {});

  // [begin, end) of the coordinate slice rank j holds after a transpose:
  // split evenly, starting on kDistanceBlock boundaries.
  static std::pair<std::size_t, std::size_t> slice(std::size_t dim, int rank, int num_ranks);

 private:
  // `upload`: the client rule's upload size and divisor.
  CohortAggregator(const StrategyInfo& strategy, const RunConfig& config, std::size_t dim,
                   std::pair<std::size_t, double> upload);

  const AggregationRule& rule_;
  const RunConfig& config_;
  std::size_t dim_;
  std::size_t upload_dim_;  // a second segment for the client rule's upload
  double upload_divisor_;
  SumAccumulator acc_;
  std::optional<SecureAggregation> secure_;  // privacy.secure_aggregation: masks in acc_'s ring
  CohortView cohort_;
  std::vector<double> coef_;  // Sum coefficients per member (known before training)
  double coef_l1_ = 0.0;
  // Kept updates (non-Sum shapes): rows in member order, with their scalars.
  std::vector<float> rows_;
  std::vector<std::size_t> row_member_;
  std::vector<double> row_loss_, row_sqnorm_;

  void accumulate_kept(std::span<const double> coef, double coef_l1);
  std::vector<double> reduce_sum(Comm& comm, AggregateResult& out);
  // The Sum reduce with these coefficients, split into the result's segments on root.
  void reduce_into(Comm& comm, std::vector<double> coef, AggregateResult& out);
  // Root's coefficients for the kept updates: broadcast, accumulate, reduce_into.
  void sum_kept(Comm& comm, std::vector<double> coef, AggregateResult& out);
  // Cohort rows restricted to this rank's slice: K x (end - begin), member order.
  std::vector<float> transpose(Comm& comm, std::size_t begin, std::size_t end, AggregateResult& out);
  void finish_deferred(Comm& comm, AggregateResult& out);
  void finish_selection(Comm& comm, std::span<const double> center, AggregateResult& out);
  void finish_coordinate(Comm& comm, AggregateResult& out);
};

}  // namespace fedhpc
