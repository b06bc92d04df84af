#pragma once
// What a strategy's client rule changes in one client's local training,
// in terms of flat vectors over the model (the parameters, in order). The
// vocabulary shared by strategy/ (which fills it) and client/ (which applies
// it), so neither needs the other: local training knows these terms, never
// an algorithm's name.
//
// Each local step, on the minibatch gradient g at the local model y, with x
// the global model the client started from:
//   g <- g + anchor (y - x)          when anchored (a proximal pull)
//   g <- g - linear                  when linear is set (a linear term
//                                    -<linear, y> in the local objective)
//   the optimizer's step (momentum and weight decay as train.* says)
//   y <- y - lr shift                when shift is set (a correction applied
//                                    outside the momentum buffer)
#include <span>

namespace fedhpc {

struct LocalTerms {
  // One step on the gradient of the mean loss over all the client's samples
  // instead of minibatch epochs.
  bool full_batch = false;
  bool anchored = false;
  double anchor = 0.0;
  std::span<const float> linear = {};
  std::span<const float> shift = {};
  // Report the client's mean loss at x over all its samples before training.
  bool initial_loss = false;
};

}  // namespace fedhpc
