#pragma once
// The parts the built-in rows are made of, for strategy files to reuse: a
// new row that only changes the aggregation can take the plain client rule
// and the server's SGD step from here (rfa.cpp does).
#include "strategy/aggregation_rule.hpp"
#include "strategy/client_rule.hpp"

namespace fedhpc {

// Sample-weighted mean, p_k = n_k / n (McMahan et al. 2017).
extern const AggregationRule kSampleMean;
// Local SGD as train.* says; one full-batch step (FedSGD); SGD with a
// proximal pull mu (y - x) (FedProx).
extern const ClientRuleSpec kLocalSgdClient, kFullBatchClient, kProximalClient;

}  // namespace fedhpc
