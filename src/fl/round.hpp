#pragma once
// One federated round as its stages: plan (fl/round_plan, pure) -> train
// (client/, with the strategy's client rule) -> aggregate (fl/aggregation,
// with the strategy's aggregation rule) -> server step (the strategy's) ->
// evaluate -> record (metrics/round_rows). RoundRunner only orchestrates and
// holds what lives across rounds: the virtual clock, the client rule's
// state, the server step's state.
#include <memory>
#include <optional>
#include <vector>

#include "client/group_trainer.hpp"
#include "client/trainer.hpp"
#include "comm/comm.hpp"
#include "config/schema.hpp"
#include "data/client_samples.hpp"
#include "data/partition.hpp"
#include "fl/aggregation.hpp"
#include "fl/round_attack.hpp"
#include "fl/round_plan.hpp"
#include "metrics/records.hpp"
#include "metrics/timer.hpp"
#include "privacy/dp_mechanism.hpp"
#include "privacy/rdp_accountant.hpp"
#include "scenario/scenario.hpp"
#include "scenario/virtual_clock.hpp"
#include "strategy/catalog.hpp"

namespace fedhpc {

struct RoundOutcome {
  RoundRecord record;                 // complete on rank 0 (minus elapsed/write)
  std::vector<ClientRecord> clients;  // gathered on rank 0, empty elsewhere
  std::vector<TimingRecord> timings;  // one per rank, gathered on rank 0
};

class RoundRunner {
 public:
  RoundRunner(const RunConfig& config, Comm& comm, const Partition& partition, ClientSamples& samples,
              LocalTrainer& trainer, const DataSplit& data, const Scenario& scenario, const CostModel& cost,
              GroupTrainer* groups = nullptr);

  // Advances `global` (identical on every rank before and after) by one round.
  // A diverged update is a DivergedError naming the round.
  RoundOutcome run(Round round, std::vector<float>& global);

  // Collective. The state after `round` on rank 0 (per-client state gathered
  // from the ranks that hold it); elsewhere only what the rank contributed.
  CheckpointState checkpoint(Round round, std::span<const float> global);
  // Collective. Continues from `state`, which every rank holds in full
  // except server_state (rank 0's). Each rank keeps the per-client state of
  // the clients it owns under this run's rank count.
  void restore(const CheckpointState& state);
  // The doubles of a checkpoint's server state: the server step's, then
  // adaptive clipping's clip norm.
  static std::size_t server_state_size(const RunConfig& config, std::size_t num_params);

 private:
  RoundOutcome run_round(Round round, std::vector<float>& global);
  void reduce_client_hits(std::span<const std::uint8_t> hits, std::int64_t begin);

  const RunConfig& config_;
  Comm& comm_;
  const Partition& partition_;
  ClientSamples& samples_;
  LocalTrainer& trainer_;
  GroupTrainer* groups_;  // runtime.client_batch > 1: trains groups of clients at once
  std::int64_t test_size_, train_size_;
  const Scenario& scenario_;
  CostModel cost_;
  DeadlineRule deadline_;
  double sim_time_ = 0.0;  // simulated seconds at the start of the next round (replicated)
  std::vector<int> trainers_;
  const StrategyInfo& strategy_;
  CohortAggregator aggregator_;
  std::unique_ptr<ServerStep> server_;  // root only
  std::unique_ptr<ClientRule> rule_;    // this rank's half of the client rule and its state
  std::vector<float> delta_, upload_;   // reused for every client
  std::vector<float> group_deltas_;                         // client_batch x model, reused for every group
  RoundAttack attack_;                  // scenario.adversaries
  DpMechanism dp_;                      // privacy.dp (replicated: the clip norm)
  std::optional<PrivacyLedger> ledger_; // privacy.dp, root: epsilon after each round
  std::vector<float> dp_update_;        // a member's update as DP sends it
  // Per-client evaluation, where the data set says whose each test sample is.
  std::span<const std::int32_t> test_owner_;  // each test sample's client, or empty
  std::vector<std::int64_t> client_test_samples_, client_test_hits_;  // root: per client, latest evaluation
  bool clients_evaluated_ = false;            // the current round evaluated them
  std::size_t local_buffers_ = 0;             // model.buffers local: the flat vector's buffer tail
  std::int64_t unclipped_ = 0;          // this rank's members within the clip norm this round

  // The round's stages (run() calls them in order).
  struct Trained {
    std::vector<ClientRecord> records;  // this rank's trained members
    std::vector<std::size_t> members;   // their member indices
  };
  struct Aggregated {
    AggregateResult result;
    double update_norm = 0.0;  // root: |Delta|
  };
  PlanInputs plan_inputs() const;
  Trained train_one_at_a_time(Round round, const RoundPlan& plan, std::span<const float> global);
  Trained train_groups(Round round, const RoundPlan& plan, std::span<const float> global);
  void deliver(Round round, const RoundPlan& plan, std::size_t member, std::span<const float> delta,
               const TrainStats& stats, Trained& mine);
  // To the aggregator, through DP's clipping and local noise when it is on.
  void submit(Round round, std::size_t member, ClientId id, std::span<const float> delta,
              std::span<const float> upload, double initial_loss);
  Aggregated aggregate_and_step(Round round, const RoundPlan& plan, std::vector<float>& global, TimingRecord& times);
  // Central DP noise on the aggregate (root) and the next clip norm (every rank).
  void privatize(Round round, Aggregated& agg, Comm& comm);
  RoundRecord evaluate(Round round, std::span<const float> global);
  RoundOutcome record(Round round, const RoundPlan& plan, const Aggregated& agg, std::span<const ClientRecord> mine,
                      TimingRecord times, RoundRecord rec, const Stopwatch& round_watch);
  bool evaluates(Round round) const;
};

}  // namespace fedhpc
