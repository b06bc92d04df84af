#pragma once
// A strategy's aggregation: a shape, which fixes how the work is laid out
// over ranks (fl/aggregation.cpp), and the function that gives the shape its
// meaning. Every function here is pure math on replicated or gathered
// values, so each one is unit-tested without MPI or LibTorch.
//   Sum          coefficients known before training from the cohort's facts;
//                each update is streamed into one exact reduce.
//   DeferredSum  coefficients from per-member scalars (the loss at x and
//                |delta|^2) gathered after training; then the same reduce.
//   Coordinate   updates transposed to coordinate slices; `combine` turns a
//                slice's K rows into one value per coordinate.
//   Selection    updates transposed; the K x K squared distances between
//                them (plus a center row when the server step keeps one)
//                reduced exactly; `choose` turns them into one coefficient
//                per row; then the same reduce. Any weighting that depends
//                on the updates only through their distances fits here
//                (Krum, geometric medians, centered clipping).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/schema.hpp"
#include "core/types.hpp"

namespace fedhpc {

enum class AggregationShape { Sum, DeferredSum, Coordinate, Selection };

// The replicated facts about a round's cohort (identical on every rank).
struct CohortView {
  std::span<const ClientId> clients;
  std::span<const std::int64_t> samples;
  std::span<const std::int64_t> steps;  // planned optimizer steps per client
  std::span<const int> owners;          // rank that trains each member
  std::span<const std::uint8_t> adversarial;  // 1 for a member attacking this round (empty: nobody)
  std::span<const ClientId> keyed;  // secure aggregation: the cohort that shared keys (sorted), a superset of clients
  Round round{0};
};

// Why a rule cannot aggregate k clients, naming the option to change.
struct Infeasible {
  std::string key;
  std::string message;
};

struct AggregationRule {
  std::string_view name;
  AggregationShape shape = AggregationShape::Sum;
  // Sum: one coefficient per member, normalized (they are the aggregate's weights).
  std::vector<double> (*coefficients)(const CohortView& cohort, const RunConfig& config) = nullptr;
  // DeferredSum: from each member's loss at x and |delta|^2, on root.
  std::vector<double> (*deferred)(std::span<const double> loss, std::span<const double> sqnorm,
                                  const RunConfig& config) = nullptr;
  bool needs_initial_loss = false;
  // Coordinate: rows is K x width (member order); out gets width values.
  void (*combine)(std::span<const float> rows, std::size_t k, const StrategyConfig& options,
                  std::span<double> out) = nullptr;
  // Coordinate: the values per coordinate that enter the result (recorded).
  std::uint32_t (*kept)(std::size_t k, const StrategyConfig& options) = nullptr;
  // Selection: sqdist is rows x rows (row-major); the first k rows are the
  // members, a last row (rows == k + 1) the server step's center. Returns one
  // coefficient per row, on root.
  std::vector<double> (*choose)(std::span<const double> sqdist, std::size_t rows, std::size_t k,
                                std::span<const std::int64_t> samples, const StrategyConfig& options) = nullptr;
  bool uses_center = false;
  // Whether the rule is defined for k > 0 aggregated clients; validation asks
  // it about clients_per_round, the round about the survivors.
  std::optional<Infeasible> (*check)(std::size_t k, const StrategyConfig& options) = nullptr;
};

// The rule's verdict for k members (k == 0 never aggregates).
std::optional<Infeasible> check_feasible(const AggregationRule& rule, std::size_t k, const StrategyConfig& options);

}  // namespace fedhpc
