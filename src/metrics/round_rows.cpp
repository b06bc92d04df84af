#include "metrics/round_rows.hpp"

#include <algorithm>
#include <limits>

#include "core/fixed_point.hpp"

namespace fedhpc {

std::vector<ClientRecord> cohort_rows(Round round, std::span<const ClientId> cohort,
                                      std::span<const std::int64_t> cohort_samples,
                                      std::span<const ClientOutcome> outcomes, std::span<const ClientRecord> trained) {
  std::vector<ClientRecord> rows(cohort.size());
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    ClientRecord& c = rows[i];
    c.round = to_int(round);
    c.client = to_int(cohort[i]);
    c.rank = -1;
    c.num_samples = cohort_samples[i];
    c.loss = std::numeric_limits<double>::quiet_NaN();
    c.steps = outcomes[i].steps_done;
  }
  for (const auto& r : trained) {
    const auto pos =
        static_cast<std::size_t>(std::lower_bound(cohort.begin(), cohort.end(), ClientId{r.client}) - cohort.begin());
    rows[pos] = r;
  }
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    const ClientOutcome& o = outcomes[i];
    rows[i].status = static_cast<std::int32_t>(o.status);
    rows[i].sim_download_seconds = o.download_seconds;
    rows[i].sim_compute_seconds = o.compute_seconds;
    rows[i].sim_upload_seconds = o.upload_seconds;
  }
  return rows;
}

void count_statuses(std::span<const ClientOutcome> outcomes, RoundRecord& rec) {
  std::uint32_t count[kClientStatusCount] = {};
  for (const auto& o : outcomes) ++count[static_cast<int>(o.status)];
  rec.clients_selected = static_cast<std::uint32_t>(outcomes.size());
  rec.clients_completed = count[static_cast<int>(ClientStatus::Completed)];
  rec.clients_partial = count[static_cast<int>(ClientStatus::Partial)];
  rec.clients_dropped = count[static_cast<int>(ClientStatus::Dropped)];
  rec.clients_late = count[static_cast<int>(ClientStatus::Late)];
  rec.clients_unavailable = count[static_cast<int>(ClientStatus::Unavailable)];
}

double cohort_train_loss(std::span<const ClientRecord> rows, std::int64_t total_samples) {
  if (total_samples <= 0) return std::numeric_limits<double>::quiet_NaN();
  double loss = 0.0;
  for (const auto& c : rows)
    if (c.rank >= 0) loss += static_cast<double>(c.num_samples) / static_cast<double>(total_samples) * c.loss;
  return loss;
}

double mean_eval_loss(std::int64_t loss_fixed, std::int64_t count, std::int64_t nan_batches,
                      std::int64_t overflow_batches) {
  if (nan_batches > 0 || count <= 0) return std::numeric_limits<double>::quiet_NaN();
  if (overflow_batches > 0) return std::numeric_limits<double>::infinity();
  return from_fixed(loss_fixed, kLossFixedBits) / static_cast<double>(count);
}

void phase_maxima(std::span<const TimingRecord> timings, RoundRecord& rec) {
  auto most = [&](double TimingRecord::*field) {
    double m = 0.0;
    for (const auto& t : timings) m = std::max(m, t.*field);
    return m;
  };
  rec.train_seconds = most(&TimingRecord::train_seconds);
  rec.wait_seconds = most(&TimingRecord::wait_seconds);
  rec.reduce_seconds = most(&TimingRecord::reduce_seconds);
  rec.server_seconds = most(&TimingRecord::server_seconds);
  rec.broadcast_seconds = most(&TimingRecord::broadcast_seconds);
  rec.eval_seconds = most(&TimingRecord::eval_seconds);
}

}  // namespace fedhpc
