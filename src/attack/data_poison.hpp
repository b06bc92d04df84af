#pragma once
// Data poisoning: what an adversary trains on instead of its own samples.
// Pure functions on the Dataset layout, unit-tested on hand-made samples.
#include <cstdint>
#include <span>
#include <vector>

#include "data/dataset.hpp"

namespace fedhpc {

class Rng;

// Label flipping (Tolpegin et al., ESORICS 2020; y -> C-1-y as in Allen-Zhu
// et al., ICLR 2021, and Karimireddy et al., ICML 2021): each label y becomes
// permutation[y], or C - 1 - y when no permutation is given.
void flip_labels(std::span<std::int64_t> labels, int num_classes, std::span<const std::int64_t> permutation);

// The backdoor trigger (a pixel pattern as in Gu et al. 2017, "BadNets", used
// against FL by Bagdasaryan et al., AISTATS 2020): for an image (shape
// {C, H, W}) a 3 x 3 square of `value` one pixel from the bottom-right corner
// in every channel; for a vector, its last 3 features.
void apply_trigger(std::span<float> sample, std::span<const std::int64_t> shape, float value);

// The value a trigger writes: the largest feature of the data set (white).
float trigger_value(const Dataset& data);

// An adversary's training samples for a backdoor: a copy of `rows` of `data`
// in which round(poison_fraction x n) samples, chosen by `rng`, carry the
// trigger and the target label.
Dataset backdoored_copy(const Dataset& data, std::span<const std::int64_t> rows, double poison_fraction,
                        int target_class, float value, Rng& rng);

// A copy of `rows` of `data` with flipped labels.
Dataset label_flipped_copy(const Dataset& data, std::span<const std::int64_t> rows,
                           std::span<const std::int64_t> permutation);

// The test samples whose label is not the target, with the trigger, labelled
// with the target: the backdoor's success rate is the accuracy on it.
Dataset triggered_test_set(const Dataset& test, int target_class, float value);

}  // namespace fedhpc
