#pragma once
// One federated round (DESIGN.md B.3). RoundRunner only orchestrates: the
// cohort comes from strategy/, the placement from fl/placement, training from
// client/, the reduction from fl/collective, records go to the caller.
#include <vector>

#include "client/trainer.hpp"
#include "comm/comm.hpp"
#include "config/schema.hpp"
#include "data/partition.hpp"
#include "metrics/records.hpp"
#include "strategy/sum_accumulator.hpp"

namespace fedhpc {

struct RoundOutcome {
  RoundRecord record;                 // complete on rank 0 (minus elapsed/write)
  std::vector<ClientRecord> clients;  // gathered on rank 0, empty elsewhere
};

class RoundRunner {
 public:
  RoundRunner(const RunConfig& config, Comm& comm, const Partition& partition, LocalTrainer& trainer,
              std::int64_t test_size);

  // Advances `global` (identical on every rank before and after) by one round.
  RoundOutcome run(Round round, std::vector<float>& global);

 private:
  const RunConfig& config_;
  Comm& comm_;
  const Partition& partition_;
  LocalTrainer& trainer_;
  std::int64_t test_size_;
  std::vector<int> trainers_;
  SumAccumulator acc_;
  std::vector<float> delta_;  // reused for every client

  bool evaluates(Round round) const;
};

}  // namespace fedhpc
