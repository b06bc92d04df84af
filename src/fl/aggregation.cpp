#include "fl/aggregation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "comm/agree.hpp"
#include "core/error.hpp"
#include "core/fixed_point.hpp"
#include "fl/collective.hpp"
#include "strategy/robust.hpp"

namespace fedhpc {

namespace {
double l1(std::span<const double> v) {
  double s = 0.0;
  for (double x : v) s += std::fabs(x);
  return s;
}
}  // namespace

namespace {
// What the strategy's client rule uploads with each update, asked of a
// rule made for the purpose (the round holds the real one).
std::pair<std::size_t, double> upload_of(const StrategyInfo& strategy, const RunConfig& config, std::size_t dim) {
  const auto probe = strategy.client->make(config, dim);
  return {probe->upload_size(), probe->upload_divisor()};
}
}  // namespace

CohortAggregator::CohortAggregator(const StrategyInfo& strategy, const RunConfig& config, std::size_t dim)
    : CohortAggregator(strategy, config, dim, upload_of(strategy, config, dim)) {}

CohortAggregator::CohortAggregator(const StrategyInfo& strategy, const RunConfig& config, std::size_t dim,
                                   std::pair<std::size_t, double> upload)
    : rule_(*strategy.aggregation),
      config_(config),
      dim_(dim),
      upload_dim_(upload.first),
      upload_divisor_(upload.second),
      acc_(dim + upload_dim_, config.runtime.reduce) {
  if (config.privacy.secure_aggregation) secure_.emplace(config.seed);
}

std::vector<double> fixed_denominator_weights(std::size_t members, int expected_cohort) {
  return std::vector<double>(members, 1.0 / static_cast<double>(expected_cohort));
}

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
  if (secure_)
    secure_->begin_round(cohort.round, {cohort.keyed.begin(), cohort.keyed.end()},
                         {cohort.clients.begin(), cohort.clients.end()});
  if (rule_.shape != AggregationShape::Sum) return;
  coef_ = config_.privacy.dp.mode != DpMode::Off
              ? fixed_denominator_weights(cohort.clients.size(), config_.strategy.clients_per_round)
              : rule_.coefficients(cohort, config_);
  coef_l1_ = l1(coef_);
}

void CohortAggregator::add(std::size_t k, std::span<const float> delta, std::span<const float> upload,
                           double initial_loss) {
  const auto client = to_int(cohort_.clients[k]);
  if (upload_dim_ > 0) {
    // The client rule's upload, summed as (1/D) sum_i upload_i.
    const double d = upload_divisor_;
    acc_.add(upload, 1.0 / d, static_cast<double>(cohort_.clients.size()) / d, client, dim_);
  }
  if (rule_.shape == AggregationShape::Sum) {
    acc_.add(delta, coef_[k], coef_l1_, client);
    // The buffer now holds the member's input; its masks make it the masked input.
    if (secure_) secure_->mask(cohort_.clients[k], acc_.exact_ring());
    return;
  }
  // Kept rows stay in member order, which the transpose relies on.
  const auto at = std::lower_bound(row_member_.begin(), row_member_.end(), k);
  FEDHPC_CHECK(at == row_member_.end() || *at != k, "cohort member {} added twice", k);
  const auto r = static_cast<std::ptrdiff_t>(at - row_member_.begin());
  rows_.insert(rows_.begin() + r * static_cast<std::ptrdiff_t>(dim_), delta.begin(), delta.end());
  row_member_.insert(at, k);
  double sq = 0.0;
  for (float v : delta) sq += static_cast<double>(v) * static_cast<double>(v);
  row_sqnorm_.insert(row_sqnorm_.begin() + r, sq);
  row_loss_.insert(row_loss_.begin() + r, initial_loss);
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
  if (secure_) {
    // Sums of masked inputs wrap around: reduced, and unmasked, modulo 2^64.
    std::vector<std::uint64_t> total(root ? acc_.dim() : 0);
    comm.reduce_sum(std::span<const std::uint64_t>(acc_.exact_ring()), total, 0);
    if (!root) return {};
    secure_->unmask(total);
    // Unmasked, the ring holds the plain int64 sum (two's complement).
    return SumAccumulator::from_exact({reinterpret_cast<const std::int64_t*>(total.data()), total.size()});
  }
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
  coef.resize(cohort_.clients.size());  // a center's coefficient is not a member's
  out.aggregated = static_cast<std::uint32_t>(std::count_if(coef.begin(), coef.end(), [](double x) { return x != 0.0; }));
  for (std::size_t k = 0; k < cohort_.adversarial.size(); ++k)
    out.adversaries_aggregated += cohort_.adversarial[k] && coef[k] != 0.0 ? 1.0 : 0.0;
  out.weights = std::move(coef);
  std::vector<double> total = reduce_sum(comm, out);
  if (comm.rank() != 0) return;
  if (upload_dim_ > 0) out.upload_sum.assign(total.begin() + static_cast<std::ptrdiff_t>(dim_), total.end());
  total.resize(dim_);
  out.model_delta = std::move(total);
}

void CohortAggregator::sum_kept(Comm& comm, std::vector<double> coef, AggregateResult& out) {
  bcast_vector(comm, coef, 0);  // root decided them; every rank weighs its own kept updates
  accumulate_kept(coef, l1(coef));
  reduce_into(comm, std::move(coef), out);
}

