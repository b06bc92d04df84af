#pragma once
// Building a round's rows on rank 0 from what the ranks reported and what the
// virtual clock decided: one /clients row per cohort member and the /rounds
// row's counts, train loss and phase times. Pure, so each is tested by hand.
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"
#include "metrics/records.hpp"
#include "scenario/virtual_clock.hpp"

namespace fedhpc {

// One row per cohort member, in id order: the trained ones as their ranks
// reported them, the rest from the virtual clock alone (rank -1, loss NaN);
// every row gets its status and simulated times from `outcomes`.
std::vector<ClientRecord> cohort_rows(Round round, std::span<const ClientId> cohort,
                                      std::span<const std::int64_t> cohort_samples,
                                      std::span<const ClientOutcome> outcomes, std::span<const ClientRecord> trained);

// The cohort's counts per status, into `rec`.
void count_statuses(std::span<const ClientOutcome> outcomes, RoundRecord& rec);

// The sample-weighted mean of the trained rows' losses, in cohort order
// (the same double for any rank count); NaN when no member has a sample.
double cohort_train_loss(std::span<const ClientRecord> rows, std::int64_t total_samples);

// The mean evaluation loss from its reduced parts: NaN when any batch's loss
// was NaN, +inf when any was infinite or beyond the fixed point's range,
// else the fixed-point sum over `count` samples; NaN for no samples.
double mean_eval_loss(std::int64_t loss_fixed, std::int64_t count, std::int64_t nan_batches,
                      std::int64_t overflow_batches);

// Each phase's time in `rec`: the maximum over the ranks' timings.
void phase_maxima(std::span<const TimingRecord> timings, RoundRecord& rec);

}  // namespace fedhpc
