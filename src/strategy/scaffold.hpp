#pragma once
// SCAFFOLD's client part (Karimireddy et al., ICML 2020, Algorithm 1, option
// II), for the built-in row: the correction c - c_i applied after every local
// step, each client's c_i in its per-client state, delta_c_i uploaded and
// summed as (1/N) sum_i delta_c_i, the server variate c replicated on every
// rank. The math is in strategy/control_variates.hpp.
#include "strategy/client_rule.hpp"

namespace fedhpc {

extern const ClientRuleSpec kScaffoldClient;

}  // namespace fedhpc