AggregateResult CohortAggregator::finish(Comm& comm, std::span<const double> center) {
  AggregateResult out;
  switch (rule_.shape) {
    case AggregationShape::Sum: reduce_into(comm, coef_, out); break;
    case AggregationShape::DeferredSum: finish_deferred(comm, out); break;
    case AggregationShape::Selection: finish_selection(comm, center, out); break;
    case AggregationShape::Coordinate: finish_coordinate(comm, out); break;
  }
  return out;
}

// Per-member (F_k, |delta_k|^2) to root, the rule's coefficients back.
void CohortAggregator::finish_deferred(Comm& comm, AggregateResult& out) {
  const std::size_t k_total = cohort_.clients.size();
  std::vector<double> mine;
  for (std::size_t r = 0; r < row_member_.size(); ++r)
    mine.insert(mine.end(), {static_cast<double>(row_member_[r]), row_loss_[r], row_sqnorm_[r]});
  const auto bytes = comm.gatherv(std::as_bytes(std::span(mine)), 0);
  std::vector<double> coef;
  if (comm.rank() == 0) {
    std::vector<double> all(bytes.size() / sizeof(double)), loss(k_total, 0.0), sq(k_total, 0.0);
    std::memcpy(all.data(), bytes.data(), bytes.size());
    for (std::size_t i = 0; i + 2 < all.size(); i += 3) {
      const auto k = static_cast<std::size_t>(all[i]);
      loss[k] = all[i + 1];
      sq[k] = all[i + 2];
    }
    coef = rule_.deferred(loss, sq, config_);
  }
  out.bytes += mine.size() * sizeof(double);
  sum_kept(comm, std::move(coef), out);
}

// Pairwise squared distances over coordinate slices, reduced exactly; root
// chooses the coefficients. A center (the server step's) joins as a last
// row on every rank and, on root, as a last term of the sum.
void CohortAggregator::finish_selection(Comm& comm, std::span<const double> center, AggregateResult& out) {
  const bool root = comm.rank() == 0;
  const std::size_t k_total = cohort_.clients.size();
  const auto [begin, end] = slice(dim_, comm.rank(), comm.size());
  std::vector<float> rows = transpose(comm, begin, end, out);
  std::vector<float> center_row;
  if (rule_.uses_center) {
    center_row.assign(dim_, 0.0f);
    for (std::size_t i = 0; root && i < center.size(); ++i) center_row[i] = static_cast<float>(center[i]);
    broadcast_model(comm, center_row);
    rows.insert(rows.end(), center_row.begin() + static_cast<std::ptrdiff_t>(begin),
                center_row.begin() + static_cast<std::ptrdiff_t>(end));
  }
  const std::size_t n_rows = k_total + (rule_.uses_center ? 1 : 0);
  std::vector<std::int64_t> partial(n_rows * n_rows, 0), total(root ? partial.size() : 0);
  if (end > begin) add_pairwise_sqdist(rows, n_rows, begin, partial);
  // Each rank's partials stay below 2^62 / P, so their sum cannot wrap.
  const double cap = std::ldexp(1.0, 62) / comm.size();
  for (auto v : partial)
    if (static_cast<double>(v) >= cap)
      throw DivergedError("the updates' squared distances exceed the exact reduction's range: training diverged, or use "
                  "runtime.reduce=fast");
  comm.reduce_sum(partial, total, 0);
  out.bytes += partial.size() * sizeof(std::int64_t);
  std::vector<double> coef;
  if (root) {
    std::vector<double> sqdist(total.size());
    for (std::size_t i = 0; i < total.size(); ++i) sqdist[i] = from_fixed(total[i], kDistanceFixedBits);
    coef = rule_.choose(sqdist, n_rows, k_total, cohort_.samples, config_.strategy);
    if (rule_.uses_center) acc_.add(center_row, coef[k_total], l1(coef), UINT32_MAX);
  }
  sum_kept(comm, std::move(coef), out);
}

// Each rank combines its coordinate slice; root gathers the slices.
void CohortAggregator::finish_coordinate(Comm& comm, AggregateResult& out) {
  const std::size_t k_total = cohort_.clients.size();
  const auto [begin, end] = slice(dim_, comm.rank(), comm.size());
  const std::vector<float> rows = transpose(comm, begin, end, out);
  std::vector<double> combined(end - begin);
  if (end > begin) rule_.combine(rows, k_total, config_.strategy, combined);
  const std::uint32_t kept = rule_.kept(k_total, config_.strategy);
  if (!cohort_.adversarial.empty()) {
    // Attackers' values in each coordinate's kept band, over all slices.
    const std::int64_t mine[1] = {
        end > begin ? static_cast<std::int64_t>(flagged_values_kept(rows, k_total, cohort_.adversarial, kept)) : 0};
    std::int64_t total[1] = {0};
    comm.reduce_sum(mine, comm.rank() == 0 ? std::span<std::int64_t>(total) : std::span<std::int64_t>(), 0);
    out.adversaries_aggregated = static_cast<double>(total[0]) / static_cast<double>(dim_);
  }
  const auto bytes = comm.gatherv(std::as_bytes(std::span(combined)), 0);
  out.bytes += combined.size() * sizeof(double);
  if (comm.rank() == 0) {
    out.model_delta.resize(dim_);
    FEDHPC_CHECK(bytes.size() == dim_ * sizeof(double), "gathered {} bytes of slices for {} coordinates",
                 bytes.size(), dim_);
    std::memcpy(out.model_delta.data(), bytes.data(), bytes.size());
  }
  out.weights.assign(k_total, std::numeric_limits<double>::quiet_NaN());
  out.aggregated = kept;
}

}  // namespace fedhpc
