#pragma once
// data.normalize: per-channel standardisation of the loaded features.
#include "config/schema.hpp"
#include "data/dataset.hpp"

namespace fedhpc {

// x <- (x - mean[c]) / std[c], channel c the first sample dimension of an
// image ([C, H, W]); one channel for vectors. One mean and std apply to
// every channel. InputError naming data.normalize.mean when the lists do not
// match the data's channels. Nothing when the lists are empty.
void normalize(Dataset& data, const NormalizeConfig& config);

}  // namespace fedhpc
