// A round's rows built on rank 0, by hand.
#include "metrics/round_rows.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace fedhpc;

TEST(RoundRows, TrainedMembersAsReportedTheRestFromTheClock) {
  const std::vector<ClientId> cohort{ClientId{2}, ClientId{5}, ClientId{9}};
  const std::vector<std::int64_t> samples{10, 30, 60};
  std::vector<ClientOutcome> outcomes(3);
  outcomes[1].status = ClientStatus::Dropped;
  outcomes[1].steps_done = 1;
  outcomes[2].compute_seconds = 4.5;
  ClientRecord r9;
  r9.round = 7;
  r9.client = 9;
  r9.rank = 1;
  r9.num_samples = 60;
  r9.loss = 0.5;
  ClientRecord r2 = r9;
  r2.client = 2;
  r2.rank = 0;
  r2.num_samples = 10;
  r2.loss = 2.0;
  const std::vector<ClientRecord> trained{r9, r2};  // in rank order, not id order
  const auto rows = cohort_rows(Round{7}, cohort, samples, outcomes, trained);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].client, 2u);
  EXPECT_EQ(rows[0].rank, 0);
  EXPECT_EQ(rows[1].rank, -1);  // dropped: nobody trained it
  EXPECT_EQ(rows[1].num_samples, 30);
  EXPECT_EQ(rows[1].steps, 1);
  EXPECT_EQ(rows[1].status, static_cast<std::int32_t>(ClientStatus::Dropped));
  EXPECT_TRUE(std::isnan(rows[1].loss));
  EXPECT_EQ(rows[2].sim_compute_seconds, 4.5);
  // (10 x 2.0 + 60 x 0.5) / 70 over the 70 samples of the aggregated members.
  EXPECT_DOUBLE_EQ(cohort_train_loss(rows, 70), 10.0 / 70 * 2.0 + 60.0 / 70 * 0.5);
  EXPECT_TRUE(std::isnan(cohort_train_loss(rows, 0)));
  RoundRecord rec;
  count_statuses(outcomes, rec);
  EXPECT_EQ(rec.clients_selected, 3u);
  EXPECT_EQ(rec.clients_completed, 2u);
  EXPECT_EQ(rec.clients_dropped, 1u);
}

TEST(RoundRows, PhaseTimesAreTheSlowestRanks) {
  std::vector<TimingRecord> t(2);
  t[0].train_seconds = 3;
  t[1].train_seconds = 5;
  t[0].eval_seconds = 2;
  RoundRecord rec;
  phase_maxima(t, rec);
  EXPECT_EQ(rec.train_seconds, 5);
  EXPECT_EQ(rec.eval_seconds, 2);
  EXPECT_EQ(rec.wait_seconds, 0);
}

TEST(RoundRows, ADivergedEvaluationIsRecordedAsNanOrInfNeverAsANumber) {
  // 1.5 per sample over 4 samples: 6 in 2^-32 fixed point.
  EXPECT_DOUBLE_EQ(mean_eval_loss(std::int64_t{6} << 32, 4, 0, 0), 1.5);
  EXPECT_TRUE(std::isnan(mean_eval_loss(std::int64_t{6} << 32, 4, 1, 0)));
  EXPECT_EQ(mean_eval_loss(std::int64_t{6} << 32, 4, 0, 2), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(mean_eval_loss(0, 4, 1, 3)));  // NaN wins over inf
  EXPECT_TRUE(std::isnan(mean_eval_loss(0, 0, 0, 0)));  // no samples
}
