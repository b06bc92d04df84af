#include "fl/aggregation.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "comm/agree.hpp"
#include "core/error.hpp"
#include "core/fixed_point.hpp"
#include "strategy/coefficients.hpp"
#include "strategy/robust.hpp"

namespace fedhpc {

namespace {
double l1(std::span<const double> v) {
  double s = 0.0;
  for (double x : v) s += std::fabs(x);
  return s;
}
}  // namespace

CohortAggregator::CohortAggregator(const StrategyInfo& strategy, const RunConfig& config, std::size_t dim)
    : strategy_(strategy),
      config_(config),
      shape_(shape_of(strategy.aggregator)),
      dim_(dim),
      control_(strategy.client == ClientRule::Scaffold),
      acc_(control_ ? 2 * dim : dim, config.runtime.reduce) {}

std::pair<std::size_t, std::size_t> CohortAggregator::slice(std::size_t dim, int rank, int num_ranks) {
  auto bound = [&](int j) -> std::size_t {
    if (j >= num_ranks) return dim;
    const std::size_t even = dim * static_cast<std::size_t>(j) / static_cast<std::size_t>(num_ranks);
    return std::min(dim, even / kDistanceBlock * kDistanceBlock);
  };
  return {bound(rank), bound(rank + 1)};
}

void CohortAggregator::begin_round(const CohortView& cohort) {
  cohort_ = cohort;
  acc_.reset();
  rows_.clear();
  row_member_.clear();
  row_loss_.clear();
  row_sqnorm_.clear();
  coef_.clear();
  if (shape_ != AggregationShape::Sum) return;
  if (strategy_.aggregator == AggregatorKind::NovaMean) {
    std::vector<double> a(cohort.steps.size());
    for (std::size_t i = 0; i < a.size(); ++i)
      a[i] = fednova_effective_steps(cohort.steps[i], config_.train.momentum, config_.train.lr, config_.strategy.mu);
    coef_ = fednova_coefficients(cohort.samples, a);
  } else {
    coef_ = sample_weights(cohort.samples);
  }
  coef_l1_ = l1(coef_);
}

void CohortAggregator::add(std::size_t k, std::span<const float> delta, std::span<const float> control_delta,
                           double initial_loss) {
  const auto client = to_int(cohort_.clients[k]);
  if (control_) {
    // SCAFFOLD's server: c <- c + (1/N) sum_{i in S} delta_c_i (Alg. 1 line 17).
    const double n = static_cast<double>(config_.data.num_clients);
    acc_.add(control_delta, 1.0 / n, static_cast<double>(cohort_.clients.size()) / n, client, dim_);
  }
  if (shape_ == AggregationShape::Sum) {
    acc_.add(delta, coef_[k], coef_l1_, client);
    return;
  }
  FEDHPC_CHECK(row_member_.empty() || row_member_.back() < k, "cohort members added out of order");
  rows_.insert(rows_.end(), delta.begin(), delta.end());
  row_member_.push_back(k);
  double sq = 0.0;
  for (float v : delta) sq += static_cast<double>(v) * static_cast<double>(v);
  row_sqnorm_.push_back(sq);
  row_loss_.push_back(initial_loss);
}

void CohortAggregator::accumulate_kept(std::span<const double> coef, double coef_l1) {
  for (std::size_t r = 0; r < row_member_.size(); ++r) {
    const std::size_t k = row_member_[r];
    acc_.add(std::span<const float>(rows_).subspan(r * dim_, dim_), coef[k], coef_l1, to_int(cohort_.clients[k]));
  }
}

std::vector<double> CohortAggregator::reduce_sum(Comm& comm, AggregateResult& out) {
  const bool root = comm.rank() == 0;
  out.bytes += acc_.reduce_bytes();
  if (acc_.mode() == ReduceMode::Exact) {
    std::vector<std::int64_t> total(root ? acc_.dim() : 0);
    comm.reduce_sum(acc_.exact_terms(), total, 0);
    return root ? SumAccumulator::from_exact(total) : std::vector<double>{};
  }
  std::vector<double> total(root ? acc_.dim() : 0);
  comm.reduce_sum(acc_.fast_terms(), total, 0);
  return total;
}

std::vector<float> CohortAggregator::transpose(Comm& comm, std::size_t begin, std::size_t end, AggregateResult& out) {
  const auto p = static_cast<std::size_t>(comm.size());
  const std::size_t mine = row_member_.size();
  std::vector<std::size_t> send_counts(p), recv_counts(p);
  std::vector<float> send;
  send.reserve(mine * dim_);
  for (std::size_t j = 0; j < p; ++j) {
    const auto [lo, hi] = slice(dim_, static_cast<int>(j), static_cast<int>(p));
    for (std::size_t r = 0; r < mine; ++r)
      send.insert(send.end(), rows_.begin() + static_cast<std::ptrdiff_t>(r * dim_ + lo),
                  rows_.begin() + static_cast<std::ptrdiff_t>(r * dim_ + hi));
    send_counts[j] = mine * (hi - lo);
  }
  const std::size_t width = end - begin;
  const std::size_t k_total = cohort_.owners.size();
  for (std::size_t k = 0; k < k_total; ++k) recv_counts[static_cast<std::size_t>(cohort_.owners[k])] += width;
  std::vector<float> packed(k_total * width);
  comm.alltoallv(send, send_counts, packed, recv_counts);
  out.bytes += send.size() * sizeof(float);

  // Rank s's block holds its members in increasing member order.
  std::vector<std::size_t> block_start(p + 1, 0);
  for (std::size_t s = 0; s < p; ++s) block_start[s + 1] = block_start[s] + recv_counts[s] / std::max<std::size_t>(width, 1);
  std::vector<std::size_t> next(block_start.begin(), block_start.end() - 1);
  std::vector<float> rows(k_total * width);
  for (std::size_t k = 0; k < k_total; ++k) {
    const std::size_t src = next[static_cast<std::size_t>(cohort_.owners[k])]++;
    std::memcpy(rows.data() + k * width, packed.data() + src * width, width * sizeof(float));
  }
  return rows;
}

void CohortAggregator::reduce_into(Comm& comm, std::vector<double> coef, AggregateResult& out) {
  out.aggregated = static_cast<std::uint32_t>(std::count_if(coef.begin(), coef.end(), [](double x) { return x != 0.0; }));
  out.weights = std::move(coef);
  std::vector<double> total = reduce_sum(comm, out);
  if (comm.rank() != 0) return;
  if (control_) out.control_delta.assign(total.begin() + static_cast<std::ptrdiff_t>(dim_), total.end());
  total.resize(dim_);
  out.model_delta = std::move(total);
}

void CohortAggregator::sum_kept(Comm& comm, std::vector<double> coef, AggregateResult& out) {
  bcast_vector(comm, coef, 0);  // root decided them; every rank weighs its own kept updates
  accumulate_kept(coef, l1(coef));
  reduce_into(comm, std::move(coef), out);
}

AggregateResult CohortAggregator::finish(Comm& comm) {
  AggregateResult out;
  const bool root = comm.rank() == 0;
  const std::size_t k_total = cohort_.clients.size();

  switch (shape_) {
    case AggregationShape::Sum:
      reduce_into(comm, coef_, out);
      return out;
    case AggregationShape::DeferredSum: {
      // Per-member (F_k, |delta_k|^2) to root, q-FFL's coefficients back.
      std::vector<double> mine;
      for (std::size_t r = 0; r < row_member_.size(); ++r)
        mine.insert(mine.end(), {static_cast<double>(row_member_[r]), row_loss_[r], row_sqnorm_[r]});
      const auto bytes = comm.gatherv(std::as_bytes(std::span(mine)), 0);
      std::vector<double> coef;
      if (root) {
        std::vector<double> all(bytes.size() / sizeof(double)), loss(k_total, 0.0), sq(k_total, 0.0);
        std::memcpy(all.data(), bytes.data(), bytes.size());
        for (std::size_t i = 0; i + 2 < all.size(); i += 3) {
          const auto k = static_cast<std::size_t>(all[i]);
          loss[k] = all[i + 1];
          sq[k] = all[i + 2];
        }
        coef = qffl_coefficients(loss, sq, config_.strategy.q, config_.train.lr);
      }
      out.bytes += mine.size() * sizeof(double);
      sum_kept(comm, std::move(coef), out);
      return out;
    }
    case AggregationShape::Selection: {
      const auto [begin, end] = slice(dim_, comm.rank(), comm.size());
      const std::vector<float> rows = transpose(comm, begin, end, out);
      std::vector<std::int64_t> partial(k_total * k_total, 0), total(root ? partial.size() : 0);
      if (end > begin) add_pairwise_sqdist(rows, k_total, begin, partial);
      // Each rank's partials stay below 2^62 / P, so their sum cannot wrap.
      const double cap = std::ldexp(1.0, 62) / comm.size();
      for (auto v : partial)
        if (static_cast<double>(v) >= cap)
          throw Error("Krum's squared distances exceed the exact reduction's range: training diverged, or use "
                      "runtime.reduce=fast");
      comm.reduce_sum(partial, total, 0);
      out.bytes += partial.size() * sizeof(std::int64_t);
      std::vector<double> coef;
      if (root) {
        std::vector<double> sqdist(total.size());
        for (std::size_t i = 0; i < total.size(); ++i) sqdist[i] = from_fixed(total[i], kDistanceFixedBits);
        const auto scores = krum_scores(sqdist, k_total, config_.strategy.byzantine_f);
        std::size_t m = 1;
        if (strategy_.aggregator == AggregatorKind::MultiKrum)
          m = config_.strategy.multikrum_m > 0 ? static_cast<std::size_t>(config_.strategy.multikrum_m)
                                               : k_total - static_cast<std::size_t>(config_.strategy.byzantine_f);
        coef = sample_weights_of(cohort_.samples, krum_select(scores, m));
      }
      sum_kept(comm, std::move(coef), out);
      return out;
    }
    case AggregationShape::Coordinate: {
      const auto [begin, end] = slice(dim_, comm.rank(), comm.size());
      const std::vector<float> rows = transpose(comm, begin, end, out);
      std::vector<double> combined(end - begin);
      if (end > begin) {
        if (strategy_.aggregator == AggregatorKind::Median) {
          coordinate_median(rows, k_total, combined);
        } else {
          coordinate_trimmed_mean(rows, k_total, trimmed_count(k_total, config_.strategy.trim_fraction), combined);
        }
      }
      const auto bytes = comm.gatherv(std::as_bytes(std::span(combined)), 0);
      out.bytes += combined.size() * sizeof(double);
      if (root) {
        out.model_delta.resize(dim_);
        FEDHPC_CHECK(bytes.size() == dim_ * sizeof(double), "gathered {} bytes of slices for {} coordinates",
                     bytes.size(), dim_);
        std::memcpy(out.model_delta.data(), bytes.data(), bytes.size());
      }
      out.weights.assign(k_total, std::numeric_limits<double>::quiet_NaN());
      out.aggregated = strategy_.aggregator == AggregatorKind::Median
                           ? (k_total % 2 == 1 ? 1u : 2u)
                           : static_cast<std::uint32_t>(k_total - 2 * trimmed_count(k_total, config_.strategy.trim_fraction));
      return out;
    }
  }
  return out;
}

bool CohortAggregator::can_aggregate(const StrategyInfo& strategy, const StrategyConfig& o, std::size_t k) {
  if (k == 0) return false;
  const auto f = static_cast<std::size_t>(o.byzantine_f);
  switch (strategy.aggregator) {
    case AggregatorKind::Krum: return k > 2 * f + 2;
    case AggregatorKind::MultiKrum: return k > 2 * f + 2 && static_cast<std::size_t>(o.multikrum_m) <= k - f;
    case AggregatorKind::TrimmedMean: return 2 * trimmed_count(k, o.trim_fraction) < k;
    default: return true;
  }
}

}  // namespace fedhpc
